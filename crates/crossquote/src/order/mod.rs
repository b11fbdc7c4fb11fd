//! Orders: the agent's unit of work. One inquiry (several products, each with its
//! quantity, to one buyer) becomes one quotation, priced as it would really ship.
//!
//! This is the desk every front end calls: the browser app, `crossquote quote` and
//! `POST /v1/quote` turn what the agent typed into a [`RetailOrder`] or a
//! [`WholesaleOrder`] and show the answer; the rules that decide a number (which service
//! carries the basket, how it is split into parcels, how freight is shared between the
//! lines, what a tier costs, whether an offer is accepted) are here, once.
//!
//! - [`retail`]: a B2C basket. The items ship together: one parcel when the service's
//!   limits allow, else split into as few parcels as a first-fit packing finds, each limit
//!   named; the basket's shipping is allocated to the items on a named [`Allocation`]
//!   basis and folded into their prices as free shipping; every line is a
//!   [`crate::b2c::quote`] at its own quantity with its share.
//! - [`wholesale`]: a B2B order. The cartons of every line are consolidated into one
//!   shipment (W/M, LCL with a weight ratio, a freight amount, or the containers it
//!   fills); per-shipment fees, freight and destination charges are allocated to the lines
//!   on a named basis; every line is a [`crate::b2b::quote`] at its own quantity with its
//!   share. Tier tables are priced at each tier's least quantity shipped alone, so they do
//!   not move with the quantity typed.
//! - Offers ([`retail::Offer`], [`wholesale::Offer`]) are judged on the order as it ships:
//!   the margin is the order's own, never one parcel's shipping spread over N pieces.
//!
//! # Rounding points
//! - Allocations split an amount in its currency's minor units, largest remainder first
//!   ([`crate::Money::allocate`]): the shares sum to the amount exactly.
//! - Line amounts are unit price × quantity, exact (unit prices are on their grids);
//!   order totals are their sums.
//! - A wholesale order's breakdown merges each line's breakdown for its whole quantity
//!   (every cost line worked out on the quantity, then half-up to the minor unit:
//!   [`crate::b2b::B2bQuote::order_breakdown`]); a retail order's merges each item's
//!   per-unit breakdown × its quantity (a basket's quantities are small, and the retail
//!   engine rounds per unit). Lines merge by kind and name; the profit line is the
//!   residual, so each sums to the order total exactly.
//! - Order percentages (margin, profit rate, discounts) are half-up to 0.01 point.

pub mod reply;
pub mod retail;
pub mod wholesale;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::b2c::Decision;
use crate::breakdown::{Breakdown, Line, LineKind};
use crate::currency::Currency;
use crate::error::{FieldError, FieldErrors, Overflow, Problem};
use crate::money::{add, div, mul, sub, Money, Rounding, POW10};
use crate::percent::Percent;

pub use retail::{RetailOrder, RetailQuote};
pub use wholesale::{WholesaleOrder, WholesaleQuote};

/// How a shared cost (a basket's shipping, a shipment's freight and fees) is split
/// between the lines of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Allocation {
    /// In proportion to each line's gross weight (pieces × unit or carton weight).
    #[default]
    Weight,
    /// In proportion to each line's volume.
    Volume,
    /// In proportion to each line's purchase value (unit cost × quantity).
    Value,
    /// In proportion to each line's quantity.
    Quantity,
}

impl Allocation {
    /// The basis in words, for the answer: "by weight".
    pub fn describe(self) -> &'static str {
        match self {
            Allocation::Weight => "by weight",
            Allocation::Volume => "by volume",
            Allocation::Value => "by purchase value",
            Allocation::Quantity => "by quantity",
        }
    }
}

/// What a line brings to an allocation: its weight, volume, value and quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Measures {
    pub(crate) kg: Decimal,
    pub(crate) cbm: Decimal,
    pub(crate) value: Decimal,
    pub(crate) quantity: u32,
}

impl Measures {
    fn weight(self, basis: Allocation) -> Decimal {
        match basis {
            Allocation::Weight => self.kg,
            Allocation::Volume => self.cbm,
            Allocation::Value => self.value,
            Allocation::Quantity => Decimal::from(self.quantity),
        }
    }
}

