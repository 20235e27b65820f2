//! The SigV4 verifier (what the emulator runs on every request) on mutated signed requests of
//! the official suite: every input is verified or refused, never a panic.

use std::time::Duration;

use ivschat_fuzz::{suite_folder, text_files, Campaign};
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::sigv4::{verify, SignableBody, SignableRequest};
use ivschat_runtime::DateTime;

/// The suite's signing time, 2015-08-30T12:36:00Z.
const SUITE_TIME: i64 = 1_440_938_160;

/// A request read from the suite's text form.
struct Parsed {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A request in the suite's text form: request line, headers (indented lines continue the
/// previous one), a blank line and the body. `None` when it has no request line.
fn parse(text: &str) -> Option<Parsed> {
    let (head, body) = match text.split_once("\n\n") {
        Some((head, body)) => (head, body.as_bytes().to_vec()),
        None => (text, Vec::new()),
    };
    let mut lines = head.lines();
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        match (line.starts_with([' ', '\t']), headers.last_mut()) {
            (true, Some((_, value))) => {
                value.push(' ');
                value.push_str(line.trim());
            }
            _ => {
                let (name, value) = line.split_once(':')?;
                headers.push((name.to_owned(), value.to_owned()));
            }
        }
    }
    Some(Parsed {
        method,
        path: path.to_owned(),
        query: query.to_owned(),
        headers,
        body,
    })
}

fn verifies(text: &str) -> bool {
    let Some(Parsed {
        method,
        path,
        query,
        headers,
        body,
    }) = parse(text)
    else {
        return false;
    };
    let request = SignableRequest {
        method: &method,
        path: &path,
        query: &query,
        headers: headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect(),
        body: SignableBody::Bytes(&body),
    };
    let lookup = |key: &str| {
        (key == "AKIDEXAMPLE")
            .then(|| Credentials::new(key, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None, None))
    };
    verify(
        &request,
        lookup,
        DateTime::from_secs(SUITE_TIME),
        Duration::from_secs(300),
    )
    .is_ok()
}

#[test]
fn the_verifier_never_panics() {
    let Some(folder) = suite_folder("sigv4/v4") else {
        return;
    };
    let corpus: Vec<Vec<u8>> = text_files(&folder, "header-signed-request.txt")
        .iter()
        .map(|path| std::fs::read(path).unwrap())
        .collect();
    assert!(
        corpus.len() >= 30,
        "{} signed requests in the suite",
        corpus.len()
    );
    let seeds_verified = corpus
        .iter()
        .filter(|seed| verifies(&String::from_utf8_lossy(seed)))
        .count();
    assert!(
        seeds_verified >= 20,
        "only {seeds_verified} of the suite's signed requests verify: the harness does not reach the signature check"
    );
    let ran = Campaign::new("sigv4-verifier").run(&corpus, |input| {
        verifies(&String::from_utf8_lossy(input));
    });
    assert!(ran >= corpus.len());
}
