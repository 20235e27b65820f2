//! A conformance check driven by the model: for every operation of IVS Chat, inputs made from
//! its Smithy shapes (a valid one, each required member missing, lengths and ranges at and
//! past their bounds, every enum value, an unknown member) are sent to the emulator as raw
//! signed requests, and each answer is checked against the model: a valid input answers 2xx
//! with an output whose members, types and constraints are the model's; an invalid one answers
//! 400 `ValidationException`; any error is one the operation models, at its `@httpError`
//! status, with a message. `-- --nocapture` prints the counts.

use std::collections::BTreeSet;

use ivschat_codegen::ir::{
    DataKind, HttpBinding, HttpMethod, Member, Operation, PathSegment, Primitive, Role, Service,
    Target,
};
use ivschat_local::{Emulator, EmulatorHandle};
use serde_json::{json, Map, Value};

mod support;
use support::Target as Signer;

/// The service's IR, from the model the generated crate was made from.
fn service() -> Service {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../model/ivschat.json");
    let json = std::fs::read_to_string(path).expect("model/ivschat.json (cargo xtask fetch-model)");
    let model = ivschat_codegen::smithy::load("ivschat.json", &json).unwrap();
    ivschat_codegen::ir::build(&model, "ivschat.json", None).unwrap()
}

/// Resources an input may name, made fresh for each input.
struct Fixtures {
    room: String,
    logging: String,
}

/// An emptied emulator's fresh room and logging configuration (quotas are never reached).
async fn fixtures_for(emulator: &EmulatorHandle) -> Fixtures {
    let empty = r#"{"version": 1, "rooms": [], "loggingConfigurations": [], "tags": {}}"#;
    emulator.load_snapshot(empty).await.unwrap();
    let client = ivschat::Client::from_builder(emulator.config().max_attempts(1)).unwrap();
    let room = client.create_room().send().await.unwrap();
    let destination = ivschat::types::DestinationConfiguration::S3(
        ivschat::types::S3DestinationConfiguration::builder()
            .bucket_name("conformance-bucket")
            .build()
            .unwrap(),
    );
    let logging = client
        .create_logging_configuration()
        .destination_configuration(destination)
        .send()
        .await
        .unwrap();
    Fixtures {
        room: room.arn().unwrap().to_owned(),
        logging: logging.arn().unwrap().to_owned(),
    }
}

/// One input to send and what it should get.
struct Case {
    what: String,
    input: Map<String, Value>,
    valid: bool,
}

/// Makes values for the shapes of one service.
struct Maker<'a> {
    service: &'a Service,
    /// What the model says that no real value meets.
    notes: std::cell::RefCell<BTreeSet<String>>,
}

