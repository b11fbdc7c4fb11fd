//! Wholesale tier tables: quantity breaks with MOQ, lots, validity and segments.
//!
//! # Order of application (fixed)
//! For a quantity, the matching tier is the one whose range holds it, for the buyer's
//! segment (a tier without a segment is for everyone) and valid on the date given; among
//! several, the highest `priority`, then the first listed. Its price is then worked out in
//! this order:
//! 1. **discount**: a unit price as given, or the base price less a discount %, or the unit
//!    cost plus a markup %;
//! 2. **round**: up to the table's price grid;
//! 3. **surcharge**: the tier's flat fee per order is added to the order (and shown per unit
//!    in the effective unit price, `unit price + fee / quantity`); it pays for handling, so
//!    the margin rules below judge the unit price without it;
//! 4. **min margin**: if the unit price's margin `(price − cost) / price` is below the
//!    floor, the unit price rises on the grid until it is not;
//! 5. **max margin**: if it is above the cap, the unit price falls on the grid to the last
//!    price at or under the cap, but never below the floor (the floor wins).
//!
//! The margin a quote reports is the effective one, flat fee included. The cost behind a
//! markup and every margin is the tier's own `unit_cost` where it gives one (per-shipment
//! costs spread over its quantities), else the table's.
//!
//! In graduated mode each unit is priced at the tier of its own band (1–2, 4–5 per band),
//! the flat fee is the tier of the whole quantity's, and the unit price shown is the
//! average, half-up to 4 decimal places.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::date::Date;
use crate::error::{FieldError, FieldErrors, Overflow, Problem};
use crate::grid::{Grid, PriceRounding};
use crate::money::{add, div, mul, sub, Rounding};
use crate::percent::Percent;

const WHAT: &str = "a tier price";

/// Volume or graduated pricing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TierMode {
    /// The whole quantity at one tier's price.
    #[default]
    Volume,
    /// Each unit at the price of its band.
    Graduated,
}

/// How a tier sets its price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
#[serde(rename_all = "snake_case")]
pub enum TierPrice {
    /// This unit price.
    UnitPrice(#[serde(with = "crate::serde_dec")] Decimal),
    /// The table's base price less this discount.
    Discount(Percent),
    /// The table's unit cost plus this markup.
    Markup(Percent),
}

/// One quantity break.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Least quantity (inclusive).
    pub min_qty: u32,
    /// Most quantity (inclusive); open when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_qty: Option<u32>,
    /// The price rule.
    pub price: TierPrice,
    /// Flat fee per order.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(default, with = "crate::serde_dec", skip_serializing_if = "Decimal::is_zero")]
    pub flat_fee: Decimal,
    /// Landed cost per unit at this tier's quantities, for its markup and margins, where
    /// it differs from the table's (per-shipment costs spread over fewer or more pieces).
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, with = "crate::serde_dec::option", skip_serializing_if = "Option::is_none")]
    pub unit_cost: Option<Decimal>,
    /// Buyer segment ("distributor", "vip" …); everyone when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// First valid day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Date>,
    /// Last valid day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<Date>,
    /// Higher wins where tiers overlap on purpose.
    #[serde(default)]
    pub priority: i32,
}

/// A tier table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TierTable {
    /// The currency of every price.
    pub currency: Currency,
    /// Volume or graduated.
    #[serde(default)]
    pub mode: TierMode,
    /// The price discounts are taken from (the single-unit or list price).
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub base_price: Decimal,
    /// Landed cost per unit, for markups and margins (a tier may give its own).
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub unit_cost: Decimal,
    /// The breaks.
    pub tiers: Vec<Tier>,
    /// Quantities are whole lots of this many pieces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot_size: Option<u32>,
    /// The price grid (rounding step and ending).
    #[serde(default)]
    pub rounding: PriceRounding,
    /// Least effective margin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_margin: Option<Percent>,
    /// Most effective margin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_margin: Option<Percent>,
    /// The table means larger quantities may cost more per unit (no warning then).
    #[serde(default)]
    pub allow_rising: bool,
}

/// Who is buying, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TierContext {
    /// The buyer's segment.
    #[serde(default)]
    pub segment: Option<String>,
    /// The quote date (validity); any date when absent.
    #[serde(default)]
    pub date: Option<Date>,
}

