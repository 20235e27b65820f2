//! STS in the emulator, so that role profiles and EKS IRSA can be tried locally:
//! `AssumeRole` (signed for `sts` with a key the emulator accepts) and
//! `AssumeRoleWithWebIdentity` (unsigned; only the tokens the emulator was given, see
//! [`Access::web_identity`]). Both answer in STS's XML with temporary credentials that the
//! emulator then accepts for IVS Chat calls until they expire. Requests are POSTs of form
//! bodies to `/`; nothing is written for a caller that is not authenticated.

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use ivschat_runtime::bytes::Bytes;
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::http::request::Parts;
use ivschat_runtime::http::Response;
use ivschat_runtime::sigv4::percent_decode;
use ivschat_runtime::xml::XmlWriter;
use ivschat_runtime::{DateTime, DateTimeFormat};

use crate::auth::{authenticate, Access, Scope};
use crate::fault::ResponseBody;
use crate::request_log::{OperationName, Refusal};
use crate::shared::Shared;
use crate::state::{new_id, secret_token};

/// The most parameters a form may hold (AssumeRole with 50 session tags, 50 transitive tag
/// keys and 10 policy ARNs has fewer than 200).
const MAX_PARAMETERS: usize = 256;

/// The largest web identity token taken (real ones are a few kilobytes).
const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// The STS API version.
const VERSION: &str = "2011-06-15";

/// An STS error: status, code and message.
#[derive(Debug, PartialEq, Eq)]
struct StsError {
    status: u16,
    code: &'static str,
    message: String,
}

impl StsError {
    fn invalid(message: impl Into<String>) -> Self {
        Self {
            status: 400,
            code: "ValidationError",
            message: message.into(),
        }
    }
}

/// True for an STS request: a form POST to `/`.
pub(crate) fn is_sts<B>(request: &ivschat_runtime::http::Request<B>) -> bool {
    request.method() == "POST"
        && request.uri().path() == "/"
        && request
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"))
}

/// The form's parameters, decoded, in linear time; a repeated name, or more than
/// [`MAX_PARAMETERS`], is an error.
fn parameters(body: &[u8]) -> Result<Vec<(String, String)>, StsError> {
    let text = std::str::from_utf8(body).map_err(|_| StsError::invalid("the body is not UTF-8"))?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut names = HashSet::new();
    for pair in text.split('&').filter(|pair| !pair.is_empty()) {
        if pairs.len() == MAX_PARAMETERS {
            return Err(StsError::invalid(format!(
                "the form holds more than {MAX_PARAMETERS} parameters"
            )));
        }
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = percent_decode(name);
        if !names.insert(name.clone()) {
            return Err(StsError::invalid(format!(
                "parameter {name} is given twice"
            )));
        }
        pairs.push((name, percent_decode(value)));
    }
    Ok(pairs)
}

/// What an assume-role call asks for.
#[derive(Debug, PartialEq, Eq)]
struct RoleRequest {
    role_arn: String,
    session_name: String,
    duration: Duration,
}

/// Reads and checks the role, session name and duration of a call.
fn role_request(pairs: &[(String, String)]) -> Result<RoleRequest, StsError> {
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let role_arn = get("RoleArn").ok_or_else(|| StsError::invalid("RoleArn is required"))?;
    let is_role = role_arn
        .strip_prefix("arn:")
        .and_then(|rest| rest.split_once(":role/"))
        .is_some_and(|(_, name)| !name.is_empty() && name.len() <= 64 && !name.contains(':'));
    if !is_role {
        return Err(StsError::invalid(format!(
            "RoleArn `{role_arn}` is not a role ARN"
        )));
    }
    let session_name =
        get("RoleSessionName").ok_or_else(|| StsError::invalid("RoleSessionName is required"))?;
    let allowed = |c: char| c.is_ascii_alphanumeric() || "=,.@_-".contains(c);
    if !(2..=64).contains(&session_name.len()) || !session_name.chars().all(allowed) {
        return Err(StsError::invalid(format!(
            "RoleSessionName `{session_name}` must be 2 to 64 of [\\w+=,.@-]"
        )));
    }
    let seconds = match get("DurationSeconds") {
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|seconds| (900..=43_200).contains(seconds))
            .ok_or_else(|| {
                StsError::invalid(format!("DurationSeconds `{text}` is not 900 to 43200"))
            })?,
        None => 3600,
    };
    Ok(RoleRequest {
        role_arn: role_arn.to_owned(),
        session_name: session_name.to_owned(),
        duration: Duration::from_secs(seconds),
    })
}

