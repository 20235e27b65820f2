//! What the reader fuzz targets share: comparing a document read by the runtime with the
//! same input decoded by another reader.

use ivschat_runtime::{Document, Number};

/// True when the runtime's `ours` holds what `theirs` holds; numbers are compared as numbers
/// (equal, or within 1e-15 relative: serde_json parses floats within an ULP by default).
pub fn same(ours: &Document, theirs: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (ours, theirs) {
        (Document::Null, Value::Null) => true,
        (Document::Bool(a), Value::Bool(b)) => a == b,
        (Document::String(a), Value::String(b)) => a == b,
        (Document::Number(number), Value::Number(theirs)) => {
            let ours = match number {
                Number::PosInt(value) => *value as f64,
                Number::NegInt(value) => *value as f64,
                Number::Float(value) => *value,
            };
            let theirs = theirs.as_f64().unwrap_or(f64::NAN);
            ours == theirs || ((ours - theirs) / theirs).abs() < 1e-15
        }
        (Document::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }
        (Document::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, value)| b.get(key).is_some_and(|theirs| same(value, theirs)))
        }
        _ => false,
    }
}
