//! Serde for decimals that never goes through a binary float.
//!
//! Amounts are written as JSON strings (`"12.50"`) and parsed with
//! [`Decimal::from_str_exact`]; whole JSON numbers (`12`) are accepted too. A JSON number
//! with a fraction (`12.5`) is refused with a message that says to quote it, since a JSON
//! parser reads it as a binary float first.

use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// Parses a decimal from text exactly, with a message fit for a person.
pub fn parse(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("expected a number, found nothing".to_owned());
    }
    Decimal::from_str_exact(t).map_err(|_| format!("`{text}` is not a number"))
}

struct DecVisitor;

impl Visitor<'_> for DecVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number written as a string, such as \"12.50\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse(v).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        Err(E::custom(format!(
            "write the number {v} as a string (\"{v}\"): a JSON fraction is read as a binary float"
        )))
    }
}

/// Deserializes a [`Decimal`] (use with `#[serde(with = "crate::serde_dec")]`).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(DecVisitor)
}

/// Serializes a [`Decimal`] as a string.
pub fn serialize<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// The same for `Option<Decimal>`.
pub mod option {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Wrap(#[serde(with = "super")] Decimal);

    /// Deserializes an optional decimal; `null` or a missing field is `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
    }

    /// Serializes an optional decimal as a string or `null`.
    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }
}

/// The JSON form of a decimal, for JSON Schemas: a string such as `"12.50"`, or a whole
/// number.
#[cfg(feature = "schemars")]
pub struct DecimalText;

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for DecimalText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schema(
            "A decimal as a string (\"12.50\"); a whole JSON number is accepted, a JSON fraction \
             is refused.",
        )
    }
}

/// The schema of a decimal's JSON forms (a decimal string or a whole number), described.
#[cfg(feature = "schemars")]
pub fn schema(description: &str) -> schemars::Schema {
    schemars::json_schema!({
        "description": description,
        "oneOf": [
            { "type": "string", "pattern": "^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$" },
            { "type": "integer" }
        ]
    })
}