/// `amount` split over the lines on `basis`, in its currency's minor units; one line
/// takes the amount as it is (no rounding).
pub(crate) fn allocate(
    amount: Money,
    lines: &[Measures],
    basis: Allocation,
) -> Result<Vec<Money>, Overflow> {
    if lines.len() == 1 {
        return Ok(vec![amount]);
    }
    let weights: Vec<Decimal> = lines.iter().map(|m| m.weight(basis)).collect();
    amount.allocate(&weights)
}

/// Why an order could not be quoted: every problem, each at its path in the order
/// document (`items[1].weight_kg`, `lines[0].carton.gross_kg`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum OrderError {
    /// The order has problems; all are listed.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// A line has no consistent price (its fee bands admit none): well formed, no answer.
    #[error("{line}: {message}")]
    NoPrice {
        /// The line (`items[1]`).
        line: String,
        /// The engine's reason.
        message: String,
    },
    /// A computation overflowed.
    #[error(transparent)]
    Overflow(#[from] Overflow),
}

pub(crate) fn invalid(errors: Vec<FieldError>) -> OrderError {
    OrderError::Invalid(FieldErrors(errors))
}

/// Field errors from an engine, moved under `prefix` (`items[2]`).
pub(crate) fn under(prefix: &str, errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|mut e| {
            e.field = if e.field.is_empty() {
                prefix.to_owned()
            } else {
                format!("{prefix}.{}", e.field)
            };
            e
        })
        .collect()
}

/// The order's breakdown: each line's per-unit breakdown times its quantity, merged by
/// kind and name in order of first appearance, the profit line last as the residual of
/// `Σ total × quantity`.
pub(crate) fn merge_breakdowns(
    currency: Currency,
    parts: &[(&Breakdown, u32)],
) -> Result<Breakdown, Overflow> {
    const WHAT: &str = "an order breakdown";
    let mut lines: Vec<Line> = Vec::new();
    let mut total = Decimal::ZERO;
    for (b, q) in parts {
        let q = Decimal::from(*q);
        total = add(total, mul(b.total, q, WHAT)?, WHAT)?;
        for l in b.lines.iter().filter(|l| l.kind != LineKind::Profit) {
            let amount = mul(l.amount, q, WHAT)?;
            match lines.iter_mut().find(|m| m.kind == l.kind && m.label == l.label) {
                Some(m) => m.amount = add(m.amount, amount, WHAT)?,
                None => lines.push(Line { kind: l.kind, label: l.label.clone(), amount }),
            }
        }
    }
    // A line times a whole quantity is exact: nothing to round.
    Breakdown::with_residual_profit(currency, total, lines)
}

/// The buyer's counter-offer on an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Offer {
    /// A price per unit for every line, in line order.
    #[cfg_attr(
        feature = "schemars",
        schemars(with = "Option<Vec<crate::serde_dec::DecimalText>>")
    )]
    #[serde(default, skip_serializing_if = "Option::is_none", with = "dec_list")]
    pub unit_prices: Option<Vec<Decimal>>,
    /// Or a price for the whole order; it is read as the same discount off every line's
    /// quoted unit price (each price half-up to the minor unit), and the answer says what
    /// that invoices.
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::serde_dec::option")]
    pub total: Option<Decimal>,
    /// Counter when the offer is at most this far under the floor total; decline beyond.
    #[serde(default = "twenty")]
    pub max_counter_gap: Percent,
}

fn twenty() -> Percent {
    Percent::new(Decimal::from(20))
}

impl Offer {
    /// The buyer's price per unit for each line, countered up to the default 20% under the
    /// floor total.
    pub fn per_unit(prices: Vec<Decimal>) -> Offer {
        Offer { unit_prices: Some(prices), total: None, max_counter_gap: twenty() }
    }

    /// The buyer's price for the whole order, countered up to the default 20% under the
    /// floor total.
    pub fn for_total(total: Decimal) -> Offer {
        Offer { unit_prices: None, total: Some(total), max_counter_gap: twenty() }
    }
}

