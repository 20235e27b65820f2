//! The response readers of each body format on the same data: a 1 MB `ListUsers`-like page
//! (IAM's shape: users with a name, id, ARN, path, creation date and tags), read into typed
//! values the way generated readers do: XML, JSON and RPC v2 CBOR with the pull readers the
//! generated readers use, and as baselines (how they read before) XML through an element tree
//! and JSON through a `serde_json::Value` tree, each copied into the typed values.
//! `cargo bench -p ivschat-runtime --features xml,cbor --bench readers` prints the median of 25
//! reads of each (after 3 warm-ups) and the bytes per second. A bench binary, not a timed test:
//! figures vary with the machine.

use std::time::{Duration, Instant};

use ivschat_runtime::cbor::CborValue;
use ivschat_runtime::deserialize::{DeserializeError, Path};
use ivschat_runtime::{json, xml, DateTime, DateTimeFormat};

/// One user of the page.
#[derive(Debug, PartialEq)]
struct User {
    name: String,
    id: String,
    arn: String,
    path: String,
    created: DateTime,
    tags: Vec<(String, String)>,
}

impl User {
    /// A user with every field empty, filled as its members are read.
    fn empty() -> Self {
        Self {
            name: String::new(),
            id: String::new(),
            arn: String::new(),
            path: String::new(),
            created: DateTime::from_secs(0),
            tags: Vec::new(),
        }
    }
}

/// About 1 MB of users (each about 400 bytes in either format).
const USERS: usize = 2600;

fn users() -> Vec<User> {
    (0..USERS)
        .map(|index| User {
            name: format!("user-{index:05}-with-a-longer-name"),
            id: format!("AIDA{index:016}"),
            arn: format!("arn:aws:iam::123456789012:user/division/team/user-{index:05}"),
            path: "/division/team/".to_owned(),
            created: DateTime::from_secs(1_700_000_000 + index as i64),
            tags: vec![
                ("team".to_owned(), format!("video-{}", index % 7)),
                ("cost-center".to_owned(), format!("cc-{}", index % 13)),
            ],
        })
        .collect()
}

fn xml_page(users: &[User]) -> String {
    let mut writer = xml::XmlWriter::new();
    let mut root = writer.root("ListUsersResponse");
    let mut result = root.child("ListUsersResult");
    let mut list = result.child("Users");
    for user in users {
        let mut member = list.child("member");
        member.text_child("UserName", &user.name);
        member.text_child("UserId", &user.id);
        member.text_child("Arn", &user.arn);
        member.text_child("Path", &user.path);
        member.text_child("CreateDate", &user.created.fmt(DateTimeFormat::DateTime));
        let mut tags = member.child("Tags");
        for (key, value) in &user.tags {
            let mut tag = tags.child("member");
            tag.text_child("Key", key);
            tag.text_child("Value", value);
            tag.finish();
        }
        tags.finish();
        member.finish();
    }
    list.finish();
    result.text_child("IsTruncated", "false");
    result.finish();
    root.finish();
    writer.finish()
}