/// The price of one quantity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TierQuote {
    /// Pieces.
    pub quantity: u32,
    /// Index of the tier that priced the quantity.
    pub tier: usize,
    /// Unit price (graduated: the average, 4 dp).
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub unit_price: Decimal,
    /// Flat fee for the order.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub flat_fee: Decimal,
    /// `unit_price × quantity + flat fee` (graduated: the sum of the bands + fee).
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub total: Decimal,
    /// `total / quantity`, half-up to 4 dp.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub effective_unit_price: Decimal,
    /// Effective margin, 0.01 point.
    pub margin: Option<Percent>,
    /// What was applied, in order: "discount 5%", "rounded up", "raised to the 15% floor" …
    pub steps: Vec<String>,
}

/// A row of the table as a buyer sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TierRow {
    /// From.
    pub min_qty: u32,
    /// To.
    pub max_qty: Option<u32>,
    /// Unit price at the row's least quantity.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub unit_price: Decimal,
    /// Flat fee per order.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub flat_fee: Decimal,
    /// Effective margin at the least quantity.
    pub margin: Option<Percent>,
}

/// Why a tier price cannot be given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TierError {
    /// The table has problems; all are listed.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// Below the minimum order quantity.
    #[error("{quantity} is below the minimum order quantity of {moq}")]
    BelowMoq {
        /// Asked.
        quantity: u32,
        /// MOQ.
        moq: u32,
    },
    /// Not a whole number of lots.
    #[error(
        "{quantity} pieces is not a whole number of lots of {lot} (nearest: {below} or {above})"
    )]
    NotWholeLots {
        /// Asked.
        quantity: u32,
        /// Lot size.
        lot: u32,
        /// Whole lots below.
        below: u32,
        /// Whole lots above.
        above: u32,
    },
    /// No tier covers the quantity for this segment and date.
    #[error("no tier covers {quantity} pieces for this buyer and date")]
    NoTier {
        /// Asked.
        quantity: u32,
    },
    /// A computation overflowed.
    #[error(transparent)]
    Overflow(#[from] Overflow),
}

fn overlaps(a: &Tier, b: &Tier) -> bool {
    let (a_hi, b_hi) = (a.max_qty.unwrap_or(u32::MAX), b.max_qty.unwrap_or(u32::MAX));
    let qty = a.min_qty <= b_hi && b.min_qty <= a_hi;
    let dates = a.valid_from.max(b.valid_from)
        <= match (a.valid_to, b.valid_to) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, None) => x.or(Some(Date::new(9999, 12, 31).unwrap_or_else(|| unreachable!()))),
            (None, y) => y,
        };
    qty && dates && a.segment == b.segment && a.priority == b.priority
}

