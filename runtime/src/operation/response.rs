//! Helpers the generated response deserializers call for HTTP bindings. Header readers take a
//! response with any body: whole, or streaming and still unread.

use std::collections::HashMap;
use std::str::FromStr;

use crate::json::DeserializeError;
use crate::transport::HttpResponse;
use crate::{DateTime, DateTimeFormat};

/// The text of a header, when present (several values are joined with `, `).
pub fn header_text(
    response: &http::Response<impl Sized>,
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
    response: &http::Response<impl Sized>,
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
    response: &http::Response<impl Sized>,
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

/// The text of a header holding base64 (a string with a `@mediaType`), decoded.
pub fn header_base64_text(
    response: &http::Response<impl Sized>,
    name: &str,
    path: &str,
) -> Result<Option<String>, DeserializeError> {
    header_text(response, name, path)?
        .map(|text| {
            crate::json::base64::decode(&text)
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| {
                    DeserializeError::new(
                        path,
                        format!("header `{name}` is not base64 of UTF-8 text"),
                    )
                })
        })
        .transpose()
}

/// The items of a list header: split on commas outside double quotes, each trimmed, quoted
/// items unquoted (`\"` and `\\` unescaped). An HTTP date holds a comma of its own, so with
/// `DateTimeFormat::HttpDate` items are taken two by two.
fn header_items(
    response: &http::Response<impl Sized>,
    name: &str,
    path: &str,
) -> Result<Option<Vec<String>>, DeserializeError> {
    let Some(text) = header_text(response, name, path)? else {
        return Ok(None);
    };
    let mut items = Vec::new();
    let mut item = String::new();
    let mut quoted = false;
    let mut characters = text.chars();
    while let Some(character) = characters.next() {
        match character {
            '"' if item.trim().is_empty() && !quoted => {
                item.clear();
                quoted = true;
            }
            '"' if quoted => quoted = false,
            '\\' if quoted => item.extend(characters.next()),
            ',' if !quoted => items.push(std::mem::take(&mut item).trim().to_owned()),
            other => item.push(other),
        }
    }
    if quoted {
        return Err(DeserializeError::new(
            path,
            format!("header `{name}` has an unterminated quoted item"),
        ));
    }
    items.push(item.trim().to_owned());
    Ok(Some(items))
}

/// A list header of strings.
pub fn header_list(
    response: &http::Response<impl Sized>,
    name: &str,
    path: &str,
) -> Result<Option<Vec<String>>, DeserializeError> {
    header_items(response, name, path)
}

/// A list header of values parsed with `FromStr` (numbers, booleans).
pub fn header_list_parse<T: FromStr>(
    response: &http::Response<impl Sized>,
    name: &str,
    path: &str,
) -> Result<Option<Vec<T>>, DeserializeError> {
    header_items(response, name, path)?
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    item.parse().map_err(|_| {
                        DeserializeError::new(
                            path,
                            format!(
                                "header `{name}` holds `{item}`, not a value of the list's type"
                            ),
                        )
                    })
                })
                .collect()
        })
        .transpose()
}

/// A list header of timestamps in `format`.
pub fn header_list_timestamps(
    response: &http::Response<impl Sized>,
    name: &str,
    format: DateTimeFormat,
    path: &str,
) -> Result<Option<Vec<DateTime>>, DeserializeError> {
    let Some(items) = header_items(response, name, path)? else {
        return Ok(None);
    };
    let texts: Vec<String> = match format {
        DateTimeFormat::HttpDate => items.chunks(2).map(|pair| pair.join(", ")).collect(),
        _ => items,
    };
    texts
        .iter()
        .map(|text| {
            DateTime::parse(text, format)
                .map_err(|error| DeserializeError::new(path, error.to_string()))
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

/// The headers whose names start with `prefix`, by the rest of the name; an empty map when
/// there are none (a response always has its headers, as the protocol tests expect).
pub fn prefix_headers(
    response: &http::Response<impl Sized>,
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
    Ok(Some(found))
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
            .header("x-quoted", "\"b,c\", \"\\\"quoted\\\"\", d")
            .header(
                "x-dates",
                "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT",
            )
            .header("x-numbers", "1, 2,3")
            .body(bytes::Bytes::new())
            .unwrap()
    }

    #[test]
    fn reads_list_headers_with_quotes_dates_and_numbers() {
        let response = response();
        assert_eq!(
            header_list(&response, "x-quoted", "Out.q")
                .unwrap()
                .unwrap(),
            ["b,c", "\"quoted\"", "d"]
        );
        let dates = header_list_timestamps(&response, "x-dates", DateTimeFormat::HttpDate, "Out.d")
            .unwrap()
            .unwrap();
        assert_eq!(dates.len(), 2);
        assert_eq!(dates[1].secs(), 1_576_540_098);
        assert_eq!(
            header_list_parse::<i32>(&response, "x-numbers", "Out.n").unwrap(),
            Some(vec![1, 2, 3])
        );
        let error = header_list_parse::<i32>(&response, "x-quoted", "Out.q").unwrap_err();
        assert!(error.to_string().contains("`b,c`"), "{error}");
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
        let none = prefix_headers(&response, "X-None-", "Out.none").unwrap();
        assert_eq!(none, Some(HashMap::new()));
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