fn json_page(users: &[User]) -> String {
    let users: Vec<serde_json::Value> = users
        .iter()
        .map(|user| {
            serde_json::json!({
                "UserName": user.name, "UserId": user.id, "Arn": user.arn, "Path": user.path,
                "CreateDate": user.created.fmt(DateTimeFormat::DateTime),
                "Tags": user.tags.iter().map(|(key, value)| serde_json::json!({"Key": key, "Value": value})).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({"Users": users, "IsTruncated": false}).to_string()
}

fn cbor_page(users: &[User]) -> Vec<u8> {
    let mut body = Vec::new();
    let mut page = CborValue::new(&mut body).object();
    let mut list = page.key("Users").array();
    for user in users {
        let mut member = list.value().object();
        member.key("UserName").string(&user.name);
        member.key("UserId").string(&user.id);
        member.key("Arn").string(&user.arn);
        member.key("Path").string(&user.path);
        member
            .key("CreateDate")
            .timestamp(&user.created, DateTimeFormat::EpochSeconds);
        let mut tags = member.key("Tags").array();
        for (key, value) in &user.tags {
            let mut tag = tags.value().object();
            tag.key("Key").string(key);
            tag.key("Value").string(value);
            tag.finish();
        }
        tags.finish();
        member.finish();
    }
    list.finish();
    page.key("IsTruncated").boolean(false);
    page.finish();
    body
}

/// A user with the XML pull reader, as a generated `read_xml` reads it.
fn read_xml_user<'a>(
    reader: &mut xml::read::Reader<'a>,
    start: &xml::read::Start<'a>,
    path: &Path,
) -> Result<User, DeserializeError> {
    use xml::read;
    let mut user = User::empty();
    while let Some(child) = reader.child(start)? {
        let at = Path::Member(path, "x");
        match child.name() {
            "UserName" => user.name = read::string_element(reader, &child, &at)?,
            "UserId" => user.id = read::string_element(reader, &child, &at)?,
            "Arn" => user.arn = read::string_element(reader, &child, &at)?,
            "Path" => user.path = read::string_element(reader, &child, &at)?,
            "CreateDate" => {
                let format = read::timestamp_in(DateTimeFormat::DateTime);
                user.created = format(&reader.text(&child)?, &at)?;
            }
            "Tags" => {
                user.tags = read::list(reader, &child, "member", &at, |reader, tag, path| {
                    let (mut key, mut value) = (String::new(), String::new());
                    while let Some(child) = reader.child(tag)? {
                        match child.name() {
                            "Key" => key = read::string_element(reader, &child, path)?,
                            "Value" => value = read::string_element(reader, &child, path)?,
                            _ => reader.skip(&child)?,
                        }
                    }
                    Ok((key, value))
                })?
            }
            _ => reader.skip(&child)?,
        }
    }
    Ok(user)
}

fn read_xml(body: &[u8]) -> Result<Vec<User>, DeserializeError> {
    use xml::read;
    read::query_result(
        body,
        "ListUsersResponse",
        "ListUsersResult",
        |reader, start| {
            let path = Path::Root("ListUsersResult");
            let mut users = Vec::new();
            while let Some(child) = reader.child(start)? {
                match child.name() {
                    "Users" => users = read::list(reader, &child, "member", &path, read_xml_user)?,
                    _ => reader.skip(&child)?,
                }
            }
            Ok(users)
        },
    )
}

/// The `<member>` children of `element`, if there is one.
fn members(element: Option<&xml::Element>) -> impl Iterator<Item = &xml::Element> {
    let children = element.map_or(&[][..], xml::Element::children);
    children.iter().filter(|child| child.name() == "member")
}

/// The XML baseline: an element tree, then every string copied out of it (how the XML
/// readers read before the pull reader).
fn read_xml_tree(body: &[u8]) -> Result<Vec<User>, DeserializeError> {
    let document = xml::parse(body)?;
    let text = |element: &xml::Element, name: &str| {
        element
            .child(name)
            .map(|child| child.text().to_owned())
            .unwrap_or_default()
    };
    let result = document.child("ListUsersResult");
    members(result.and_then(|result| result.child("Users")))
        .map(|user| {
            let created = user.child("CreateDate").map_or("", xml::Element::text);
            Ok(User {
                name: text(user, "UserName"),
                id: text(user, "UserId"),
                arn: text(user, "Arn"),
                path: text(user, "Path"),
                created: DateTime::parse(created, DateTimeFormat::DateTime).map_err(|_| {
                    DeserializeError::new("ListUsersResult", "a bad date".to_owned())
                })?,
                tags: members(user.child("Tags"))
                    .map(|tag| (text(tag, "Key"), text(tag, "Value")))
                    .collect(),
            })
        })
        .collect()
}

/// A user with the pull reader, its creation date in `created_format` (text in JSON, epoch
/// seconds in CBOR).
fn read_pulled_user(
    reader: &mut json::read::Reader<'_>,
    path: &Path,
    created_format: DateTimeFormat,
) -> Result<User, DeserializeError> {
    use json::read;
    let mut user = User::empty();
    read::object(reader, path, |reader, key| {
        let at = Path::Member(path, key);
        let text = |reader: &mut read::Reader<'_>| {
            read::optional(reader, &at, read::string).map(Option::unwrap_or_default)
        };
        match key {
            "UserName" => user.name = text(reader)?,
            "UserId" => user.id = text(reader)?,
            "Arn" => user.arn = text(reader)?,
            "Path" => user.path = text(reader)?,
            "CreateDate" => {
                let format = read::timestamp_in(created_format);
                user.created =
                    read::optional(reader, &at, format)?.unwrap_or(DateTime::from_secs(0));
            }
            "Tags" => read::array(reader, &at, |reader, index| {
                let path = Path::Index(&at, index);
                let (mut tag_key, mut tag_value) = (String::new(), String::new());
                read::object(reader, &path, |reader, key| {
                    let at = Path::Member(&path, key);
                    match key {
                        "Key" => tag_key = read::string(reader, &at)?,
                        "Value" => tag_value = read::string(reader, &at)?,
                        _ => read::skip(reader)?,
                    }
                    Ok(())
                })?;
                user.tags.push((tag_key, tag_value));
                Ok(())
            })?,
            _ => read::skip(reader)?,
        }
        Ok(())
    })?;
    Ok(user)
}

/// The users of a page with the pull reader, from the object `reader` is on.
fn read_pulled_page(
    reader: &mut json::read::Reader<'_>,
    path: &Path,
    created_format: DateTimeFormat,
) -> Result<Vec<User>, DeserializeError> {
    use json::read;
    let mut users = Vec::new();
    read::object(reader, path, |reader, key| match key {
        "Users" => read::array(reader, &Path::Member(path, key), |reader, index| {
            let path = Path::Index(path, index);
            users.push(read_pulled_user(reader, &path, created_format)?);
            Ok(())
        }),
        _ => read::skip(reader),
    })?;
    Ok(users)
}

fn read_json(body: &[u8]) -> Result<Vec<User>, DeserializeError> {
    json::read::from_body(body, &Path::Root("ListUsersOutput"), |reader, path| {
        read_pulled_page(reader, path, DateTimeFormat::DateTime)
    })
}

fn read_cbor(body: &[u8]) -> Result<Vec<User>, DeserializeError> {
    json::read::from_cbor(body, &Path::Root("ListUsersOutput"), |reader, path| {
        read_pulled_page(reader, path, DateTimeFormat::EpochSeconds)
    })
}

/// The baseline: a `serde_json::Value` tree, then every string copied out of it.
fn read_json_tree(body: &[u8]) -> Result<Vec<User>, DeserializeError> {
    use serde_json::Value;
    let invalid = |why: &str| DeserializeError::new("ListUsersOutput", why.to_owned());
    let document: Value = serde_json::from_slice(body).map_err(|_| invalid("invalid JSON"))?;
    let text = |user: &Value, name: &str| {
        user.get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let users = document
        .get("Users")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("no users"))?;
    users
        .iter()
        .map(|user| {
            let created = user
                .get("CreateDate")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let tags = user
                .get("Tags")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            Ok(User {
                name: text(user, "UserName"),
                id: text(user, "UserId"),
                arn: text(user, "Arn"),
                path: text(user, "Path"),
                created: DateTime::parse(created, DateTimeFormat::DateTime)
                    .map_err(|_| invalid("a bad date"))?,
                tags: tags
                    .iter()
                    .map(|tag| (text(tag, "Key"), text(tag, "Value")))
                    .collect(),
            })
        })
        .collect()
}

/// The median time of `runs` reads (after warm-ups).
fn median(runs: usize, mut read: impl FnMut()) -> Duration {
    for _ in 0..3 {
        read();
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            read();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let expected = users();
    let xml_body = xml_page(&expected);
    let json_body = json_page(&expected);
    let cbor_body = cbor_page(&expected);
    assert_eq!(
        read_xml(xml_body.as_bytes()).unwrap(),
        expected,
        "the XML reader reads the page"
    );
    assert_eq!(
        read_xml_tree(xml_body.as_bytes()).unwrap(),
        expected,
        "the XML tree baseline reads the page"
    );
    assert_eq!(
        read_json(json_body.as_bytes()).unwrap(),
        expected,
        "the JSON reader reads the page"
    );
    assert_eq!(
        read_cbor(&cbor_body).unwrap(),
        expected,
        "the CBOR reader reads the page"
    );
    assert_eq!(
        read_json_tree(json_body.as_bytes()).unwrap(),
        expected,
        "the JSON tree baseline reads the page"
    );
    println!(
        "readers: {USERS} users, XML {} bytes, JSON {} bytes, CBOR {} bytes",
        xml_body.len(),
        json_body.len(),
        cbor_body.len()
    );
    for (name, body, read) in [
        (
            "XML ",
            xml_body.as_bytes(),
            read_xml as fn(&[u8]) -> Result<Vec<User>, DeserializeError>,
        ),
        (
            "XML through an element tree (baseline)",
            xml_body.as_bytes(),
            read_xml_tree,
        ),
        ("JSON", json_body.as_bytes(), read_json),
        ("CBOR", &cbor_body, read_cbor),
        (
            "JSON through a Value tree (baseline)",
            json_body.as_bytes(),
            read_json_tree,
        ),
    ] {
        let time = median(25, || {
            std::hint::black_box(read(std::hint::black_box(body)).unwrap());
        });
        let rate = body.len() as f64 / time.as_secs_f64() / 1e6;
        println!(
            "  {name}: median {:.2} ms per page, {rate:.0} MB/s",
            time.as_secs_f64() * 1e3
        );
    }
}
