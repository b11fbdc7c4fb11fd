//! B2C retail quotation: one buyer, usually one piece, fees taken on the price, shipping
//! folded into the price.
//!
//! # The formula
//! All per unit, in the quote currency, exact until the rounding points below.
//! - Costs `C` (purchase, packaging, first leg, last mile, other, shipping) are in the
//!   seller's currency and converted at the exchange rate `r` (seller currency per quote
//!   unit, at [`FxSettings::side`]). The risk buffer `b` adds a reserve line
//!   `C / (r × (1 − b)) − C / r`.
//! - Fixed fees `F` (in their own currency, at mid) are spread over the quantity.
//! - Fees taken on the price have rates `R` (price bands and caps make `R` and `F` depend
//!   on the price: see [solving](#price-dependent-fees)).
//! - Margin on price `m`: `N = (C/r + reserve + F) / (1 − R − m)`.
//!   Markup on cost `k`: `N = (C/r × (1 + k) + reserve + F) / (1 − R)`.
//!   `N` is the *net price*: what the buyer pays after coupons, on which fees are taken.
//! - Coupons: `S = (N + amount coupons) / (1 − percent coupons)`: `S` is the *sale price*.
//! - Promotion discount `d`: *list price* `L = S / (1 − d)`.
//!
//! # Rounding points
//! 1. The list price goes **up** to the price grid ([`PriceRounding`]: the minor unit, or
//!    an ending such as .99). With a promotion the sale price is `L × (1 − d)` rounded
//!    half-up to the minor unit, as platforms show it.
//! 2. Each breakdown line is rounded half-up to the minor unit; the profit line is the
//!    residual, so the lines sum exactly to the sale price.
//! 3. The target is checked on those lines (profit ≥ m × N, or ≥ k × cost lines), and the
//!    quote is the lowest grid price that meets it: the solver starts at the exact
//!    solution, moves up while line rounding leaves it a hair short, and down while a lower
//!    grid price still meets it. So the margin a quote shows is never below the target.
//! 4. Percentages shown (margin, markup, ROI) are rounded half-up to 0.01 point.
//!
//! # Price-dependent fees
//! A banded fee (e.g. 20% + 4 BRL below 80 BRL, 14% + 16 BRL from 80 BRL) and a capped
//! fee (`clamp(rate × price, min, cap)`) are linear between breakpoints. Each interval is
//! solved with its own rates; an interval's answer counts only if it lies in the interval
//! (else the interval's lower end, when that meets the target). The lowest consistent
//! price wins; when none exists the error lists every interval tried.

mod engine;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::breakdown::{Breakdown, Label};
use crate::currency::Currency;
use crate::error::{FieldErrors, Overflow};
use crate::fx::RateSide;
use crate::grid::PriceRounding;
use crate::money::Money;
use crate::percent::Percent;

#[cfg(feature = "fast-quote")]
pub use engine::quote_fast_path;
pub use engine::{
    break_even, counter_offer, evaluate, max_discount, price_for_margin, quote,
    quote_on_decimal_path, Pricer,
};

fn one() -> u32 {
    1
}

/// A B2C quotation request. Costs are per unit in `seller_currency`; the answer is per
/// unit in `quote_currency`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct B2cRequest {
    /// The currency the seller's costs are in (CNY for most sellers here).
    pub seller_currency: Currency,
    /// The currency the buyer sees.
    pub quote_currency: Currency,
    /// Pieces in the order; per-order amounts are spread over them. Default 1.
    #[serde(default = "one")]
    pub quantity: u32,
    /// Per-unit costs, in the seller's currency.
    pub costs: UnitCosts,
    /// International shipping, in the seller's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<Shipping>,
    /// Fees taken on the price: commission, affiliate, payment, advertising, returns
    /// allowance, withdrawal or FX loss.
    #[serde(default)]
    pub fees: Vec<Fee>,
    /// Fixed fees in their own currency (e.g. 0.30 USD per order).
    #[serde(default)]
    pub fixed_fees: Vec<FixedFee>,
    /// The profit target.
    pub profit: ProfitTarget,
    /// Exchange-rate choices.
    #[serde(default)]
    pub fx: FxSettings,
    /// A planned promotion discount in percent: list price = sale price / (1 − discount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion: Option<Percent>,
    /// Seller-funded coupons the buyer may use; the price absorbs them.
    #[serde(default)]
    pub coupons: Vec<Coupon>,
    /// How the final (list) price is rounded.
    #[serde(default)]
    pub price_rounding: PriceRounding,
}

