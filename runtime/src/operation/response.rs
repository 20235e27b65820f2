//! Helpers the generated response deserializers call for HTTP bindings.

use std::collections::HashMap;
use std::str::FromStr;

use crate::json::DeserializeError;
use crate::transport::HttpResponse;
use crate::{DateTime, DateTimeFormat};

/// The text of a header, when present (several values are joined with `, `).
pub fn header_text(
    response: &HttpResponse,
    name: &str,
    path: &str,
) -> Result<Option<String>, DeserializeError> {
    let mut values = Vec::new();
    for value in response.headers().get_all(name) {
        let text = value
            .to_str()
            .map_err(|_| DeserializeError::new(path, format!("header `{name}` is not text")))?;
        values.push(text.trim().to_owned());
    }
    Ok((!values.is_empty()).then(|| values.join(", ")))
}

/// A header parsed as a number or boolean.
pub fn header_parse<T: FromStr>(
    response: &HttpResponse,
    name: &str,
    path: &str,
) -> Result<Option<T>, DeserializeError> {
    header_text(response, name, path)?
        .map(|text| {
            text.parse().map_err(|_| {
                DeserializeError::new(
                    path,
                    format!("header `{name}` holds `{text}`, not a value of the member's type"),
                )
            })
        })
        .transpose()
}

/// A header parsed as a timestamp.
pub fn header_timestamp(
    response: &HttpResponse,
    name: &str,
    format: DateTimeFormat,
    path: &str,
) -> Result<Option<DateTime>, DeserializeError> {
    header_text(response, name, path)?
        .map(|text| {
            DateTime::parse(&text, format)
                .map_err(|error| DeserializeError::new(path, error.to_string()))
        })
        .transpose()
}

/// A list header split on commas (each item trimmed).
pub fn header_list(
    response: &HttpResponse,
    name: &str,
    path: &str,
) -> Result<Option<Vec<String>>, DeserializeError> {
    Ok(header_text(response, name, path)?.map(|text| {
        text.split(',')
            .map(|item| item.trim().to_owned())
            .filter(|item| !item.is_empty())
            .collect()
    }))
}

/// The headers whose names start with `prefix`, by the rest of the name.
pub fn prefix_headers(
    response: &HttpResponse,
    prefix: &str,
    path: &str,
) -> Result<Option<HashMap<String, String>>, DeserializeError> {
    let prefix = prefix.to_ascii_lowercase();
    let mut found = HashMap::new();
    for (name, value) in response.headers() {
        if let Some(rest) = name.as_str().strip_prefix(&prefix) {
            let text = value
                .to_str()
                .map_err(|_| DeserializeError::new(path, format!("header `{name}` is not text")))?;
            found.insert(rest.to_owned(), text.to_owned());
        }
    }
    Ok((!found.is_empty()).then_some(found))
}

/// The body as UTF-8 text (a string payload).
pub fn body_text(response: &HttpResponse, path: &str) -> Result<String, DeserializeError> {
    String::from_utf8(response.body().to_vec())
        .map_err(|_| DeserializeError::new(path, "the body is not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response() -> HttpResponse {
        http::Response::builder()
            .header("x-count", "3")
            .header("x-list", "a, b")
            .header("x-list", "c")
            .header("x-meta-one", "1")
            .header("x-when", "Mon, 16 Dec 2019 23:48:18 GMT")
            .body(bytes::Bytes::new())
            .unwrap()
    }

    #[test]
    fn reads_bound_headers() {
        let response = response();
        assert_eq!(
            header_parse::<i32>(&response, "x-count", "Out.count").unwrap(),
            Some(3)
        );
        assert_eq!(
            header_list(&response, "x-list", "Out.list")
                .unwrap()
                .unwrap(),
            ["a", "b", "c"]
        );
        assert_eq!(
            prefix_headers(&response, "X-Meta-", "Out.meta")
                .unwrap()
                .unwrap()["one"],
            "1"
        );
        assert_eq!(
            header_timestamp(&response, "x-when", DateTimeFormat::HttpDate, "Out.when")
                .unwrap()
                .unwrap()
                .secs(),
            1_576_540_098
        );
        assert_eq!(header_text(&response, "x-none", "Out.none").unwrap(), None);
        let error = header_parse::<i32>(&response, "x-list", "Out.list").unwrap_err();
        assert_eq!(
            error.to_string(),
            "Out.list: header `x-list` holds `a, b, c`, not a value of the member's type"
        );
    }
}