pub(crate) mod dec_list {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct D(#[serde(with = "crate::serde_dec")] Decimal);

    pub fn serialize<S: Serializer>(v: &Option<Vec<Decimal>>, s: S) -> Result<S::Ok, S::Error> {
        v.as_ref().map(|l| l.iter().map(|d| D(*d)).collect::<Vec<_>>()).serialize(s)
    }

    pub fn deserialize<'de, De: Deserializer<'de>>(
        d: De,
    ) -> Result<Option<Vec<Decimal>>, De::Error> {
        Ok(Option::<Vec<D>>::deserialize(d)?.map(|l| l.into_iter().map(|x| x.0).collect()))
    }
}

/// The largest discount on the order that keeps the floor margin.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct OrderDiscount {
    /// Off every line's quoted unit price.
    pub discount: Percent,
    /// Each line's unit price at that discount, half-up to the minor unit.
    pub unit_prices: Vec<Money>,
    /// The order total at those prices.
    pub total: Money,
    /// The order's margin there.
    pub margin: Option<Percent>,
    /// The floor margin it keeps.
    pub floor: Percent,
    /// Whether the quote itself keeps the floor (when not, the discount is 0).
    pub floor_met: bool,
}

/// The verdict on a buyer's offer, on the order as it ships.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct OfferVerdict {
    /// Accept, counter or decline.
    pub decision: Decision,
    /// Each line's unit price as offered (for a total: the same discount on every line).
    pub unit_prices: Vec<Money>,
    /// What the offer invoices: Σ price × quantity.
    pub total: Money,
    /// A total offer as the buyer wrote it, when it differs from what it invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offered_total: Option<Money>,
    /// The order's profit and margin at the offer.
    pub profit: Money,
    /// The margin at the offer.
    pub margin: Option<Percent>,
    /// The lowest order total that keeps the floor, with its unit prices (the counter).
    pub floor: OrderDiscount,
    /// How far the offer is under the floor total, %.
    pub gap: Percent,
}

/// Judges prices for an order's lines: `profit_at(i, price)` is line `i`'s profit per unit
/// at `price` (in the order's currency); `quantities` are the lines' quantities.
pub(crate) struct Judge<'a, F> {
    pub(crate) quantities: &'a [u32],
    pub(crate) currency: Currency,
    pub(crate) profit_at: F,
    /// `profit_at` in minor units, where the engine can price in integers (`None` from it
    /// for a number it cannot): the discount search then runs without decimals.
    pub(crate) whole: Option<&'a dyn Fn(usize, i128) -> Option<i128>>,
}

const OFFER: &str = "an order at a price";