/// New temporary credentials for `request`, remembered for `principal` so that the emulator
/// accepts them.
fn issue(access: &Access, principal: &str, request: &RoleRequest) -> Credentials {
    let expires_at = SystemTime::now() + request.duration;
    let key = format!("ASIA{}", new_id().to_ascii_uppercase());
    let issued = Credentials::new(key, secret_token(), Some(secret_token()), Some(expires_at));
    access
        .issued
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(principal, issued.clone());
    issued
}

/// The `<ActionResponse>` XML carrying `credentials` for `request`.
fn success(
    action: &str,
    request: &RoleRequest,
    credentials: &Credentials,
    account: &str,
) -> String {
    let role_name = request.role_arn.rsplit('/').next().unwrap_or_default();
    let mut writer = XmlWriter::new();
    let mut root = writer.root(&format!("{action}Response"));
    root.attribute(
        "xmlns",
        &format!("https://sts.amazonaws.com/doc/{VERSION}/"),
    );
    let mut result = root.child(&format!("{action}Result"));
    let mut user = result.child("AssumedRoleUser");
    user.text_child(
        "AssumedRoleId",
        &format!(
            "AROA{}:{}",
            new_id().to_ascii_uppercase(),
            request.session_name
        ),
    );
    user.text_child(
        "Arn",
        &format!(
            "arn:aws:sts::{account}:assumed-role/{role_name}/{}",
            request.session_name
        ),
    );
    user.finish();
    let mut issued = result.child("Credentials");
    issued.text_child("AccessKeyId", credentials.access_key_id());
    issued.text_child("SecretAccessKey", credentials.secret_access_key());
    issued.text_child(
        "SessionToken",
        credentials.session_token().unwrap_or_default(),
    );
    let expiration = credentials
        .expires_at()
        .map(DateTime::from)
        .unwrap_or_else(DateTime::now);
    issued.text_child("Expiration", &expiration.fmt(DateTimeFormat::DateTime));
    issued.finish();
    result.finish();
    let mut metadata = root.child("ResponseMetadata");
    metadata.text_child("RequestId", &new_id());
    metadata.finish();
    root.finish();
    writer.finish()
}

/// The `<ErrorResponse>` XML of `error`.
fn failure(error: &StsError) -> String {
    let mut writer = XmlWriter::new();
    let mut root = writer.root("ErrorResponse");
    let mut body = root.child("Error");
    body.text_child("Type", "Sender");
    body.text_child("Code", error.code);
    body.text_child("Message", &error.message);
    body.finish();
    root.text_child("RequestId", &new_id());
    root.finish();
    writer.finish()
}

/// Runs one STS call.
fn call(shared: &Shared, parts: &Parts, body: &[u8]) -> Result<String, StsError> {
    let pairs = parameters(body)?;
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    if get("Version") != Some(VERSION) {
        return Err(StsError::invalid(format!("Version must be {VERSION}")));
    }
    let action = get("Action").unwrap_or_default();
    let principal = match action {
        "AssumeRole" => {
            authenticate(&shared.access, parts, body, "sts", Scope::Api)
                .map_err(|error| StsError {
                    status: error.status,
                    code: error.code,
                    message: error
                        .body
                        .get("message")
                        .and_then(|m| m.as_str())
                        .unwrap_or_default()
                        .to_owned(),
                })?
                .principal
        }
        "AssumeRoleWithWebIdentity" => {
            let token = get("WebIdentityToken").unwrap_or_default();
            if token.is_empty() || token.len() > MAX_TOKEN_BYTES {
                return Err(StsError::invalid("WebIdentityToken must be 1 to 16384 bytes"));
            }
            shared.access.web_identity(token).ok_or_else(|| StsError {
                status: 400,
                code: "InvalidIdentityToken",
                message: "the emulator takes only the web identity tokens it was started with \
                          (--web-identity-token, EmulatorBuilder::web_identity_token)"
                    .to_owned(),
            })?
        }
        other => {
            return Err(StsError {
                status: 400,
                code: "InvalidAction",
                message: format!("the emulator's STS answers AssumeRole and AssumeRoleWithWebIdentity, not `{other}`"),
            })
        }
    };
    let request = role_request(&pairs)?;
    let account = request
        .role_arn
        .split(':')
        .nth(4)
        .filter(|account| !account.is_empty())
        .unwrap_or("123456789012");
    let credentials = issue(&shared.access, &principal, &request);
    Ok(success(action, &request, &credentials, account))
}