/// Per-unit costs in the seller's currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitCosts {
    /// Purchase cost of one unit.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub purchase: Decimal,
    /// Packaging.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(default, with = "crate::serde_dec")]
    pub packaging: Decimal,
    /// Domestic first leg.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(default, with = "crate::serde_dec")]
    pub first_leg: Decimal,
    /// Last-mile delivery.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(default, with = "crate::serde_dec")]
    pub last_mile: Decimal,
    /// Anything else.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(default, with = "crate::serde_dec")]
    pub other: Decimal,
}

/// Whether an amount is for each unit or for the whole order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// Each unit.
    #[default]
    Unit,
    /// The whole order (spread over the quantity).
    Order,
}

/// Shipping cost in the seller's currency (the rate-card engine computes it; here it is
/// an amount).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Shipping {
    /// The cost.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub amount: Decimal,
    /// For each unit or for the order.
    #[serde(default)]
    pub per: Per,
}

/// What a fee is for (labels and grouping; the arithmetic is the same for all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    /// Platform commission.
    Commission,
    /// Affiliate commission.
    Affiliate,
    /// Payment processing.
    Payment,
    /// Advertising.
    Advertising,
    /// Returns allowance.
    Returns,
    /// Withdrawal or FX loss.
    Withdrawal,
    /// Anything else.
    Other,
}

/// A fee taken on the price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Fee {
    /// A label, e.g. "AliExpress commission".
    pub name: Label,
    /// What it is for.
    pub kind: FeeKind,
    /// How it is computed from the net price.
    pub rule: FeeRule,
}

/// How a fee depends on the net price `N`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum FeeRule {
    /// `rate × N`.
    Percent(Percent),
    /// The band whose `from` is the largest not above `N` (in the band currency) applies:
    /// `rate × N + fixed`.
    Banded {
        /// The currency of `from` and `fixed`.
        currency: Currency,
        /// Bands by ascending `from`; the first starts at 0.
        bands: Vec<FeeBand>,
    },
    /// `clamp(rate × N, min, cap)`, `min` and `cap` in `currency`.
    Capped {
        /// The rate.
        percent: Percent,
        /// The currency of `min` and `cap`.
        currency: Currency,
        /// The least fee.
        #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
        #[serde(
            default,
            with = "crate::serde_dec::option",
            skip_serializing_if = "Option::is_none"
        )]
        min: Option<Decimal>,
        /// The most fee.
        #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
        #[serde(
            default,
            with = "crate::serde_dec::option",
            skip_serializing_if = "Option::is_none"
        )]
        cap: Option<Decimal>,
    },
}

/// One price band of a [`FeeRule::Banded`] fee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FeeBand {
    /// The band applies from this price (inclusive) up to the next band's `from`.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub from: Decimal,
    /// The rate in the band.
    pub percent: Percent,
    /// The fixed part per unit in the band.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(default, with = "crate::serde_dec")]
    pub fixed: Decimal,
}

/// A fixed fee in its own currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FixedFee {
    /// A label, e.g. "PayPal fixed fee".
    pub name: Label,
    /// What it is for.
    pub kind: FeeKind,
    /// The amount and its currency (converted at mid).
    pub amount: Money,
    /// For each unit or for the order.
    #[serde(default = "per_order")]
    pub per: Per,
}

fn per_order() -> Per {
    Per::Order
}

/// Whether the profit target is a margin on the price or a markup on cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProfitBasis {
    /// Profit as a share of the net price (it goes in the denominator).
    Margin,
    /// Profit as a share of the landed cost (goods, packaging, logistics).
    Markup,
}

/// The profit target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfitTarget {
    /// Margin on price or markup on cost.
    pub basis: ProfitBasis,
    /// The target in percent.
    pub percent: Percent,
}

/// Exchange-rate choices for a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FxSettings {
    /// The rate side used to turn the buyer's money into the seller's (mid by default; the
    /// bank buying rate as export textbooks do).
    #[serde(default)]
    pub side: RateSide,
    /// Exchange-risk buffer in percent: costs are covered at `r × (1 − buffer)`.
    #[serde(default)]
    pub risk_buffer: Percent,
}

/// A seller-funded coupon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Coupon {
    /// A label, e.g. "US $3 off".
    pub name: Label,
    /// What it takes off.
    pub value: CouponValue,
}

/// What a coupon takes off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum CouponValue {
    /// An amount off the order (or each unit), in any currency (converted at mid).
    Amount {
        /// The amount.
        amount: Money,
        /// Per order (default) or per unit.
        #[serde(default = "per_order")]
        per: Per,
    },
    /// A percentage off the sale price.
    Percent(Percent),
}

