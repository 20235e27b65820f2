//! Typed event headers to and from the values of `@eventHeader` members.

use super::{HeaderValue, Message};
use crate::deserialize::DeserializeError;
use crate::{Blob, DateTime};

/// A member type an event header holds.
pub trait FromHeader: Sized {
    /// The wire type's name, for errors.
    const TYPE: &'static str;

    /// The value, when the header has this type.
    fn from_header(value: &HeaderValue) -> Option<Self>;
}

/// The header `name` of `message` as `T`: `None` when absent; a header of another type is an
/// error naming it.
pub fn header<T: FromHeader>(message: &Message, name: &str) -> Result<Option<T>, DeserializeError> {
    let Some(value) = message.header(name) else {
        return Ok(None);
    };
    T::from_header(value).map(Some).ok_or_else(|| {
        DeserializeError::new(
            format!("header `{name}`"),
            format!("expected a {} header, found {value:?}", T::TYPE),
        )
    })
}

macro_rules! from_header {
    ($($type:ty, $name:literal, $variant:ident;)*) => {$(
        impl FromHeader for $type {
            const TYPE: &'static str = $name;

            fn from_header(value: &HeaderValue) -> Option<Self> {
                match value {
                    HeaderValue::$variant(value) => Some(value.clone()),
                    _ => None,
                }
            }
        }

        impl From<$type> for HeaderValue {
            fn from(value: $type) -> Self {
                HeaderValue::$variant(value)
            }
        }
    )*};
}

from_header! {
    bool, "boolean", Bool;
    i8, "byte", Byte;
    i16, "short", Short;
    i32, "integer", Int;
    i64, "long", Long;
    String, "string", String;
}

impl FromHeader for Blob {
    const TYPE: &'static str = "byte-array";

    fn from_header(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::Bytes(bytes) => Some(Blob::new(bytes.to_vec())),
            _ => None,
        }
    }
}

impl From<Blob> for HeaderValue {
    fn from(value: Blob) -> Self {
        HeaderValue::Bytes(value.into_inner().into())
    }
}

impl FromHeader for DateTime {
    const TYPE: &'static str = "timestamp";

    fn from_header(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::Timestamp(millis) => {
                let nanos = (millis.rem_euclid(1000) * 1_000_000) as u32;
                DateTime::from_secs_and_nanos(millis.div_euclid(1000), nanos)
            }
            _ => None,
        }
    }
}

impl From<DateTime> for HeaderValue {
    fn from(value: DateTime) -> Self {
        let millis = i64::from(value.subsec_nanos() / 1_000_000);
        HeaderValue::Timestamp(value.secs().saturating_mul(1000).saturating_add(millis))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_round_trip_and_a_wrong_type_is_named() {
        let time = DateTime::from_secs_and_nanos(1_700_000_000, 250_000_000).unwrap();
        let message = Message::new(bytes::Bytes::new())
            .with_header("flag", HeaderValue::from(true))
            .with_header("at", HeaderValue::from(time))
            .with_header("blob", HeaderValue::from(Blob::new(b"foo".to_vec())));
        assert_eq!(header::<bool>(&message, "flag").unwrap(), Some(true));
        assert_eq!(header::<DateTime>(&message, "at").unwrap(), Some(time));
        assert_eq!(
            header::<Blob>(&message, "blob").unwrap(),
            Some(Blob::new(b"foo".to_vec()))
        );
        assert_eq!(header::<i32>(&message, "missing").unwrap(), None);
        let error = header::<String>(&message, "flag").unwrap_err().to_string();
        assert!(
            error.contains("header `flag`") && error.contains("expected a string"),
            "{error}"
        );
    }
}