/// The action a form names, when it is one the emulator knows (for the log).
fn action_name(body: &[u8]) -> &'static str {
    let text = std::str::from_utf8(body).unwrap_or_default();
    ["AssumeRole", "AssumeRoleWithWebIdentity"]
        .into_iter()
        .find(|action| {
            text.split('&')
                .any(|pair| pair == format!("Action={action}"))
        })
        .unwrap_or("STS")
}

/// Answers an STS request in STS's XML.
pub(crate) fn answer(shared: &Shared, parts: &Parts, body: &[u8]) -> Response<ResponseBody> {
    let (status, text, refusal) = match call(shared, parts, body) {
        Ok(text) => (200, text, None),
        Err(error) => {
            let reason = format!("{}: {}", error.code, error.message);
            (error.status, failure(&error), Some(Refusal(reason)))
        }
    };
    let bytes = Bytes::from(text);
    let mut response = Response::builder().extension(OperationName(action_name(body).to_owned()));
    if let Some(refusal) = refusal {
        response = response.extension(refusal);
    }
    response
        .status(status)
        .header("x-amzn-requestid", new_id())
        .header("content-type", "text/xml")
        .header("content-length", bytes.len())
        .body(ResponseBody::full(bytes))
        .expect("status and headers are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(body: &str) -> Result<Vec<(String, String)>, StsError> {
        parameters(body.as_bytes())
    }

    #[test]
    fn role_requests_are_checked_by_field() {
        let good =
            pairs("RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fchat&RoleSessionName=dev-1").unwrap();
        let request = role_request(&good).unwrap();
        assert_eq!(request.role_arn, "arn:aws:iam::1:role/chat");
        assert_eq!(request.duration, Duration::from_secs(3600));
        for (body, expected) in [
            ("RoleSessionName=a1", "RoleArn is required"),
            ("RoleArn=x&RoleSessionName=ab", "is not a role ARN"),
            (
                "RoleArn=arn:aws:iam::1:role/r&RoleSessionName=a",
                "must be 2 to 64",
            ),
            (
                "RoleArn=arn:aws:iam::1:role/r&RoleSessionName=a%20b",
                "must be 2 to 64",
            ),
            (
                "RoleArn=arn:aws:iam::1:role/r&RoleSessionName=ab&DurationSeconds=60",
                "900 to 43200",
            ),
        ] {
            let error = role_request(&pairs(body).unwrap()).unwrap_err();
            assert!(
                error.message.contains(expected),
                "{body}: {}",
                error.message
            );
        }
        assert!(pairs("A=1&A=2")
            .unwrap_err()
            .message
            .contains("given twice"));
        let crowded = (0..=MAX_PARAMETERS)
            .map(|n| format!("P{n}=1"))
            .collect::<Vec<_>>();
        assert!(pairs(&crowded.join("&"))
            .unwrap_err()
            .message
            .contains("more than 256 parameters"));
        assert!(parameters(b"\xff=1")
            .unwrap_err()
            .message
            .contains("not UTF-8"));
    }

    #[test]
    fn answers_are_xml_the_generated_sts_reader_takes() {
        let request = RoleRequest {
            role_arn: "arn:aws:iam::111122223333:role/chat".to_owned(),
            session_name: "s".to_owned(),
            duration: Duration::from_secs(900),
        };
        let credentials = Credentials::new(
            "ASIAX",
            "secret<&>",
            Some("token".to_owned()),
            Some(SystemTime::now()),
        );
        let text = success("AssumeRole", &request, &credentials, "111122223333");
        let root = ivschat_runtime::xml::parse(text.as_bytes()).unwrap();
        let result = root.child("AssumeRoleResult").unwrap();
        let issued = result.child("Credentials").unwrap();
        assert_eq!(issued.child("SecretAccessKey").unwrap().text(), "secret<&>");
        let arn = result
            .child("AssumedRoleUser")
            .unwrap()
            .child("Arn")
            .unwrap()
            .text();
        assert_eq!(arn, "arn:aws:sts::111122223333:assumed-role/chat/s");
        let error = failure(&StsError::invalid("bad <input>"));
        assert!(
            error.contains("<Code>ValidationError</Code>") && error.contains("bad &lt;input&gt;")
        );
    }
}