/// A B2C quotation. In JSON, `sale_price` appears once: the figures at the sale price
/// ([`Evaluation`]) are flattened into the quote and carry it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct B2cQuote {
    /// Per unit, before the promotion: the price the seller lists.
    pub list_price: Money,
    /// Per unit, after the promotion and before coupons: the price the buyer sees (the
    /// same as `at_price.sale_price`).
    #[serde(skip)]
    pub sale_price: Money,
    /// The pieces in the order.
    pub quantity: u32,
    /// `sale_price × quantity`.
    pub order_total: Money,
    /// The figures at the sale price.
    #[serde(flatten)]
    pub at_price: Evaluation,
    /// The lowest sale price with no loss (minor-unit grid, no promotion).
    pub break_even_price: Money,
    /// Seller currency per unit of quote currency, before the risk buffer.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub exchange_rate: Decimal,
    /// The same after the risk buffer.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub covered_rate: Decimal,
}

/// The figures of a quote at one sale price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Evaluation {
    /// Per unit, after the promotion and before coupons.
    pub sale_price: Money,
    /// Per unit, after coupons: what fees are taken on.
    pub net_price: Money,
    /// In the quote currency; sums to the sale price.
    pub breakdown: Breakdown,
    /// In the seller's currency; sums to the sale price at the exchange rate (half-up).
    pub seller_breakdown: Breakdown,
    /// The profit line (quote currency).
    pub profit: Money,
    /// Profit / net price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<Percent>,
    /// Profit / landed cost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markup: Option<Percent>,
    /// Profit / everything spent (net price − profit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roi: Option<Percent>,
    /// Which band each banded or capped fee is in, e.g. "Mercado Livre: from 80 BRL".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fee_notes: Vec<String>,
}

/// The largest discount off a list price that keeps a floor margin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct MaxDiscount {
    /// The discount, in steps of 0.01 percent point, rounded down.
    pub discount: Percent,
    /// The figures at the discounted price.
    pub at_price: Evaluation,
    /// False when even the undiscounted list price is below the floor (discount is 0).
    pub floor_met: bool,
}

/// A buyer's offer: `unit_price` each for `quantity` units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CounterOffer {
    /// The price offered per unit, in the quote currency.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub unit_price: Decimal,
    /// The units.
    pub quantity: u32,
    /// The least margin the seller accepts.
    pub floor_margin: Percent,
    /// How far below the floor price an offer may be and still get a counter, in percent of
    /// the floor price; further below, decline.
    pub max_counter_gap: Percent,
}

/// What to answer an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The offer keeps the floor margin.
    Accept,
    /// Counter with the nearest acceptable price.
    Counter,
    /// Too far below the floor price.
    Decline,
}

/// A counter-offer verdict and the numbers behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Verdict {
    /// Accept, counter or decline.
    pub decision: Decision,
    /// The figures at the offered price.
    pub at_offer: Evaluation,
    /// The lowest price (minor-unit grid) that keeps the floor margin at this quantity.
    pub floor_price: Money,
    /// The quote at the profit target at this quantity.
    pub target_price: Money,
    /// The price to counter with, when countering.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counter_price: Option<Money>,
    /// How far the offer is below the floor price, in percent of it (0 when at or above).
    pub gap: Percent,
}

/// A price interval that the solver tried for price-dependent fees, and what it found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct IntervalTried {
    /// Net price from (quote currency).
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub from: Decimal,
    /// Net price up to (exclusive); `None` for no end.
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(with = "crate::serde_dec::option")]
    pub to: Option<Decimal>,
    /// Why it gave no price.
    pub outcome: String,
}

/// Why a quote could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum QuoteError {
    /// The request has problems; all are listed.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// No price lies in the band its price-dependent fees assumed.
    #[error("no consistent price: every fee band gives a price outside the band ({})", describe(.tried))]
    NoConsistentPrice {
        /// Every interval tried.
        tried: Vec<IntervalTried>,
    },
    /// A computation overflowed.
    #[error(transparent)]
    Overflow(#[from] Overflow),
}

fn describe(tried: &[IntervalTried]) -> String {
    tried
        .iter()
        .map(|t| match t.to {
            Some(to) => format!("[{}, {}): {}", t.from, to, t.outcome),
            None => format!("[{}, ∞): {}", t.from, t.outcome),
        })
        .collect::<Vec<_>>()
        .join("; ")
}