impl TierTable {
    /// Every problem with the table: values, and overlapping or gapped quantity ranges
    /// (among tiers of one segment and priority).
    pub fn check(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.base_price < Decimal::ZERO {
            e.push(FieldError::new("base_price", Problem::Negative { value: self.base_price }));
        }
        if self.unit_cost < Decimal::ZERO {
            e.push(FieldError::new("unit_cost", Problem::Negative { value: self.unit_cost }));
        }
        if self.tiers.is_empty() {
            e.push(FieldError::new(
                "tiers",
                Problem::Invalid { message: "a table needs a tier".into() },
            ));
        }
        if self.lot_size == Some(0) {
            e.push(FieldError::new("lot_size", Problem::NotPositive { value: Decimal::ZERO }));
        }
        for (name, m) in [("min_margin", self.min_margin), ("max_margin", self.max_margin)] {
            if let Some(m) = m {
                if m.points() < Decimal::ZERO || m.points() >= Decimal::ONE_HUNDRED {
                    e.push(FieldError::new(name, Problem::PercentTooLarge { value: m.points() }));
                }
            }
        }
        if let (Some(lo), Some(hi)) = (self.min_margin, self.max_margin) {
            if lo > hi {
                e.push(FieldError::new(
                    "min_margin",
                    Problem::Invalid { message: format!("the floor {lo} is above the cap {hi}") },
                ));
            }
        }
        e.extend(self.rounding.validate(self.currency, "rounding"));
        for (i, t) in self.tiers.iter().enumerate() {
            let at = |f: &str| format!("tiers[{i}].{f}");
            if t.min_qty == 0 {
                e.push(FieldError::new(
                    at("min_qty"),
                    Problem::NotPositive { value: Decimal::ZERO },
                ));
            }
            if matches!(t.max_qty, Some(m) if m < t.min_qty) {
                e.push(FieldError::new(
                    at("max_qty"),
                    Problem::Invalid { message: format!("below min_qty {}", t.min_qty) },
                ));
            }
            match t.price {
                TierPrice::UnitPrice(p) if p < Decimal::ZERO => {
                    e.push(FieldError::new(at("price.unit_price"), Problem::Negative { value: p }))
                }
                TierPrice::Discount(d)
                    if d.points() < Decimal::ZERO || d.points() >= Decimal::ONE_HUNDRED =>
                {
                    e.push(FieldError::new(
                        at("price.discount"),
                        Problem::PercentTooLarge { value: d.points() },
                    ))
                }
                TierPrice::Markup(m) if m.points() < Decimal::ZERO => e.push(FieldError::new(
                    at("price.markup"),
                    Problem::Negative { value: m.points() },
                )),
                _ => {}
            }
            if t.flat_fee < Decimal::ZERO {
                e.push(FieldError::new(at("flat_fee"), Problem::Negative { value: t.flat_fee }));
            }
            if let Some(c) = t.unit_cost.filter(|c| *c < Decimal::ZERO) {
                e.push(FieldError::new(at("unit_cost"), Problem::Negative { value: c }));
            }
            if let (Some(a), Some(b)) = (t.valid_from, t.valid_to) {
                if a > b {
                    e.push(FieldError::new(
                        at("valid_to"),
                        Problem::Invalid { message: format!("{b} is before {a}") },
                    ));
                }
            }
            for (j, u) in self.tiers[..i].iter().enumerate() {
                if overlaps(u, t) {
                    e.push(FieldError::new(
                        at("min_qty"),
                        Problem::Invalid {
                            message: format!(
                                "the range overlaps tiers[{j}] ({}–{})",
                                u.min_qty,
                                u.max_qty.map_or("…".to_owned(), |m| m.to_string())
                            ),
                        },
                    ));
                }
            }
        }
        // Gaps: within each segment and priority, sorted ranges must join up.
        let mut groups: Vec<(&Option<String>, i32)> =
            self.tiers.iter().map(|t| (&t.segment, t.priority)).collect();
        groups.sort();
        groups.dedup();
        for (seg, prio) in groups {
            let mut ts: Vec<(usize, &Tier)> = self
                .tiers
                .iter()
                .enumerate()
                .filter(|(_, t)| &t.segment == seg && t.priority == prio)
                .collect();
            ts.sort_by_key(|(_, t)| t.min_qty);
            for w in ts.windows(2) {
                let ((_, a), (j, b)) = (w[0], w[1]);
                if let Some(hi) = a.max_qty {
                    if b.min_qty > hi.saturating_add(1)
                        && a.valid_from == b.valid_from
                        && a.valid_to == b.valid_to
                    {
                        e.push(FieldError::new(
                            format!("tiers[{j}].min_qty"),
                            Problem::Invalid {
                                message: format!(
                                    "quantities {}–{} have no tier",
                                    hi.saturating_add(1),
                                    b.min_qty.saturating_sub(1)
                                ),
                            },
                        ));
                    }
                } else if b.valid_from == a.valid_from && b.valid_to == a.valid_to {
                    // An open-ended tier followed by another of the same group overlaps; reported above.
                }
            }
        }
        e
    }

    /// The minimum order quantity: the least `min_qty` of the tiers open to the buyer.
    pub fn moq(&self, ctx: &TierContext) -> Option<u32> {
        self.tiers.iter().filter(|t| self.applies(t, ctx)).map(|t| t.min_qty).min()
    }

    fn applies(&self, t: &Tier, ctx: &TierContext) -> bool {
        let seg = t.segment.is_none() || t.segment == ctx.segment;
        let date = match ctx.date {
            Some(d) => t.valid_from.is_none_or(|f| f <= d) && t.valid_to.is_none_or(|to| d <= to),
            None => true,
        };
        seg && date
    }

