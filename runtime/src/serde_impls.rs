//! `serde` for the primitive types generated shapes hold (feature `serde`): timestamps as
//! RFC 3339 text, blobs as base64 text, big numbers as decimal text, documents as the data
//! they hold. Generated crates derive `Serialize` and `Deserialize` over these.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, Serializer};

use crate::{BigDecimal, BigInteger, Blob, DateTime, DateTimeFormat, Document, Number};

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.fmt(DateTimeFormat::DateTime))
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        DateTime::parse(&text, DateTimeFormat::DateTime).map_err(de::Error::custom)
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&crate::json::base64::encode(self.as_bytes()))
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        crate::json::base64::decode(&text)
            .map(Blob::new)
            .ok_or_else(|| de::Error::custom("a blob is not valid base64"))
    }
}

macro_rules! text_serde {
    ($name:ident) => {
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer)?
                    .parse()
                    .map_err(de::Error::custom)
            }
        }
    };
}

text_serde!(BigInteger);
text_serde!(BigDecimal);

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Document::Null => serializer.serialize_unit(),
            Document::Bool(value) => serializer.serialize_bool(*value),
            Document::Number(Number::PosInt(value)) => serializer.serialize_u64(*value),
            Document::Number(Number::NegInt(value)) => serializer.serialize_i64(*value),
            Document::Number(Number::Float(value)) => serializer.serialize_f64(*value),
            Document::String(text) => serializer.serialize_str(text),
            Document::Array(items) => serializer.collect_seq(items),
            Document::Object(entries) => serializer.collect_map(entries),
        }
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a document (null, a boolean, a number, a string, a list or a map)")
    }

    fn visit_unit<E>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_none<E>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Document, D::Error> {
        Document::deserialize(deserializer)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Document, E> {
        Ok(Document::Bool(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Document, E> {
        Ok(Document::Number(Number::PosInt(value)))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Document, E> {
        Ok(Document::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Document, E> {
        Ok(Document::Number(Number::Float(value)))
    }

    fn visit_str<E>(self, value: &str) -> Result<Document, E> {
        Ok(Document::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Document, E> {
        Ok(Document::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Document, A::Error> {
        let mut list = Vec::new();
        while let Some(item) = items.next_element()? {
            list.push(item);
        }
        Ok(Document::Array(list))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Document, A::Error> {
        let mut map = BTreeMap::new();
        while let Some((key, value)) = entries.next_entry::<String, Document>()? {
            map.insert(key, value);
        }
        Ok(Document::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Serialize + for<'de> Deserialize<'de> + PartialEq + fmt::Debug>(
        value: T,
        json: &str,
    ) {
        assert_eq!(serde_json::to_string(&value).unwrap(), json);
        assert_eq!(serde_json::from_str::<T>(json).unwrap(), value);
    }

    #[test]
    fn primitives_serialize_as_text_and_documents_as_their_data() {
        round_trip(
            DateTime::from_secs_and_nanos(1_700_000_000, 5_000_000).unwrap(),
            r#""2023-11-14T22:13:20.005Z""#,
        );
        round_trip(Blob::new(*b"hi!"), r#""aGkh""#);
        round_trip("-12".parse::<BigInteger>().unwrap(), r#""-12""#);
        round_trip("1.5e3".parse::<BigDecimal>().unwrap(), r#""1.5e3""#);
        round_trip(
            Document::Object(BTreeMap::from([
                (
                    "a".to_owned(),
                    Document::Array(vec![Document::Null, Document::from(-1)]),
                ),
                ("b".to_owned(), Document::from(1.5)),
                ("c".to_owned(), Document::from("x")),
            ])),
            r#"{"a":[null,-1],"b":1.5,"c":"x"}"#,
        );
    }

    #[test]
    fn bad_text_is_an_error_that_says_what_it_is() {
        let error = serde_json::from_str::<Blob>(r#""***""#).unwrap_err();
        assert!(error.to_string().contains("not valid base64"), "{error}");
        let error = serde_json::from_str::<BigInteger>(r#""1.5""#).unwrap_err();
        assert!(error.to_string().contains("is not"), "{error}");
        assert!(serde_json::from_str::<DateTime>(r#""yesterday""#).is_err());
    }
}
