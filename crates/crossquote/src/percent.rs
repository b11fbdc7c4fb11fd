//! Percentages, kept in percent points (`12.5` means 12.5%) as agents type them.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Overflow;
use crate::money::div;

/// A percentage in percent points: `Percent::new(12.5)` is 12.5%, a fraction of 0.125.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent(Decimal);

impl Percent {
    /// `points` percent.
    pub fn new(points: Decimal) -> Percent {
        Percent(points)
    }

    /// Zero percent.
    pub const ZERO: Percent = Percent(Decimal::ZERO);

    /// Whether it is zero percent.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// The value in percent points.
    pub fn points(self) -> Decimal {
        self.0
    }

    /// The value as a fraction (12.5% -> 0.125). Exact: a division by 100 only moves the point.
    pub fn fraction(self) -> Decimal {
        let mut f = self.0;
        // Dividing by 100 exactly: raise the scale by two when it fits, else divide.
        if f.scale() <= 26 {
            // set_scale cannot fail below the 28-digit limit checked above.
            if f.set_scale(f.scale().saturating_add(2)).is_ok() {
                return f;
            }
        }
        self.0.checked_div(Decimal::ONE_HUNDRED).unwrap_or_default()
    }

    /// `part` as a percentage of `whole`, rounded half-up to 0.01 point (`None` when `whole`
    /// is zero).
    pub fn of_rounded(part: Decimal, whole: Decimal) -> Result<Option<Percent>, Overflow> {
        if whole.is_zero() {
            return Ok(None);
        }
        const WHAT: &str = "a percentage";
        // The ratio to 0.0001 is the percentage to 0.01 point: the same digits, the decimal
        // point two places on (one rounding, no multiplication).
        let mut rounded = crate::money::Rounding::HalfUp.div_round(part, whole, 4, WHAT)?;
        rounded.set_scale(2).map_err(|_| Overflow { what: WHAT })?;
        Ok(Some(Percent(rounded)))
    }

    /// The percentage that `part` is of `whole` (`None` when `whole` is zero).
    pub fn of(part: Decimal, whole: Decimal) -> Result<Option<Percent>, Overflow> {
        if whole.is_zero() {
            return Ok(None);
        }
        let ratio = div(part, whole, "a percentage")?;
        Ok(Some(Percent(
            ratio.checked_mul(Decimal::ONE_HUNDRED).ok_or(Overflow { what: "a percentage" })?,
        )))
    }
}

impl fmt::Debug for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0)
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::serde_dec::deserialize(d).map(Percent)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Percent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Percent".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::serde_dec::schema(
            "Percentage points as a decimal string (\"12.5\" is 12.5%) or a whole number.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fraction_is_exact() {
        let p = Percent::new(Decimal::from_str_exact("12.5").unwrap());
        assert_eq!(p.fraction(), Decimal::from_str_exact("0.125").unwrap());
        assert_eq!(
            Percent::new(Decimal::from(3)).fraction(),
            Decimal::from_str_exact("0.03").unwrap()
        );
        let tiny = Percent::new(Decimal::from_str_exact("0.0000000000000000000000000001").unwrap());
        assert!(tiny.fraction() >= Decimal::ZERO);
    }
}
