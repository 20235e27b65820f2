use std::fmt;

/// A model the generator cannot accept, located as precisely as the input allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The model file (or the name the caller gave the input).
    pub file: String,
    /// The JSON path of the offending value, e.g. `$.shapes["a.b#C"].members.x.target`.
    pub json_path: String,
    /// The shape concerned, when there is one.
    pub shape: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: ", self.file, self.json_path)?;
        if let Some(shape) = &self.shape {
            write!(f, "shape `{shape}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Where in the model a value sits: builds JSON paths and the [`Error`]s that name them.
#[derive(Clone, Debug)]
pub(crate) struct Location<'a> {
    file: &'a str,
    path: String,
    shape: Option<String>,
}

impl<'a> Location<'a> {
    /// The root (`$`) of the named file.
    pub(crate) fn root(file: &'a str) -> Self {
        Self {
            file,
            path: "$".to_owned(),
            shape: None,
        }
    }

    /// The location of `shapes[id]`, naming that shape in errors.
    pub(crate) fn shape(file: &'a str, id: &str) -> Self {
        Self {
            file,
            path: format!("$.shapes[\"{id}\"]"),
            shape: Some(id.to_owned()),
        }
    }

    /// A field below this one (`.name`, or `["name"]` when it is not an identifier).
    pub(crate) fn field(&self, name: &str) -> Self {
        if is_identifier(name) {
            self.extend(&format!(".{name}"))
        } else {
            self.key(name)
        }
    }

    /// A quoted key below this one (`["key"]`), for keys that are not identifiers.
    pub(crate) fn key(&self, key: &str) -> Self {
        self.extend(&format!("[\"{key}\"]"))
    }

    /// An array element below this one (`[3]`).
    pub(crate) fn index(&self, index: usize) -> Self {
        self.extend(&format!("[{index}]"))
    }

    fn extend(&self, segment: &str) -> Self {
        Self {
            file: self.file,
            path: format!("{}{segment}", self.path),
            shape: self.shape.clone(),
        }
    }

    /// An error at this location.
    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        Error {
            file: self.file.to_owned(),
            json_path: self.path.clone(),
            shape: self.shape.clone(),
            message: message.into(),
        }
    }
}

/// A short name for the JSON type of a value, for error messages.
pub(crate) fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// An identifier, `[A-Za-z_][A-Za-z0-9_]*`: the syntax of Smithy's identifiers, and the keys
/// a JSON path names without quotes.
pub(crate) fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    let first_ok = chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_');
    first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