impl Maker<'_> {
    /// Whether `text` meets a member's length and pattern.
    fn fits(&self, member: &Member, text: &str) -> bool {
        let count = text.chars().count() as f64;
        let length_ok = member.constraints.length.as_ref().is_none_or(|bounds| {
            bounds.min.is_none_or(|min| count >= min) && bounds.max.is_none_or(|max| count <= max)
        });
        let pattern_ok = member.constraints.pattern.as_ref().is_none_or(|pattern| {
            regex_lite::Regex::new(pattern).is_ok_and(|regex| regex.is_match(text))
        });
        length_ok && pattern_ok
    }

    /// A string a member takes: a fixture's ARN or a plain word, whichever fits.
    fn text(&self, member: &Member, fixtures: &Fixtures) -> Option<String> {
        let minimum = member
            .constraints
            .length
            .as_ref()
            .and_then(|bounds| bounds.min)
            .unwrap_or(1.0) as usize;
        let candidates = [
            fixtures.room.clone(),
            fixtures.logging.clone(),
            "conformance-bucket".to_owned(),
            "user-1".to_owned(),
            "arn:aws:lambda:us-west-2:123456789012:function:review".to_owned(),
            "a".repeat(minimum.max(1)),
        ];
        if let Some(text) = candidates.iter().find(|text| self.fits(member, text)) {
            return Some(text.clone());
        }
        // The model's own pattern may refuse every real value (ResourceArn's `[a-z-]/` takes
        // one letter before the slash, where ARNs have `room/`): a real value is sent, noted.
        let length_only = Member {
            constraints: ivschat_codegen::ir::Constraints {
                pattern: None,
                ..member.constraints.clone()
            },
            ..member.clone()
        };
        let text = candidates
            .into_iter()
            .find(|text| self.fits(&length_only, text))?;
        self.notes.borrow_mut().insert(format!(
            "{}: its pattern {:?} refuses real values (sent one of the right length)",
            member.name,
            member.constraints.pattern.as_deref().unwrap_or_default()
        ));
        Some(text)
    }

    /// A valid value of a member, or `None` when none can be made.
    fn value(&self, member: &Member, fixtures: &Fixtures, depth: usize) -> Option<Value> {
        if depth > 4 {
            return None;
        }
        if let Some(primitive) = self.service.primitive_of(member.target) {
            return Some(match primitive {
                Primitive::String => Value::String(self.text(member, fixtures)?),
                Primitive::Boolean => json!(true),
                Primitive::Byte | Primitive::Short | Primitive::Integer | Primitive::Long => {
                    let range = member.constraints.range.as_ref();
                    json!(range.and_then(|bounds| bounds.min).unwrap_or(1.0).max(1.0) as i64)
                }
                _ => return None,
            });
        }
        let Target::Shape(shape) = member.target else {
            return None;
        };
        let data = self.service.shape(shape);
        Some(match &data.kind {
            DataKind::Enum(variants) => json!(variants.first()?.value),
            DataKind::IntEnum(variants) => json!(variants.first()?.value),
            DataKind::List { member, .. } => json!([self.value(member, fixtures, depth + 1)?]),
            DataKind::Map { .. } => json!({}),
            DataKind::Structure(members) => {
                let mut object = Map::new();
                for member in members.iter().filter(|member| member.required) {
                    object.insert(json_name(member), self.value(member, fixtures, depth + 1)?);
                }
                Value::Object(object)
            }
            DataKind::Union(members) => {
                let first = members.first()?;
                json!({ json_name(first): self.value(first, fixtures, depth + 1)? })
            }
            DataKind::Alias { .. } => return None,
        })
    }

    /// The cases of an operation: a valid input, then the variants of each member.
    fn cases(&self, operation: &Operation, fixtures: &Fixtures) -> Result<Vec<Case>, String> {
        let members = self.service.shape(operation.input).members();
        let mut valid = Map::new();
        for member in members.iter().filter(|member| member.required) {
            let value = self
                .value(member, fixtures, 0)
                .ok_or_else(|| format!("no value for {}.{}", operation.name, member.name))?;
            valid.insert(json_name(member), value);
        }
        let mut cases = vec![Case {
            what: "a valid input".to_owned(),
            input: valid.clone(),
            valid: true,
        }];
        let with = |name: &str, value: Value| {
            let mut input = valid.clone();
            input.insert(name.to_owned(), value);
            input
        };
        for member in members {
            let name = json_name(member);
            if member.required {
                let mut input = valid.clone();
                input.remove(&name);
                cases.push(Case {
                    what: format!("{name} missing"),
                    input,
                    valid: false,
                });
            }
            if let Some(bounds) = &member.constraints.length {
                if self.service.primitive_of(member.target) == Some(Primitive::String) {
                    if let Some(max) = bounds.max {
                        let over = "a".repeat(max as usize + 1);
                        cases.push(Case {
                            what: format!("{name} one past its longest"),
                            input: with(&name, json!(over)),
                            valid: false,
                        });
                        let longest = "a".repeat(max as usize);
                        // A page token must be one the service issued, whatever its length.
                        let token = operation.pagination.as_ref().is_some_and(|pagination| {
                            pagination.input_token.as_str() == member.wire_name
                        });
                        if self.fits(member, &longest) && !member.required && !token {
                            cases.push(Case {
                                what: format!("{name} at its longest"),
                                input: with(&name, json!(longest)),
                                valid: true,
                            });
                        }
                    }
                }
            }
            if let Some(bounds) = &member.constraints.range {
                if let Some(max) = bounds.max {
                    cases.push(Case {
                        what: format!("{name} one past its maximum"),
                        input: with(&name, json!(max as i64 + 1)),
                        valid: false,
                    });
                    cases.push(Case {
                        what: format!("{name} at its maximum"),
                        input: with(&name, json!(max as i64)),
                        valid: true,
                    });
                }
                if let Some(min) = bounds.min {
                    cases.push(Case {
                        what: format!("{name} one under its minimum"),
                        input: with(&name, json!(min as i64 - 1)),
                        valid: false,
                    });
                }
            }
            if let Target::Shape(shape) = member.target {
                if let DataKind::Enum(variants) = &self.service.shape(shape).kind {
                    for variant in variants {
                        let text = &variant.value;
                        cases.push(Case {
                            what: format!("{name} = {text}"),
                            input: with(&name, json!(text)),
                            valid: true,
                        });
                    }
                    cases.push(Case {
                        what: format!("{name} not one of its values"),
                        input: with(&name, json!("NOT_A_VALUE")),
                        valid: false,
                    });
                }
            }
        }
        cases.push(Case {
            what: "an unknown member".to_owned(),
            input: with("conformanceUnknownMember", json!("ignored")),
            valid: true,
        });
        Ok(cases)
    }
}