    /// The tier for `q`: in range, for the buyer, valid; highest priority, then a
    /// segment-specific tier before a general one, then the first listed.
    fn tier_for(&self, q: u32, ctx: &TierContext) -> Option<usize> {
        self.tiers
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                self.applies(t, ctx) && t.min_qty <= q && t.max_qty.is_none_or(|m| q <= m)
            })
            .min_by_key(|(i, t)| (std::cmp::Reverse(t.priority), t.segment.is_none(), *i))
            .map(|(i, _)| i)
    }

    fn grid(&self) -> Grid {
        self.rounding.grid(self.currency)
    }

    /// The landed cost per unit of a tier's quantities.
    fn cost_of(&self, t: &Tier) -> Decimal {
        t.unit_cost.unwrap_or(self.unit_cost)
    }

    /// Steps 1–2, 4–5 for a tier's unit price (the flat fee is not part of it).
    fn unit_price(&self, t: &Tier, steps: &mut Vec<String>) -> Result<Decimal, TierError> {
        let grid = self.grid();
        let cost = self.cost_of(t);
        let raw = match t.price {
            TierPrice::UnitPrice(p) => {
                steps.push(format!("unit price {p}"));
                p
            }
            TierPrice::Discount(d) => {
                steps.push(format!("discount {d} off {}", self.base_price));
                mul(self.base_price, sub(Decimal::ONE, d.fraction(), WHAT)?, WHAT)?
            }
            TierPrice::Markup(m) => {
                steps.push(format!("markup {m} on cost {cost}"));
                mul(cost, add(Decimal::ONE, m.fraction(), WHAT)?, WHAT)?
            }
        };
        let mut p = grid.ceil(raw)?;
        if p != raw {
            steps.push(format!("rounded up to {p}"));
        }
        if !t.flat_fee.is_zero() {
            steps.push(format!("flat fee {} per order", t.flat_fee));
        }
        let margin_ok = |price: Decimal, m: Percent, at_least: bool| -> Result<bool, Overflow> {
            let profit = sub(price, cost, WHAT)?;
            let want = mul(price, m.fraction(), WHAT)?;
            Ok(if at_least { profit >= want } else { profit <= want })
        };
        if let Some(min) = self.min_margin {
            // Start from the exact floor price, then walk the grid.
            if !margin_ok(p, min, true)? {
                let keep = sub(Decimal::ONE, min.fraction(), WHAT)?;
                // price × (1 − m) = cost
                let exact = div(cost, keep, WHAT)?;
                p = grid.ceil(exact)?;
                while !margin_ok(p, min, true)? {
                    p = grid.next(p)?;
                }
                steps.push(format!("raised to {p} for the {min} margin floor"));
            }
        }
        if let Some(max) = self.max_margin {
            if !margin_ok(p, max, false)? {
                let keep = sub(Decimal::ONE, max.fraction(), WHAT)?;
                let exact = div(cost, keep, WHAT)?;
                let mut cap = grid.ceil(exact)?;
                while !margin_ok(cap, max, false)? && cap > grid.ending {
                    cap = sub(cap, grid.step, WHAT)?;
                }
                let floor_ok = match self.min_margin {
                    Some(min) => margin_ok(cap, min, true)?,
                    None => true,
                };
                if floor_ok && cap < p {
                    p = cap;
                    steps.push(format!("lowered to {p} for the {max} margin cap"));
                }
            }
        }
        Ok(p)
    }

    /// The price of `quantity` pieces for this buyer and date.
    pub fn price(&self, quantity: u32, ctx: &TierContext) -> Result<TierQuote, TierError> {
        let problems = self.check();
        if !problems.is_empty() {
            return Err(TierError::Invalid(FieldErrors(problems)));
        }
        if let Some(moq) = self.moq(ctx) {
            if quantity < moq {
                return Err(TierError::BelowMoq { quantity, moq });
            }
        }
        if let Some(lot) = self.lot_size.filter(|l| *l > 1) {
            let rest = quantity.checked_rem(lot).unwrap_or(0);
            if rest != 0 {
                let below = quantity.saturating_sub(rest);
                return Err(TierError::NotWholeLots {
                    quantity,
                    lot,
                    below,
                    above: below.saturating_add(lot),
                });
            }
        }
        let i = self.tier_for(quantity, ctx).ok_or(TierError::NoTier { quantity })?;
        let t = &self.tiers[i];
        let q = Decimal::from(quantity);
        let mut steps = Vec::new();
        let (unit, goods, cost) = match self.mode {
            TierMode::Volume => {
                let p = self.unit_price(t, &mut steps)?;
                (p, mul(p, q, WHAT)?, mul(self.cost_of(t), q, WHAT)?)
            }
            TierMode::Graduated => {
                // Each band's units at the band's own price.
                let mut goods = Decimal::ZERO;
                let mut cost = Decimal::ZERO;
                let mut from = 1u32;
                while from <= quantity {
                    let j = self.tier_for(from, ctx).ok_or(TierError::NoTier { quantity: from })?;
                    let band = &self.tiers[j];
                    let to = band.max_qty.unwrap_or(u32::MAX).min(quantity);
                    let mut band_steps = Vec::new();
                    let p = self.unit_price(band, &mut band_steps)?;
                    let n = Decimal::from(to.saturating_sub(from).saturating_add(1));
                    goods = add(goods, mul(p, n, WHAT)?, WHAT)?;
                    cost = add(cost, mul(self.cost_of(band), n, WHAT)?, WHAT)?;
                    steps.push(format!("{}–{} at {p}", from, to));
                    if to == u32::MAX {
                        break;
                    }
                    from = to.saturating_add(1);
                }
                (Rounding::HalfUp.div_round(goods, q, 4, WHAT)?, goods, cost)
            }
        };
        let total = add(goods, t.flat_fee, WHAT)?;
        let effective = Rounding::HalfUp.div_round(total, q, 4, WHAT)?;
        let margin = crate::percent::Percent::of_rounded(sub(total, cost, WHAT)?, total)?;
        Ok(TierQuote {
            quantity,
            tier: i,
            unit_price: unit,
            flat_fee: t.flat_fee,
            total,
            effective_unit_price: effective,
            margin,
            steps,
        })
    }

    /// Every tier open to the buyer as a row (its price at its least quantity), by
    /// quantity, and warnings where a larger quantity costs more per unit.
    pub fn rows(&self, ctx: &TierContext) -> Result<(Vec<TierRow>, Vec<String>), TierError> {
        let mut rows = Vec::new();
        let mut idx: Vec<usize> =
            (0..self.tiers.len()).filter(|i| self.applies(&self.tiers[*i], ctx)).collect();
        idx.sort_by_key(|i| self.tiers[*i].min_qty);
        let lot = self.lot_size.unwrap_or(1).max(1);
        let mut points: Vec<(u32, Decimal)> = Vec::new();
        for i in idx {
            let t = &self.tiers[i];
            if self.tier_for(t.min_qty, ctx) != Some(i) {
                continue; // shadowed by a tier of higher priority
            }
            // The least whole-lot quantity in the tier.
            let q = t.min_qty.div_ceil(lot).saturating_mul(lot);
            if t.max_qty.is_some_and(|m| q > m) {
                continue;
            }
            let p = self.price(q, ctx)?;
            points.push((q, p.effective_unit_price));
            if let Some(m) = t.max_qty {
                let top = m.checked_div(lot).unwrap_or(0).saturating_mul(lot);
                if top >= q {
                    points.push((top, self.price(top, ctx)?.effective_unit_price));
                }
            }
            rows.push(TierRow {
                min_qty: t.min_qty,
                max_qty: t.max_qty,
                unit_price: p.unit_price,
                flat_fee: t.flat_fee,
                margin: p.margin,
            });
        }
        let mut warnings = Vec::new();
        if !self.allow_rising {
            for w in points.windows(2) {
                let ((qa, pa), (qb, pb)) = (w[0], w[1]);
                if qb > qa && pb > pa {
                    warnings.push(format!(
                        "{qb} pieces cost more per unit ({pb}) than {qa} pieces ({pa})"
                    ));
                }
            }
        }
        Ok((rows, warnings))
    }
}
