//! The official SigV4 test suite (`$IVSCHAT_TESTSUITES/sigv4/v4` and `v4a`): for every case, the
//! canonical request, string to sign and signature of header signing and of query presigning.
//! SigV4a signatures are randomised in the suite, so they are checked with the case's public
//! key (and the key we derive must be that key).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::sigv4::{
    presign_query, sign_headers, Algorithm, PathEncoding, SessionTokenMode, SignableBody,
    SignableRequest, Signature, SigningKeyCache, SigningParams, SigningSettings,
};
use ivschat_runtime::{DateTime, DateTimeFormat};
use serde_json::Value;

/// A request parsed from a case's `request.txt`.
struct ParsedRequest {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl ParsedRequest {
    fn signable(&self) -> SignableRequest<'_> {
        SignableRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: self
                .headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect(),
            body: SignableBody::Bytes(&self.body),
        }
    }
}

/// Percent-encodes what may not appear raw in a URI (spaces, non-ASCII), as an HTTP client does
/// before sending; escapes already present are kept.
fn to_wire(text: &str) -> String {
    let mut out = String::new();
    for &byte in text.as_bytes() {
        if byte.is_ascii_graphic() {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn parse_request(text: &str) -> ParsedRequest {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().expect("a request line");
    let (method, rest) = request_line
        .split_once(' ')
        .expect("METHOD TARGET HTTP/1.1");
    let target = rest.rsplit_once(' ').map_or(rest, |(target, _)| target);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().expect("a continuation follows a header");
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    ParsedRequest {
        method: method.to_owned(),
        path: to_wire(path),
        query: to_wire(query),
        headers,
        body: body.as_bytes().to_vec(),
    }
}

fn read(case: &Path, file: &str) -> String {
    fs::read_to_string(case.join(file))
        .unwrap_or_else(|error| panic!("{}: {error}", case.join(file).display()))
}

fn time(text: &str) -> DateTime {
    DateTime::parse(text, DateTimeFormat::DateTime).unwrap()
}

fn check(failures: &mut Vec<String>, case: &str, what: &str, expected: &str, actual: &str) {
    if expected.trim_end() != actual {
        failures.push(format!(
            "{case}: {what} differs\n--- expected\n{expected}\n--- actual\n{actual}"
        ));
    }
}

/// SigV4a: the key derived from the credentials is the case's public key, and both the
/// suite's signatures and ours verify with it (the suite's are randomised, not reproducible).
#[cfg(feature = "sigv4a")]
fn check_v4a(
    failures: &mut Vec<String>,
    case: &Path,
    credentials: &Credentials,
    header: &Signature,
    query: &Signature,
) {
    use ivschat_runtime::sigv4::v4a;
    use ivschat_runtime::sigv4::v4a::p256::ecdsa::signature::Verifier;
    use ivschat_runtime::sigv4::v4a::p256::ecdsa::{DerSignature, VerifyingKey};
    let hex_bytes = |text: &str| -> Vec<u8> {
        let text = text.trim();
        (0..text.len())
            .step_by(2)
            .map(|at| u8::from_str_radix(&text[at..at + 2], 16).unwrap())
            .collect()
    };
    let key: Value = serde_json::from_str(&read(case, "public-key.json")).unwrap();
    let mut sec1 = vec![0x04];
    sec1.extend(hex_bytes(key["X"].as_str().unwrap()));
    sec1.extend(hex_bytes(key["Y"].as_str().unwrap()));
    let derived = v4a::signing_key(credentials)
        .verifying_key()
        .to_sec1_point(false);
    if derived.as_bytes() != sec1.as_slice() {
        failures.push(format!(
            "{}: the derived key is not public-key.json",
            case.display()
        ));
    }
    let verifying = VerifyingKey::from_sec1_bytes(&sec1).unwrap();
    let signatures = [
        (
            "the suite's header signature",
            &header.string_to_sign,
            read(case, "header-signature.txt"),
        ),
        (
            "our header signature",
            &header.string_to_sign,
            header.signature.clone(),
        ),
        (
            "the suite's query signature",
            &query.string_to_sign,
            read(case, "query-signature.txt"),
        ),
        (
            "our query signature",
            &query.string_to_sign,
            query.signature.clone(),
        ),
    ];
    for (what, string_to_sign, signature) in signatures {
        let verified = DerSignature::try_from(hex_bytes(&signature).as_slice())
            .is_ok_and(|der| verifying.verify(string_to_sign.as_bytes(), &der).is_ok());
        if !verified {
            failures.push(format!(
                "{}: {what} does not verify with public-key.json",
                case.display()
            ));
        }
    }
}

#[cfg(not(feature = "sigv4a"))]
fn check_v4a(
    failures: &mut Vec<String>,
    case: &Path,
    _: &Credentials,
    _: &Signature,
    _: &Signature,
) {
    failures.push(format!(
        "{}: built without the sigv4a feature",
        case.display()
    ));
}

/// Checks a case with a `context.json`; returns the failures.
fn run_context_case(case: &Path, name: &str, algorithm: Algorithm) -> Vec<String> {
    let context: Value = serde_json::from_str(&read(case, "context.json")).unwrap();
    let credentials = &context["credentials"];
    let credentials = Credentials::new(
        credentials["access_key_id"].as_str().unwrap(),
        credentials["secret_access_key"].as_str().unwrap(),
        credentials["token"].as_str().map(str::to_owned),
        None,
    );
    let settings = SigningSettings {
        // The suite's paths are the signer's input as they are (its "double" encoding is the
        // HTTP layer's first encoding plus ours, which `to_wire` stands in for).
        path_encoding: PathEncoding::Single,
        normalize_path: context["normalize"].as_bool().unwrap(),
        payload_checksum_header: context["sign_body"].as_bool().unwrap_or(false),
        session_token: if context["omit_session_token"].as_bool().unwrap_or(false) {
            SessionTokenMode::AddedAfterSigning
        } else {
            SessionTokenMode::Signed
        },
        algorithm,
    };
    let params = SigningParams {
        credentials: &credentials,
        region: context["region"].as_str().unwrap(),
        service: context["service"].as_str().unwrap(),
        time: time(context["timestamp"].as_str().unwrap()),
        settings,
    };
    let request = parse_request(&read(case, "request.txt"));
    let keys = SigningKeyCache::default();
    let mut failures = Vec::new();
    let header = sign_headers(&request.signable(), &params, &keys);
    check(
        &mut failures,
        name,
        "header canonical request",
        &read(case, "header-canonical-request.txt"),
        &header.canonical_request,
    );
    check(
        &mut failures,
        name,
        "header string to sign",
        &read(case, "header-string-to-sign.txt"),
        &header.string_to_sign,
    );
    let expires = Duration::from_secs(context["expiration_in_seconds"].as_u64().unwrap_or(3600));
    let query = presign_query(&request.signable(), &params, &keys, expires);
    check(
        &mut failures,
        name,
        "query canonical request",
        &read(case, "query-canonical-request.txt"),
        &query.canonical_request,
    );
    check(
        &mut failures,
        name,
        "query string to sign",
        &read(case, "query-string-to-sign.txt"),
        &query.string_to_sign,
    );
    match algorithm {
        Algorithm::V4 => {
            check(
                &mut failures,
                name,
                "header signature",
                &read(case, "header-signature.txt"),
                &header.signature,
            );
            check(
                &mut failures,
                name,
                "query signature",
                &read(case, "query-signature.txt"),
                &query.signature,
            );
        }
        Algorithm::V4a => check_v4a(&mut failures, case, &credentials, &header, &query),
    }
    failures
}

/// The two cases migrated from the old suite have no `context.json`; the suite's README gives
/// their parameters. Both check that non-S3 paths are encoded twice.
fn run_double_encoding_case(case: &Path, name: &str) -> Vec<String> {
    let (access_key, secret, region, service) = match name {
        "double-encode-path" => (
            "ANOTREAL",
            "notrealrnrELgWzOk3IfjzDKtFBhDby",
            "us-east-1",
            "service",
        ),
        "double-url-encode" => (
            "ANOTREAL",
            "notrealrnrELgWzOk3IfjzDKtFBhDby",
            "us-east-2",
            "lambda",
        ),
        other => return vec![format!("{other}: no context.json and no known parameters")],
    };
    let credentials = Credentials::new(access_key, secret, None, None);
    let request = parse_request(&read(case, "request.txt"));
    let keys = SigningKeyCache::default();
    let params = |timestamp: &str| SigningParams {
        credentials: &credentials,
        region,
        service,
        time: time(timestamp),
        settings: SigningSettings::default(),
    };
    let mut failures = Vec::new();
    let signed = sign_headers(&request.signable(), &params("2021-05-11T15:40:45Z"), &keys);
    check(
        &mut failures,
        name,
        "canonical request",
        &read(case, "header-canonical-request.txt"),
        &signed.canonical_request,
    );
    if case.join("header-string-to-sign.txt").exists() {
        check(
            &mut failures,
            name,
            "string to sign",
            &read(case, "header-string-to-sign.txt"),
            &signed.string_to_sign,
        );
    }
    if name == "double-encode-path" {
        // Its signed request was signed at the request's own x-amz-date.
        let at_request_time =
            sign_headers(&request.signable(), &params("2015-08-30T12:36:00Z"), &keys);
        let signed_request = read(case, "header-signed-request.txt");
        if !signed_request.contains(&format!("Signature={}", at_request_time.signature)) {
            failures.push(format!(
                "{name}: signature {} not in the signed request",
                at_request_time.signature
            ));
        }
    }
    failures
}

/// The suite's folder; unset, the test says so and skips (under `CI=true` it fails).
fn suite_folder(version: &str) -> Option<PathBuf> {
    ivschat_fuzz::suite_folder(&format!("sigv4/{version}"))
}

/// Runs every case of the suite in `sigv4/VERSION` with `algorithm`, prints the count and
/// checks there are `expected` cases, all passing.
fn run_suite(version: &str, algorithm: Algorithm, expected: usize) {
    let Some(folder) = suite_folder(version) else {
        return;
    };
    let mut cases: Vec<PathBuf> = fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    let mut passed = 0;
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let case_failures = if case.join("context.json").exists() {
            run_context_case(case, &name, algorithm)
        } else {
            run_double_encoding_case(case, &name)
        };
        if case_failures.is_empty() {
            passed += 1;
        }
        failures.extend(case_failures);
    }
    let label = match algorithm {
        Algorithm::V4 => "sigv4",
        Algorithm::V4a => "sigv4a",
    };
    println!("{label} suite: {passed}/{} cases passed", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(
        cases.len(),
        expected,
        "the {version} suite has {expected} cases"
    );
}

#[test]
fn sigv4_suite() {
    run_suite("v4", Algorithm::V4, 40);
}

#[cfg(feature = "sigv4a")]
#[test]
fn sigv4a_suite() {
    run_suite("v4a", Algorithm::V4a, 38);
}
