//! Breakdowns: the lines that explain a price. Every breakdown's lines sum exactly to its
//! total; the profit line is the residual (total minus every other rounded line), so it
//! carries the rounding, and that is said where it is built.

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::Overflow;
use crate::money::{sub, sum};

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
    /// A label for people, e.g. "Platform commission" (borrowed for the fixed labels).
    pub label: Cow<'static, str>,
    /// The amount, in the breakdown's currency, rounded to its minor unit.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub amount: Decimal,
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

impl Breakdown {
    /// A breakdown of `total` whose last line, profit, is `total` minus the other lines.
    pub fn with_residual_profit(
        currency: Currency,
        total: Decimal,
        mut lines: Vec<Line>,
    ) -> Result<Breakdown, Overflow> {
        let others = sum(lines.iter().map(|l| l.amount), "the breakdown")?;
        let profit = sub(total, others, "the profit line")?;
        lines.push(Line { kind: LineKind::Profit, label: Cow::Borrowed("Profit"), amount: profit });
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