fn json_name(member: &Member) -> String {
    member
        .json_name
        .clone()
        .unwrap_or_else(|| member.name.clone())
}

/// The method, path (labels filled, query members added) and body of an input.
fn request(
    service: &Service,
    operation: &Operation,
    input: &Map<String, Value>,
) -> (String, String, Vec<u8>) {
    let route = operation
        .http
        .as_ref()
        .expect("restJson1 operations have @http");
    let members = service.shape(operation.input).members();
    let mut body = input.clone();
    let mut path = String::new();
    for segment in &route.path {
        match segment {
            PathSegment::Literal(text) => path.push_str(text),
            PathSegment::Label { member, .. } => {
                let value = body
                    .remove(member.as_str())
                    .and_then(|value| value.as_str().map(str::to_owned))
                    .unwrap_or_default();
                path.push_str(&percent_encode(&value));
            }
        }
    }
    let mut query = Vec::new();
    for member in members {
        if let Some(HttpBinding::Query(name, _)) = &member.http {
            if let Some(value) = body.remove(&json_name(member)) {
                let values = match value {
                    Value::Array(items) => items,
                    other => vec![other],
                };
                for value in values {
                    let text = value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_owned);
                    query.push(format!("{name}={}", percent_encode(&text)));
                }
            }
        }
    }
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    let body = if matches!(route.method, HttpMethod::Get | HttpMethod::Delete) {
        Vec::new()
    } else {
        Value::Object(body).to_string().into_bytes()
    };
    (route.method.as_str().to_owned(), path, body)
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Checks a value against a member's shape; the errors name the path.
fn check_value(
    service: &Service,
    member: &Member,
    value: &Value,
    path: &str,
    errors: &mut Vec<String>,
) {
    if let Some(primitive) = service.primitive_of(member.target) {
        let ok = match primitive {
            Primitive::String => value.as_str().is_some_and(|text| {
                let maker = Maker {
                    service,
                    notes: Default::default(),
                };
                let fits = maker.fits(member, text);
                if !fits {
                    errors.push(format!("{path}: `{text}` breaks its length or pattern"));
                }
                true
            }),
            Primitive::Boolean => value.is_boolean(),
            Primitive::Byte | Primitive::Short | Primitive::Integer | Primitive::Long => {
                value.as_i64().is_some_and(|number| {
                    let range = member.constraints.range.as_ref();
                    let inside = range.is_none_or(|bounds| {
                        bounds.min.is_none_or(|min| number as f64 >= min)
                            && bounds.max.is_none_or(|max| number as f64 <= max)
                    });
                    if !inside {
                        errors.push(format!("{path}: {number} is out of its range"));
                    }
                    true
                })
            }
            Primitive::Float | Primitive::Double => value.is_number(),
            Primitive::Timestamp => value.is_string() || value.is_number(),
            _ => true,
        };
        if !ok {
            errors.push(format!("{path}: {value} is not a {primitive:?}"));
        }
        return;
    }
    let Target::Shape(shape) = member.target else {
        return;
    };
    match &service.shape(shape).kind {
        DataKind::Enum(_) => {
            if !value.is_string() {
                errors.push(format!("{path}: {value} is not an enum value"));
            }
        }
        DataKind::IntEnum(_) => {
            if !value.is_i64() {
                errors.push(format!("{path}: {value} is not an intEnum value"));
            }
        }
        DataKind::List {
            member: element, ..
        } => match value.as_array() {
            Some(items) => {
                for (index, item) in items.iter().enumerate() {
                    check_value(service, element, item, &format!("{path}[{index}]"), errors);
                }
            }
            None => errors.push(format!("{path}: {value} is not a list")),
        },
        DataKind::Map { value: element, .. } => match value.as_object() {
            Some(entries) => {
                for (key, item) in entries {
                    check_value(service, element, item, &format!("{path}.{key}"), errors);
                }
            }
            None => errors.push(format!("{path}: {value} is not a map")),
        },
        DataKind::Structure(members) | DataKind::Union(members) => {
            check_object(service, members, value, path, errors)
        }
        DataKind::Alias { .. } => {}
    }
}