impl<F: Fn(usize, Decimal) -> Result<Decimal, OrderError>> Judge<'_, F> {
    /// Revenue and profit with line `i` at `prices[i]` per unit.
    fn sums(&self, prices: &[Decimal]) -> Result<(Decimal, Decimal), OrderError> {
        self.sums_of(prices.iter().map(|p| Ok(*p)))
    }

    /// Revenue and profit with line `i` at the `i`th of `prices` per unit.
    fn sums_of(
        &self,
        prices: impl Iterator<Item = Result<Decimal, Overflow>>,
    ) -> Result<(Decimal, Decimal), OrderError> {
        let mut revenue = Decimal::ZERO;
        let mut profit = Decimal::ZERO;
        for (i, (p, q)) in prices.zip(self.quantities).enumerate() {
            let (p, q) = (p?, Decimal::from(*q));
            revenue = add(revenue, mul(p, q, OFFER)?, OFFER)?;
            profit = add(profit, mul((self.profit_at)(i, p)?, q, OFFER)?, OFFER)?;
        }
        Ok((revenue, profit))
    }

    /// Revenue, profit and margin with line `i` at `prices[i]` per unit.
    pub(crate) fn at(
        &self,
        prices: &[Decimal],
    ) -> Result<(Decimal, Decimal, Option<Percent>), OrderError> {
        let (revenue, profit) = self.sums(prices)?;
        Ok((revenue, profit, Percent::of_rounded(profit, revenue)?))
    }

    /// Whether the order's profit at `prices` is at least `floor` of its revenue (exact,
    /// not on the rounded margin).
    pub(crate) fn keeps(&self, prices: &[Decimal], floor: Percent) -> Result<bool, OrderError> {
        self.keeps_of(prices.iter().map(|p| Ok(*p)), floor)
    }

    /// [`Judge::keeps`] on prices made as they are summed.
    fn keeps_of(
        &self,
        prices: impl Iterator<Item = Result<Decimal, Overflow>>,
        floor: Percent,
    ) -> Result<bool, OrderError> {
        let (revenue, profit) = self.sums_of(prices)?;
        Ok(profit >= mul(revenue, floor.fraction(), OFFER)?)
    }

    /// Whether the order keeps `floor` at `bp` basis points off, in integers: the same
    /// test as the decimal one (each price half-up to the minor unit, each line's profit
    /// from the engine, profit ≥ revenue × floor), for quoted prices and a floor that are
    /// whole numbers of minor units and hundredths of a percent. `None` when the engine
    /// has no integer pricing or a number does not fit; the step is then taken in decimals.
    #[allow(clippy::type_complexity)]
    fn whole_search(
        &self,
        quoted: &[Decimal],
        floor: Percent,
    ) -> Option<impl Fn(u32) -> Option<bool> + '_> {
        let whole = self.whole?;
        let minor = self.currency.minor_units();
        let cents: Vec<i128> = quoted
            .iter()
            .map(|s| {
                let up = POW10.get(minor.checked_sub(s.scale())? as usize)?;
                s.mantissa().checked_mul(*up)
            })
            .collect::<Option<_>>()?;
        let fraction = floor.fraction();
        let (num, den) = (fraction.mantissa(), *POW10.get(fraction.scale() as usize)?);
        let quantities = self.quantities;
        Some(move |bp: u32| -> Option<bool> {
            let keep = i128::from(10_000u32.checked_sub(bp)?);
            let (mut revenue, mut profit) = (0i128, 0i128);
            for (i, (s, q)) in cents.iter().zip(quantities).enumerate() {
                let price = Rounding::HalfUp.divide(s.checked_mul(keep)?, 10_000);
                let q = i128::from(*q);
                revenue = revenue.checked_add(price.checked_mul(q)?)?;
                profit = profit.checked_add(whole(i, price)?.checked_mul(q)?)?;
            }
            Some(profit.checked_mul(den)? >= revenue.checked_mul(num)?)
        })
    }

    /// The quoted unit prices `bp` basis points off, each half-up to the minor unit.
    fn discounted<'q>(
        &self,
        quoted: &'q [Decimal],
        bp: u32,
    ) -> impl Iterator<Item = Result<Decimal, Overflow>> + 'q {
        let keep = sub(Decimal::ONE, Decimal::new(i64::from(bp), 4), OFFER);
        let minor = self.currency.minor_units();
        quoted.iter().map(move |s| {
            // A price in minor units (every quoted one): S × (10000 − bp) / 10000 half-up,
            // in integers; the same number, at the same scale, as the decimal path.
            if let (Some(up), true) =
                (POW10.get(minor.saturating_sub(s.scale()) as usize), s.scale() <= minor)
            {
                let discounted = s
                    .mantissa()
                    .checked_mul(*up)
                    .and_then(|m| m.checked_mul(i128::from(10_000u32.saturating_sub(bp))))
                    .map(|n| Rounding::HalfUp.divide(n, 10_000))
                    .and_then(|q| Decimal::try_from_i128_with_scale(q, minor).ok());
                if let (Some(d), true) = (discounted, bp <= 10_000) {
                    return Ok(d);
                }
            }
            Ok(Rounding::HalfUp.round(mul(*s, keep?, OFFER)?, minor))
        })
    }

    fn prices_at(&self, quoted: &[Decimal], bp: u32) -> Result<Vec<Decimal>, Overflow> {
        self.discounted(quoted, bp).collect()
    }

    /// The largest discount in 0.01-point steps off every quoted unit price (each half-up
    /// to the minor unit) that keeps `floor` on the order, by bisection over [0, 100%) as
    /// the single quote's `b2c::max_discount` searches.
    pub(crate) fn max_discount(
        &self,
        quoted: &[Decimal],
        floor: Percent,
    ) -> Result<OrderDiscount, OrderError> {
        // Each step sums the discounted prices as it makes them: no list per step; in
        // integers where every number is whole in minor units.
        let whole = self.whole_search(quoted, floor);
        let ok = |bp: u32| -> Result<bool, OrderError> {
            if let Some(keeps) = whole.as_ref().and_then(|w| w(bp)) {
                return Ok(keeps);
            }
            self.keeps_of(self.discounted(quoted, bp), floor)
        };
        let floor_met = ok(0)?;
        let mut best = 0u32;
        if floor_met {
            // Largest bp in [0, 10000) with ok(bp); ok(0) holds and a 100% discount never
            // does. (A bracket grown from a linear guess found another boundary where the
            // rounded margin is not monotone in the price, so the search is the plain one.)
            best = crate::money::last_passing(0, 10_000, ok)?;
        }
        let prices = self.prices_at(quoted, best)?;
        let (revenue, _, margin) = self.at(&prices)?;
        Ok(OrderDiscount {
            discount: Percent::new(Decimal::new(i64::from(best), 2)),
            unit_prices: prices.iter().map(|p| Money::new(*p, self.currency)).collect(),
            total: Money::new(revenue, self.currency),
            margin,
            floor,
            floor_met,
        })
    }

    /// Accept when the offer keeps `floor` on the order; counter with the floor prices
    /// when it is at most `max_counter_gap` under their total; else decline.
    pub(crate) fn verdict(
        &self,
        offer: &Offer,
        quoted: &[Decimal],
        quoted_total: Decimal,
        floor_margin: Percent,
        floor: &OrderDiscount,
    ) -> Result<OfferVerdict, OrderError> {
        let minor = self.currency.minor_units();
        let (prices, offered_total) = match (&offer.unit_prices, offer.total) {
            (Some(list), _) => (list.clone(), None),
            (None, Some(t)) if !quoted_total.is_zero() => {
                let prices = quoted
                    .iter()
                    .map(|s| {
                        Ok(Rounding::HalfUp
                            .round(div(mul(*s, t, OFFER)?, quoted_total, OFFER)?, minor))
                    })
                    .collect::<Result<Vec<_>, Overflow>>()?;
                (prices, Some(t))
            }
            _ => (quoted.to_vec(), None),
        };
        let (revenue, profit, margin) = self.at(&prices)?;
        let accepted = self.keeps(&prices, floor_margin)?;
        let floor_total = floor.total.amount;
        let gap = if revenue >= floor_total || floor_total.is_zero() {
            Decimal::ZERO
        } else {
            mul(
                div(sub(floor_total, revenue, OFFER)?, floor_total, OFFER)?,
                Decimal::ONE_HUNDRED,
                OFFER,
            )?
        };
        let decision = if accepted {
            Decision::Accept
        } else if floor.floor_met && gap <= offer.max_counter_gap.points() {
            Decision::Counter
        } else {
            Decision::Decline
        };
        let c = self.currency;
        Ok(OfferVerdict {
            decision,
            unit_prices: prices.iter().map(|p| Money::new(*p, c)).collect(),
            total: Money::new(revenue, c),
            offered_total: offered_total.filter(|t| *t != revenue).map(|t| Money::new(t, c)),
            profit: Money::new(profit, c),
            margin,
            floor: floor.clone(),
            gap: Percent::new(Rounding::HalfUp.round(gap, 2)),
        })
    }
}

