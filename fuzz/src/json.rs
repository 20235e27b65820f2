//! Structure-aware mutations of JSON documents: a parser's deeper stages (a model's shapes, a
//! response's members) are reached only by inputs that still parse as JSON, which byte-level
//! mutations rarely are.

use serde_json::{Map, Number, Value};

/// Values that readers treat specially.
fn odd_scalar(rng: &mut fastrand::Rng) -> Value {
    match rng.usize(..12) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => Value::Number(Number::from(rng.i64(..))),
        3 => Number::from_f64(1e300).map_or(Value::Null, Value::Number),
        4 => Value::Number(Number::from(u64::MAX)),
        5 => Value::Number(Number::from(-1)),
        6 => Value::String(String::new()),
        7 => Value::String("x".repeat(rng.usize(1..70_000))),
        8 => Value::String("\u{0}\u{1F600}\u{e9}\\\"".to_owned()),
        9 => Value::String("1970-01-01T00:00:00Z".to_owned()),
        10 => Value::Array(Vec::new()),
        _ => Value::Object(Map::new()),
    }
}

/// Every node of a document, depth first, as paths of child indexes.
fn paths(value: &Value, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    out.push(prefix.clone());
    let children: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(fields) => fields.values().collect(),
        _ => return,
    };
    for (index, child) in children.into_iter().enumerate() {
        prefix.push(index);
        paths(child, prefix, out);
        prefix.pop();
    }
}

fn node<'a>(value: &'a Value, path: &[usize]) -> &'a Value {
    path.iter().fold(value, |node, index| match node {
        Value::Array(items) => &items[*index],
        Value::Object(fields) => fields
            .values()
            .nth(*index)
            .expect("the path was taken from this tree"),
        _ => unreachable!("paths lead through arrays and objects only"),
    })
}

fn node_mut<'a>(value: &'a mut Value, path: &[usize]) -> &'a mut Value {
    path.iter().fold(value, |node, index| match node {
        Value::Array(items) => &mut items[*index],
        Value::Object(fields) => fields
            .values_mut()
            .nth(*index)
            .expect("the path was taken from this tree"),
        _ => unreachable!("paths lead through arrays and objects only"),
    })
}

/// Applies one to four structural mutations to `document`.
pub fn mutate(rng: &mut fastrand::Rng, document: &mut Value, donor: &Value) {
    for _ in 0..rng.usize(1..=4) {
        let mut all = Vec::new();
        paths(document, &mut Vec::new(), &mut all);
        let mut donor_nodes = Vec::new();
        paths(donor, &mut Vec::new(), &mut donor_nodes);
        let target = all[rng.usize(..all.len())].clone();
        let graft = node(donor, &donor_nodes[rng.usize(..donor_nodes.len())]).clone();
        let node = node_mut(document, &target);
        match rng.usize(..6) {
            0 => *node = odd_scalar(rng),
            1 => *node = graft,
            2 => match node {
                Value::Object(fields) if !fields.is_empty() => {
                    let key = fields.keys().nth(rng.usize(..fields.len())).cloned();
                    key.map(|key| fields.remove(&key));
                }
                Value::Array(items) if !items.is_empty() => {
                    items.remove(rng.usize(..items.len()));
                }
                _ => *node = Value::Null,
            },
            3 => match node {
                Value::Object(fields) => {
                    let key = match &graft {
                        Value::String(text) => text.clone(),
                        _ => format!("k{}", rng.u16(..)),
                    };
                    fields.insert(key, odd_scalar(rng));
                }
                Value::Array(items) => {
                    let copies = rng.usize(1..200);
                    let item = items.first().cloned().unwrap_or(graft);
                    items.extend(std::iter::repeat_n(item, copies));
                }
                _ => *node = Value::Array(vec![node.clone()]),
            },
            4 => *node = Value::Array(vec![std::mem::take(node)]),
            _ => {
                let mut wrapped = Map::new();
                wrapped.insert("value".to_owned(), std::mem::take(node));
                *node = Value::Object(wrapped);
            }
        }
    }
}
