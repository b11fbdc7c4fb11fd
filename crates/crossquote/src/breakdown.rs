//! Breakdowns: the lines that explain a price. Every breakdown's lines sum exactly to its
//! total; the profit line is the residual (total minus every other rounded line), so it
//! carries the rounding, and that is said where it is built.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::currency::Currency;
use crate::error::Overflow;
use crate::money::{mantissa_i64, sub, sum};

/// What a breakdown line is, for front ends that colour or group lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Purchase cost of the goods.
    Purchase,
    /// Packaging.
    Packaging,
    /// Domestic first leg to the warehouse or forwarder.
    FirstLeg,
    /// Last-mile delivery.
    LastMile,
    /// Any other per-unit cost.
    OtherCost,
    /// International shipping.
    Shipping,
    /// Exchange-risk reserve: the extra that the risk buffer puts on the costs.
    FxReserve,
    /// A fee taken on the price (commission, payment, affiliate ...).
    Fee,
    /// A fixed fee per order or per unit.
    FixedFee,
    /// A seller-funded coupon.
    Coupon,
    /// What is left: the seller's profit (negative for a loss).
    Profit,
}

/// One line of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Line {
    /// What kind of line.
    pub kind: LineKind,
    /// A label for people, e.g. "Platform commission".
    pub label: Label,
    /// The amount, in the breakdown's currency, rounded to its minor unit.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub amount: Decimal,
}

/// A text for people on a breakdown line, or the name of a fee or coupon in a request:
/// a fixed text, or a name shared with the request it came from. Cloning never copies the
/// text (a quote puts each fee's name on two breakdowns; copying was most of a quote's
/// allocations). Reads as a `&str`; serialised as a plain JSON string.
#[derive(Clone)]
pub enum Label {
    /// A text built into the core, e.g. "Profit".
    Fixed(&'static str),
    /// A name given in a request or profile.
    Named(Arc<str>),
}

impl Label {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            Label::Fixed(s) => s,
            Label::Named(s) => s,
        }
    }
}

impl Deref for Label {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Label {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Label {
    fn eq(&self, other: &Label) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Label {}

impl PartialEq<str> for Label {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Label {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<&'static str> for Label {
    fn from(s: &'static str) -> Label {
        Label::Fixed(s)
    }
}

impl From<String> for Label {
    fn from(s: String) -> Label {
        Label::Named(s.into())
    }
}

impl From<Arc<str>> for Label {
    fn from(s: Arc<str>) -> Label {
        Label::Named(s)
    }
}

impl Serialize for Label {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Label, D::Error> {
        /// Straight into the shared text: one allocation, no `String` first.
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Label;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Label, E> {
                Ok(Label::Named(s.into()))
            }
        }
        d.deserialize_str(Text)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Label {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Label".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string" })
    }
}

/// Lines that sum exactly to `total`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Breakdown {
    /// The currency of every amount.
    pub currency: Currency,
    /// The price explained.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub total: Decimal,
    /// The lines, costs first and profit last.
    pub lines: Vec<Line>,
}

/// `total − Σ lines` on the 64-bit mantissas, when every line has the total's scale (lines
/// rounded to the currency's minor unit do): then it is the number `Decimal`'s sum and
/// difference write. `None` otherwise, or past 64 bits.
fn residual_on_mantissas(total: Decimal, lines: &[Line]) -> Option<i64> {
    lines.iter().try_fold(mantissa_i64(total)?, |left, l| {
        if l.amount.scale() != total.scale() {
            return None;
        }
        left.checked_sub(mantissa_i64(l.amount)?)
    })
}

impl Breakdown {
    /// A breakdown of `total` whose last line, profit, is `total` minus the other lines.
    pub fn with_residual_profit(
        currency: Currency,
        total: Decimal,
        mut lines: Vec<Line>,
    ) -> Result<Breakdown, Overflow> {
        let profit = match residual_on_mantissas(total, &lines) {
            Some(left) => Decimal::new(left, total.scale()),
            None => {
                let others = sum(lines.iter().map(|l| l.amount), "the breakdown")?;
                sub(total, others, "the profit line")?
            }
        };
        lines.push(Line { kind: LineKind::Profit, label: Label::Fixed("Profit"), amount: profit });
        Ok(Breakdown { currency, total, lines })
    }

    /// The amount of the first line of `kind` (zero if none).
    pub fn amount(&self, kind: LineKind) -> Decimal {
        self.lines.iter().find(|l| l.kind == kind).map_or(Decimal::ZERO, |l| l.amount)
    }

    /// The sum of every line of `kind`.
    pub fn total_of(&self, kind: LineKind) -> Decimal {
        self.lines.iter().filter(|l| l.kind == kind).map(|l| l.amount).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_is_a_plain_string_that_clones_without_copying() {
        let fee: Label = crate::from_json(r#""AliExpress commission""#).unwrap();
        let Label::Named(text) = &fee else { panic!("a name read from JSON is Named: {fee:?}") };
        let Label::Named(copy) = fee.clone() else { panic!("a clone stays Named") };
        assert!(Arc::ptr_eq(text, &copy));
        assert_eq!(serde_json::to_string(&fee).unwrap(), r#""AliExpress commission""#);
        assert_eq!(fee, Label::Fixed("AliExpress commission"));
        assert_eq!(
            format!("{fee} / {:?}", Label::Fixed("Profit")),
            r#"AliExpress commission / "Profit""#
        );
    }
}
