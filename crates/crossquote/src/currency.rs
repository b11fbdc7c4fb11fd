//! Currencies: ISO 4217 codes and their minor units.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::currency_table::CURRENCIES;
use crate::error::UnknownCurrency;

/// An active ISO 4217 currency. Only codes in the table can be built, so a `Currency` always
/// knows its minor unit.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    index: u16,
}

impl Currency {
    /// The currency with this code (upper case, e.g. `"USD"`).
    pub fn from_code(code: &str) -> Result<Currency, UnknownCurrency> {
        CURRENCIES
            .binary_search_by(|(c, _, _)| (*c).cmp(code))
            .ok()
            .and_then(|i| u16::try_from(i).ok())
            .map(|index| Currency { index })
            .ok_or_else(|| UnknownCurrency { code: code.to_owned() })
    }

    fn entry(self) -> &'static (&'static str, u8, &'static str) {
        // `index` only ever comes from a successful search of the same table.
        &CURRENCIES[usize::from(self.index)]
    }

    /// The three-letter code.
    pub fn code(self) -> &'static str {
        self.entry().0
    }

    /// Digits after the decimal point in the smallest unit (JPY 0, USD 2, KWD 3, CLF 4).
    pub fn minor_units(self) -> u32 {
        u32::from(self.entry().1)
    }

    /// The English name from ISO 4217.
    pub fn name(self) -> &'static str {
        self.entry().2
    }

    /// Every currency in the table, by code.
    pub fn all() -> impl Iterator<Item = Currency> {
        (0..CURRENCIES.len()).filter_map(|i| u16::try_from(i).ok()).map(|index| Currency { index })
    }
}

/// `const`-free shorthands for the currencies the code and tests name most.
#[allow(missing_docs)]
pub mod known {
    use super::Currency;
    fn c(code: &str) -> Currency {
        match Currency::from_code(code) {
            Ok(c) => c,
            // The codes below are literals present in the table; a test checks each one.
            Err(_) => unreachable!("{code} is in the ISO table"),
        }
    }
    pub fn cny() -> Currency {
        c("CNY")
    }
    pub fn usd() -> Currency {
        c("USD")
    }
    pub fn eur() -> Currency {
        c("EUR")
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = UnknownCurrency;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::from_code(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Currency::from_code(&code).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Currency {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Currency".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An active ISO 4217 currency code.",
            "type": "string",
            "pattern": "^[A-Z]{3}$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_well_formed() {
        for pair in CURRENCIES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for (code, minor, _) in CURRENCIES {
            assert_eq!(code.len(), 3);
            assert!(code.bytes().all(|b| b.is_ascii_uppercase()));
            assert!(*minor <= 4);
        }
    }

    #[test]
    fn minor_units_follow_iso() {
        let cases = [
            ("JPY", 0),
            ("KRW", 0),
            ("VND", 0),
            ("KWD", 3),
            ("BHD", 3),
            ("JOD", 3),
            ("OMR", 3),
            ("TND", 3),
            ("IQD", 3),
            ("LYD", 3),
            ("CLF", 4),
            ("USD", 2),
            ("CNY", 2),
            ("BRL", 2),
        ];
        for (code, minor) in cases {
            assert_eq!(Currency::from_code(code).map(Currency::minor_units), Ok(minor), "{code}");
        }
    }

    #[test]
    fn unknown_codes_are_errors() {
        for code in ["usd", "XXX", "ANG", "BGN", "", "US", "USDD"] {
            assert_eq!(
                Currency::from_code(code),
                Err(UnknownCurrency { code: code.to_owned() }),
                "{code}"
            );
        }
    }

    #[test]
    fn known_shorthands_exist() {
        assert_eq!(known::cny().code(), "CNY");
        assert_eq!(known::usd().code(), "USD");
        assert_eq!(known::eur().code(), "EUR");
        assert_eq!(Currency::all().count(), CURRENCIES.len());
    }
}