/// Checks an object against a structure's members: no unknown member, each known one fits.
fn check_object(
    service: &Service,
    members: &[Member],
    value: &Value,
    path: &str,
    errors: &mut Vec<String>,
) {
    let Some(object) = value.as_object() else {
        errors.push(format!("{path}: {value} is not an object"));
        return;
    };
    for (key, item) in object {
        match members.iter().find(|member| json_name(member) == *key) {
            Some(member) => check_value(service, member, item, &format!("{path}.{key}"), errors),
            None => errors.push(format!("{path}.{key}: not a member of the model's shape")),
        }
    }
}

#[tokio::test]
async fn every_operation_answers_as_the_model_says() {
    let service = service();
    let emulator = Emulator::builder()
        .room_quota(100_000)
        .start()
        .await
        .unwrap();
    let signer = Signer {
        url: emulator.url(),
        region: emulator.region(),
        credentials: emulator.credentials(),
    };
    let maker = Maker {
        service: &service,
        notes: Default::default(),
    };
    let (mut sent, mut checked, mut skipped) = (0, 0, Vec::new());
    let mut mismatches = Vec::new();
    let mut operations_seen = BTreeSet::new();
    for operation in &service.operations {
        let fixtures = fixtures_for(&emulator).await;
        let cases = match maker.cases(operation, &fixtures) {
            Ok(cases) => cases,
            Err(why) => {
                skipped.push(why);
                continue;
            }
        };
        operations_seen.insert(operation.name.clone());
        for case in cases {
            // Each case names fresh resources (a valid DeleteRoom deletes its room).
            let fresh = fixtures_for(&emulator).await;
            let text = Value::Object(case.input.clone())
                .to_string()
                .replace(&fixtures.room, &fresh.room)
                .replace(&fixtures.logging, &fresh.logging);
            let input: Map<String, Value> = serde_json::from_str(&text).unwrap();
            let (method, path, body) = request(&service, operation, &input);
            let answer = signer.signed(&method, &path, &body).await;
            sent += 1;
            let status = answer.status().as_u16();
            let label = format!("{} with {}", operation.name, case.what);
            let mut errors = Vec::new();
            if (200..300).contains(&status) {
                if !case.valid {
                    errors.push(format!("answered {status} to an invalid input"));
                }
                let body: Value = if answer.body().is_empty() {
                    json!({})
                } else {
                    serde_json::from_slice(answer.body()).unwrap_or(Value::Null)
                };
                let output = service.shape(operation.output).members();
                check_object(&service, output, &body, "output", &mut errors);
            } else {
                let code = answer
                    .headers()
                    .get("x-amzn-errortype")
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                let modelled = operation
                    .errors
                    .iter()
                    .map(|error| service.shape(*error))
                    .find(|error| error.name == code);
                match modelled {
                    Some(error) => {
                        if let Role::Error {
                            http_status: Some(expected),
                            ..
                        } = error.role
                        {
                            if expected != status {
                                errors.push(format!(
                                    "{code} answered {status}, the model says {expected}"
                                ));
                            }
                        }
                        let body: Value =
                            serde_json::from_slice(answer.body()).unwrap_or(Value::Null);
                        check_object(&service, error.members(), &body, &code, &mut errors);
                    }
                    None => errors.push(format!(
                        "answered {status} {code}, which the operation does not model"
                    )),
                }
                if case.valid {
                    errors.push(format!(
                        "refused a valid input: {status} {code}: {}",
                        String::from_utf8_lossy(answer.body())
                    ));
                } else if code != "ValidationException" {
                    errors.push(format!(
                        "an invalid input got {code}, not ValidationException"
                    ));
                }
            }
            checked += 1;
            mismatches.extend(errors.into_iter().map(|error| format!("{label}: {error}")));
        }
    }
    println!(
        "conformance: {} operations, {sent} inputs sent, {checked} answers checked, {} mismatches, {} operations skipped",
        operations_seen.len(),
        mismatches.len(),
        skipped.len()
    );
    for line in skipped.iter().chain(&mismatches) {
        println!("  {line}");
    }
    for note in maker.notes.borrow().iter() {
        println!("  model: {note}");
    }
    assert!(skipped.is_empty(), "operations without inputs: {skipped:?}");
    assert_eq!(operations_seen.len(), 17);
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
