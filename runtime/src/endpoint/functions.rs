//! The rules-engine standard library (smithy.rules) and the AWS functions, as the Smithy
//! "Rules engine" specification defines them.

use crate::sigv4::uri_encode as sigv4_encode;

/// `substring(input, start, stop, reverse)`: characters `start..stop` (from the end when
/// `reverse`); `None` when out of range or the input is not ASCII.
pub fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<String> {
    if start >= stop || stop > input.len() || !input.is_ascii() {
        return None;
    }
    let (from, to) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    Some(input[from..to].to_owned())
}

/// `split(value, delimiter, limit)`: the parts of `value` between occurrences of `delimiter`
/// (empty parts kept), at most `limit` of them when `limit` is positive (the last holds the
/// rest); an empty delimiter gives `value` whole.
pub fn split(value: &str, delimiter: &str, limit: i64) -> Vec<String> {
    if delimiter.is_empty() {
        return vec![value.to_owned()];
    }
    match usize::try_from(limit) {
        Ok(limit) if limit > 0 => value.splitn(limit, delimiter).map(str::to_owned).collect(),
        _ => value.split(delimiter).map(str::to_owned).collect(),
    }
}

/// `uriEncode(value)`: percent-encoding of everything but unreserved characters.
pub fn uri_encode(value: &str) -> String {
    sigv4_encode(value, false)
}

/// `isValidHostLabel(value, allowSubDomains)`: an RFC 1123 label (or dotted labels).
pub fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    let valid_label = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label.starts_with(|c: char| c.is_ascii_alphanumeric())
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if allow_sub_domains {
        value.split('.').all(valid_label)
    } else {
        valid_label(value)
    }
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && label.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let looks_like_ip =
        value.split('.').count() == 4 && value.split('.').all(|part| part.parse::<u8>().is_ok());
    if looks_like_ip || value.len() < 3 || value.len() > 63 {
        return false;
    }
    if allow_sub_domains {
        value.split('.').all(label_ok)
    } else {
        label_ok(value)
    }
}

/// The result of `parseURL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`.
    pub scheme: String,
    /// Host and optional port.
    pub authority: String,
    /// The path as given.
    pub path: String,
    /// The path with a trailing `/`.
    pub normalized_path: String,
    /// The host is an IP address.
    pub is_ip: bool,
}

/// `parseURL(value)`: an http(s) URL without query; `None` otherwise.
pub fn parse_url(value: &str) -> Option<Url> {
    let (scheme, rest) = value.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.contains('?') || rest.contains('#') {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return None;
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(inside) => {
            let (address, after) = inside.split_once(']')?;
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':')?),
            };
            (format!("[{address}]"), port)
        }
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), Some(port)),
            None => (authority.to_owned(), None),
        },
    };
    if port.is_some_and(|port| {
        port.parse::<u16>().is_err() || !port.bytes().all(|b| b.is_ascii_digit())
    }) {
        return None;
    }
    let is_ip = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
    let normalized_path = if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    };
    Some(Url {
        scheme: scheme.to_owned(),
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip,
    })
}

/// The result of `aws.parseArn`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn {
    /// The partition, e.g. `aws`.
    pub partition: String,
    /// The service, e.g. `ivschat`.
    pub service: String,
    /// The region (may be empty).
    pub region: String,
    /// The account id (may be empty).
    pub account_id: String,
    /// The resource, split on `:` and `/`.
    pub resource_id: Vec<String>,
}

/// `aws.parseArn(value)`: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`; `None` otherwise.
pub fn parse_arn(value: &str) -> Option<Arn> {
    let mut parts = value.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account_id.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_empty_parts_and_stops_at_the_limit() {
        assert_eq!(split("a--b--c", "--", 0), ["a", "b", "c"]);
        assert_eq!(split("", "--", 0), [""]);
        assert_eq!(split("----", "--", 0), ["", "", ""]);
        assert_eq!(split("aaa", "aa", 0), ["", "a"]);
        assert_eq!(split("a--b--c--d", "--", 3), ["a", "b", "c--d"]);
        assert_eq!(split("a--b--c", "--", 1), ["a--b--c"]);
        assert_eq!(split("abc", "", 0), ["abc"]);
    }

    #[test]
    fn substring_edges() {
        assert_eq!(substring("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("\u{1F600}abcd", 0, 4, false), None);
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(!is_valid_host_label("-bad", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("", false));
    }

    #[test]
    fn s3_buckets() {
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("My-Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("192.168.0.1", true));
        assert!(is_virtual_hostable_s3_bucket("a.bucket.name", true));
        assert!(!is_virtual_hostable_s3_bucket("a.bucket.name", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        for bad in [
            "-bucket-name",
            "bucket-name-",
            ".bucket-name",
            "bucket-.name",
            "bucket..name",
            "bucket_name",
        ] {
            assert!(!is_virtual_hostable_s3_bucket(bad, true), "{bad}");
        }
    }

    #[test]
    fn urls() {
        let url = parse_url("https://example.com:8443/base").unwrap();
        assert_eq!(
            (
                url.authority.as_str(),
                url.path.as_str(),
                url.normalized_path.as_str()
            ),
            ("example.com:8443", "/base", "/base/")
        );
        assert!(!url.is_ip);
        assert!(parse_url("http://127.0.0.1:4566").unwrap().is_ip);
        assert!(parse_url("http://[::1]:80/").unwrap().is_ip);
        assert_eq!(parse_url("ftp://x"), None);
        assert_eq!(parse_url("https://x/?q=1"), None);
        assert_eq!(parse_url("http://abc.com:a/foo"), None);
        assert_eq!(parse_url("http://abc.com:99999"), None);
        assert_eq!(parse_url("http://[::1]x"), None);
    }

    #[test]
    fn arns() {
        let arn = parse_arn("arn:aws:ivschat:us-west-2:123456789012:room/abc").unwrap();
        assert_eq!(arn.resource_id, ["room", "abc"]);
        assert_eq!(parse_arn("arn:aws:s3:::bucket").unwrap().region, "");
        assert_eq!(parse_arn("arn:aws:s3::"), None);
        assert_eq!(parse_arn("notarn:aws:s3:::b"), None);
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(uri_encode("a b/c"), "a%20b%2Fc");
    }
}