/// Problems with an offer on an order of `lines` lines.
pub(crate) fn check_offer(o: &Offer, lines: usize, e: &mut Vec<FieldError>) {
    match (&o.unit_prices, o.total) {
        (Some(_), Some(_)) | (None, None) => e.push(FieldError::new(
            "offer",
            Problem::Invalid { message: "an offer gives either `unit_prices` or `total`".into() },
        )),
        (Some(list), None) => {
            if list.len() != lines {
                e.push(FieldError::new(
                    "offer.unit_prices",
                    Problem::Invalid {
                        message: format!(
                            "{} prices for {lines} lines: give one per line",
                            list.len()
                        ),
                    },
                ));
            }
            for (i, p) in list.iter().enumerate() {
                if *p < Decimal::ZERO {
                    e.push(FieldError::new(
                        format!("offer.unit_prices[{i}]"),
                        Problem::Negative { value: *p },
                    ));
                }
            }
        }
        (None, Some(t)) => {
            if t <= Decimal::ZERO {
                e.push(FieldError::new("offer.total", Problem::NotPositive { value: t }));
            }
        }
    }
    if o.max_counter_gap.points() < Decimal::ZERO {
        e.push(FieldError::new(
            "offer.max_counter_gap",
            Problem::Negative { value: o.max_counter_gap.points() },
        ));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn a_margin_exactly_at_the_floor_keeps_it_in_both_searches() {
        // 10.00 on a cost of 9.00: a profit of exactly 10%.
        let usd = Currency::from_code("USD").unwrap();
        let profit_at =
            |_: usize, p: Decimal| -> Result<Decimal, OrderError> { Ok(p - Decimal::from(9)) };
        let whole = |_: usize, p: i128| -> Option<i128> { Some(p - 900) };
        let floor = Percent::new(Decimal::TEN);
        for w in [None, Some(&whole as &dyn Fn(usize, i128) -> Option<i128>)] {
            let judge = Judge { quantities: &[1], currency: usd, profit_at, whole: w };
            let d = judge.max_discount(&[Decimal::new(1000, 2)], floor).unwrap();
            assert!(d.floor_met, "{d:?}");
            // 0.05% off is 9.995, half-up 10.00 again; 0.06% is 9.99, under the floor.
            assert_eq!(d.discount, Percent::new(Decimal::new(5, 2)));
            assert_eq!(d.total.amount, Decimal::new(1000, 2));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: 10_000, failure_persistence: None, ..Default::default() })]
        /// The discount search in integers finds the decimal search's discount, prices,
        /// total and margin, on lines whose profit takes rounded rates off the price.
        #[test]
        fn the_integer_search_is_the_decimal_one(
            lines in proptest::collection::vec((1i64..500_000, 1u32..3_000, 0i64..400_000, 0i64..900), 1..8),
            floor in 0i64..4_000,
        ) {
            let usd = Currency::from_code("USD").unwrap();
            let quoted: Vec<Decimal> = lines.iter().map(|l| Decimal::new(l.0, 2)).collect();
            let quantities: Vec<u32> = lines.iter().map(|l| l.1).collect();
            // Profit per unit: price − cost − the price × rate half-up to the cent.
            let profit_at = |i: usize, p: Decimal| -> Result<Decimal, OrderError> {
                let (_, _, cost, rate) = lines[i];
                let fee = Rounding::HalfUp.round(p * Decimal::new(rate, 4), 2);
                Ok(p - Decimal::new(cost, 2) - fee)
            };
            let whole = |i: usize, p: i128| -> Option<i128> {
                let (_, _, cost, rate) = lines[i];
                Some(p - i128::from(cost) - Rounding::HalfUp.divide(p * i128::from(rate), 10_000))
            };
            let floor = Percent::new(Decimal::new(floor, 2));
            let decimal = Judge { quantities: &quantities, currency: usd, profit_at, whole: None };
            let integer = Judge { quantities: &quantities, currency: usd, profit_at, whole: Some(&whole) };
            let a = decimal.max_discount(&quoted, floor).unwrap();
            let b = integer.max_discount(&quoted, floor).unwrap();
            proptest::prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }

        /// The discount search's prices in integers are the decimal ones, to the scale.
        #[test]
        fn discounted_prices_in_integers_are_the_decimal_ones(
            prices in proptest::collection::vec((0i64..1_000_000_000, 0..=3u32), 1..6),
            bp in 0u32..10_000, code in 0usize..3,
        ) {
            let currency = Currency::from_code(["JPY", "USD", "KWD"][code]).unwrap();
            let minor = currency.minor_units();
            let quoted: Vec<Decimal> = prices.into_iter().map(|(m, s)| Decimal::new(m, s.min(minor))).collect();
            let judge = Judge { quantities: &[], currency, profit_at: |_: usize, p: Decimal| Ok(p), whole: None };
            let keep = Decimal::ONE - Decimal::new(i64::from(bp), 4);
            for (fast, s) in judge.discounted(&quoted, bp).zip(&quoted) {
                let slow = Rounding::HalfUp.round(*s * keep, minor);
                proptest::prop_assert_eq!(fast.unwrap().to_string(), slow.to_string());
            }
        }
    }
}
