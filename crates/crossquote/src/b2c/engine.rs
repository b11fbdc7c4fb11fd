//! The B2C solver and evaluator. See the module docs of [`crate::b2c`] for the formula and
//! the rounding points.

use rust_decimal::Decimal;

use super::{
    B2cQuote, B2cRequest, CounterOffer, CouponValue, Decision, Evaluation, FeeRule, IntervalTried,
    MaxDiscount, Per, ProfitBasis, ProfitTarget, QuoteError, Verdict,
};
use crate::breakdown::{Breakdown, Label, Line, LineKind};
use crate::check::{amount as check_amount, percent as check_percent, rate as rate_for};
use crate::currency::Currency;
use crate::error::{FieldError, FieldErrors, Overflow, Problem};
use crate::fx::{ExactRate, RateSide, RateTable};
use crate::grid::{Grid, PriceRounding};
use crate::money::{
    add, div, div_rem_pow10, mantissa_i64, mul, sub, sum, Frac, Money, Rounding, POW10_I64,
};
use crate::percent::Percent;

#[cfg(feature = "fast-quote")]
mod fast;

/// How many grid prices past the exact solution the solver looks at before it gives up on
/// an interval. Line rounding needs a few; a deep promotion on a fine grid needs more.
const MAX_GRID_STEPS: u32 = 10_000;

/// How many grid prices below the first one found the solver checks (see `solve`).
const MAX_STEPS_DOWN: u32 = 100;

/// The target a price must meet, as fractions.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// profit ≥ m × net price.
    Margin(Decimal),
    /// profit ≥ k × landed cost lines.
    Markup(Decimal),
}

impl Target {
    fn of(t: ProfitTarget) -> Target {
        match t.basis {
            ProfitBasis::Margin => Target::Margin(t.percent.fraction()),
            ProfitBasis::Markup => Target::Markup(t.percent.fraction()),
        }
    }
}

struct CostLine {
    kind: LineKind,
    label: &'static str,
    /// Per unit, seller currency, as given.
    seller: Decimal,
    /// Per unit, quote currency, rounded half-up to the minor unit (the breakdown line).
    rounded: Decimal,
}

enum Rule {
    Linear(Decimal),
    /// `(from, rate, fixed)` in the quote currency, by ascending `from`; `shown` are the bands
    /// as given, in `currency`, for notes;
    /// band in its own currency for notes.
    Banded {
        bands: Vec<(Decimal, Decimal, Decimal)>,
        shown: Vec<super::FeeBand>,
        currency: Currency,
    },
    Capped {
        rate: Decimal,
        min: Option<Decimal>,
        cap: Option<Decimal>,
    },
}

struct PreparedFee<'a> {
    name: &'a Label,
    rule: Rule,
    /// A linear rule's rate on 64 bits, for [`MinorTotals`].
    frac: Option<Frac>,
}

/// A request checked and converted into the quote currency, per unit, exact.
struct Prepared<'a> {
    quote: Currency,
    seller: Currency,
    /// Seller currency per unit of quote currency.
    rate: ExactRate,
    covered: ExactRate,
    costs: Vec<CostLine>,
    landed: Decimal,
    reserve: Decimal,
    fixed: Vec<(&'a Label, Decimal)>,
    fixed_total: Decimal,
    coupon_amounts: Vec<(&'a Label, Decimal)>,
    coupon_amount_total: Decimal,
    coupon_percents: Vec<(&'a Label, Decimal)>,
    coupon_percent_total: Decimal,
    fees: Vec<PreparedFee<'a>>,
    promo: Decimal,
    grid: Grid,
    target: Target,
    /// Rounded cost lines (the markup base).
    landed_lines: Decimal,
    /// Every rounded line that does not depend on the price: costs, reserve, fixed fees,
    /// amount coupons.
    constant_lines: Decimal,
    /// The rounded amount coupons (part of `constant_lines`).
    amount_coupon_lines: Decimal,
    /// The same price-dependent lines on whole minor units, when every fee is linear.
    minor: Option<MinorTotals>,
    /// The fees' total rate, when every fee is linear (one piece at every price): `Some`
    /// is the solver's and [`MinorTotals`]' test for "every fee linear".
    linear_rates: Option<Decimal>,
    /// `landed + reserve`: the costs in the solver's formula.
    landed_and_reserve: Decimal,
}

/// The figures at one sale price, before labels and the seller-currency view are built.
struct Figures {
    sale: Decimal,
    net: Decimal,
    lines: Vec<Line>,
    profit: Decimal,
    landed_lines: Decimal,
}

/// The figures a target check needs at one sale price; no lines, no allocation.
struct Totals {
    net: Decimal,
    profit: Decimal,
    landed_lines: Decimal,
}

/// What the figures at a price need to become an [`Evaluation`]: the currencies, the rate
/// and the cost lines as given in the seller's currency.
struct Seller<'c> {
    quote: Currency,
    seller: Currency,
    rate: ExactRate,
    costs: &'c [CostLine],
}

impl Seller<'_> {
    /// The breakdown in the seller's currency: each cost line as given (half-up), every
    /// other line converted and rounded once, the profit what is left of the converted price.
    fn breakdown(&self, f: &Figures) -> Result<Breakdown, Overflow> {
        let s = self.seller;
        let places = s.minor_units();
        let total = self.rate.convert_rounded(f.sale, places)?;
        let mut lines = Vec::with_capacity(f.lines.len());
        let mut costs = self.costs.iter();
        for l in f.lines.iter().filter(|l| l.kind != LineKind::Profit) {
            let amount = match (l.kind, costs.clone().next()) {
                (k, Some(c)) if k == c.kind => {
                    costs.next();
                    half_up(c.seller, s)
                }
                _ => self.rate.convert_rounded(l.amount, places)?,
            };
            lines.push(Line { kind: l.kind, label: l.label.clone(), amount });
        }
        Breakdown::with_residual_profit(s, total, lines)
    }

    fn evaluation(&self, f: Figures, fee_notes: Vec<String>) -> Result<Evaluation, Overflow> {
        let pct = Percent::of_rounded;
        let spent = sub(f.net, f.profit, "the return on investment")?;
        let seller_breakdown = self.breakdown(&f)?;
        Ok(Evaluation {
            sale_price: Money::new(f.sale, self.quote),
            net_price: Money::new(f.net, self.quote),
            profit: Money::new(f.profit, self.quote),
            margin: pct(f.profit, f.net)?,
            markup: pct(f.profit, f.landed_lines)?,
            roi: pct(f.profit, spent)?,
            breakdown: Breakdown { currency: self.quote, total: f.sale, lines: f.lines },
            seller_breakdown,
            fee_notes,
        })
    }
}

/// The solver's uses of a rate or a target taken apart ([`Frac`]).
impl Frac {
    /// `x × self` half-up to a whole number (`x` in minor units: the rounded line).
    #[inline(always)]
    #[allow(clippy::arithmetic_side_effects)] // |r| < p ≤ 10^18; see below
    fn line(self, x: i64) -> Option<i64> {
        let n = x.checked_mul(self.m)?;
        let (q, r) = div_rem_pow10(n, self.k)?;
        // `Rounding::HalfUp.settle` on i64: through settle's i128 it costs ~500
        // instructions a quote (measured), and the solver's checks call this dozens of times.
        // |q| ≤ |n| / 2 when p ≥ 2 (and r = 0 when p = 1), so q ± 1 cannot overflow.
        Some(if r.unsigned_abs() * 2 >= self.p.unsigned_abs() { q + n.signum() } else { q })
    }

    /// Whether `a ≥ self × b`, exactly, when both products are ones a `Decimal` holds
    /// exactly (see [`exact`]).
    #[inline(always)]
    #[allow(clippy::arithmetic_side_effects)] // i64 × i64 fits i128
    fn at_most(self, a: i64, b: i64) -> Option<bool> {
        let (l, r) = (i128::from(a) * i128::from(self.p), i128::from(self.m) * i128::from(b));
        Some(exact(l)? >= exact(r)?)
    }
}

/// `v` when a `Decimal` holds it exactly (a mantissa below 2^96), else `None`. A product
/// of two `i64` can pass 96 bits, and beyond them `Decimal` arithmetic rounds (a product
/// drops digits to fit), so the `Decimal` path would no longer be exact and the two paths
/// could disagree; such sizes take the `Decimal` path.
#[inline]
fn exact(v: i128) -> Option<i128> {
    (v.unsigned_abs() < 1 << 96).then_some(v)
}

/// `x` as a whole number of `10^-places` units, when it is one and fits 64 bits.
#[inline]
fn to_minor(x: Decimal, places: u32) -> Option<i64> {
    let up = places.checked_sub(x.scale())?;
    mantissa_i64(x)?.checked_mul(*POW10_I64.get(up as usize)?)
}

/// What [`Prepared::totals`] and [`Prepared::meets`] compute, on whole minor units of the
/// quote currency (i64) instead of `Decimal`: the solver checks several candidate prices
/// per quote and each check is a handful of machine operations. Exact, because every
/// rounded line is a whole number of minor units and every rate a finite decimal; built
/// only when every fee is linear (a band's fixed part or a cap converted from another
/// currency is not a whole number of minor units) and its rate fits 64 bits. Any step that
/// does not fit 64 bits (or, for the target's products, a `Decimal`: see [`exact`]) gives
/// `None` and the caller takes the `Decimal` path, which stays the reference: property
/// tests hold whole quotes on the two paths equal.
#[derive(Debug, Clone, Copy)]
struct MinorTotals {
    places: u32,
    constant_lines: i64,
    amount_coupon_lines: i64,
    landed_lines: i64,
}

impl MinorTotals {
    fn new(p: &Prepared) -> Option<MinorTotals> {
        p.linear_rates?; // every fee linear
        if p.fees.iter().any(|f| f.frac.is_none()) {
            return None;
        }
        let places = p.quote.minor_units();
        Some(MinorTotals {
            places,
            constant_lines: to_minor(p.constant_lines, places)?,
            amount_coupon_lines: to_minor(p.amount_coupon_lines, places)?,
            landed_lines: to_minor(p.landed_lines, places)?,
        })
    }

    /// Whether sale price `sale` meets `target` with the coupons and (linear) fees of `p`;
    /// `None` when `sale` is not a whole number of minor units or a step does not fit.
    fn meets(self, p: &Prepared, sale: Decimal, target: Target) -> Option<bool> {
        let sale = to_minor(sale, self.places)?;
        let mut coupons = self.amount_coupon_lines;
        for (_, f) in &p.coupon_percents {
            coupons = coupons.checked_add(Frac::of(*f)?.line(sale)?)?;
        }
        let net = sale.checked_sub(coupons)?;
        let mut profit = sale.checked_sub(self.constant_lines)?;
        profit = profit.checked_sub(coupons.checked_sub(self.amount_coupon_lines)?)?;
        for f in &p.fees {
            profit = profit.checked_sub(f.frac?.line(net)?)?;
        }
        match target {
            Target::Margin(m) => Some(net > 0 && Frac::of(m)?.at_most(profit, net)?),
            Target::Markup(k) => Frac::of(k)?.at_most(profit, self.landed_lines),
        }
    }
}

/// How a walk along the price grid ended.
#[derive(Debug, Clone, Copy)]
enum Walk {
    /// The lowest `(list, sale)` that meets the target.
    Better(Decimal, Decimal),
    /// It reached a price an earlier interval had found.
    NoBetter,
    /// No grid price near the exact solution meets the target.
    NotFound,
}

#[inline]
fn half_up(x: Decimal, c: Currency) -> Decimal {
    Rounding::HalfUp.round(x, c.minor_units())
}

/// Which arithmetic the solver's target checks take (see [`MinorTotals`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path {
    /// Whole minor units where the request allows.
    Fast,
    /// `Decimal` throughout: the reference.
    Decimal,
}

fn prepare<'a>(
    req: &'a B2cRequest,
    rates: &RateTable,
    path: Path,
) -> Result<Prepared<'a>, QuoteError> {
    const WHAT: &str = "converting the request";
    // The rate table is validated where it is loaded; here only the rates used are checked.
    let mut errors = Vec::new();
    let q = req.quote_currency;
    if req.quantity == 0 {
        errors.push(FieldError::new("quantity", Problem::NotPositive { value: Decimal::ZERO }));
    }
    let qty = Decimal::from(req.quantity.max(1));

    // Exchange rate: seller currency per unit of quote currency.
    let rate = rate_for(
        &mut errors,
        rates,
        || "quote_currency".into(),
        q,
        req.seller_currency,
        req.fx.side,
    )?;
    check_percent(&mut errors, || "fx.risk_buffer".into(), req.fx.risk_buffer, true);
    let covered = rate.scaled(sub(Decimal::ONE, req.fx.risk_buffer.fraction(), WHAT)?)?;

    let c = &req.costs;
    let per_order = |v: Decimal, per: Per| -> Result<Decimal, Overflow> {
        match per {
            Per::Unit => Ok(v),
            Per::Order => div(v, qty, WHAT),
        }
    };
    let shipping = match &req.shipping {
        Some(s) => per_order(s.amount, s.per)?,
        None => Decimal::ZERO,
    };
    let raw = [
        (LineKind::Purchase, "Purchase cost", "costs.purchase", c.purchase),
        (LineKind::Packaging, "Packaging", "costs.packaging", c.packaging),
        (LineKind::FirstLeg, "First leg", "costs.first_leg", c.first_leg),
        (LineKind::LastMile, "Last mile", "costs.last_mile", c.last_mile),
        (LineKind::OtherCost, "Other costs", "costs.other", c.other),
        (LineKind::Shipping, "Shipping", "shipping.amount", shipping),
    ];
    let mut costs = Vec::with_capacity(raw.len());
    for (kind, label, field, v) in raw {
        check_amount(&mut errors, || field.into(), v);
        if kind == LineKind::Purchase || !v.is_zero() {
            costs.push(CostLine { kind, label, seller: v, rounded: Decimal::ZERO });
        }
    }

    let mut fixed = Vec::with_capacity(req.fixed_fees.len());
    for (i, f) in req.fixed_fees.iter().enumerate() {
        check_amount(&mut errors, || format!("fixed_fees[{i}].amount.amount"), f.amount.amount);
        let field = || format!("fixed_fees[{i}].amount.currency");
        let r = rate_for(&mut errors, rates, field, f.amount.currency, q, RateSide::Mid)?;
        fixed.push((&f.name, per_order(r.convert(f.amount.amount)?, f.per)?));
    }

    let mut coupon_amounts = Vec::new();
    let mut coupon_percents = Vec::new();
    for (i, cp) in req.coupons.iter().enumerate() {
        match &cp.value {
            CouponValue::Amount { amount, per } => {
                let field = |leaf: &str| format!("coupons[{i}].value.amount.amount.{leaf}");
                check_amount(&mut errors, || field("amount"), amount.amount);
                let r = rate_for(
                    &mut errors,
                    rates,
                    || field("currency"),
                    amount.currency,
                    q,
                    RateSide::Mid,
                )?;
                coupon_amounts.push((&cp.name, per_order(r.convert(amount.amount)?, *per)?));
            }
            CouponValue::Percent(p) => {
                check_percent(&mut errors, || format!("coupons[{i}].value.percent"), *p, true);
                coupon_percents.push((&cp.name, p.fraction()));
            }
        }
    }
    let coupon_percent_total = sum(coupon_percents.iter().map(|c| c.1), WHAT)?;
    if coupon_percent_total >= Decimal::ONE && coupon_percents.len() > 1 {
        errors.push(FieldError::new(
            "coupons",
            Problem::PercentTooLarge {
                value: mul(coupon_percent_total, Decimal::ONE_HUNDRED, WHAT)?,
            },
        ));
    }

    // Fees, and the least share of the price they can take (for the 100% check).
    let mut fees = Vec::with_capacity(req.fees.len());
    let mut least_rate = Decimal::ZERO;
    for (i, f) in req.fees.iter().enumerate() {
        let at = |s: &str| format!("fees[{i}].rule.{s}");
        let rule = match &f.rule {
            FeeRule::Percent(p) => {
                check_percent(&mut errors, || format!("fees[{i}].rule.percent"), *p, true);
                least_rate = add(least_rate, p.fraction(), WHAT)?;
                Rule::Linear(p.fraction())
            }
            FeeRule::Banded { currency, bands } => {
                let r = rate_for(
                    &mut errors,
                    rates,
                    || at("banded.currency"),
                    *currency,
                    q,
                    RateSide::Mid,
                )?;
                if bands.is_empty() {
                    errors.push(FieldError::new(
                        at("banded.bands"),
                        Problem::Invalid { message: "a banded fee needs at least one band".into() },
                    ));
                } else if !bands[0].from.is_zero() {
                    errors.push(FieldError::new(
                        at("banded.bands[0].from"),
                        Problem::Invalid {
                            message: format!(
                                "the first band must start at 0 (got {})",
                                bands[0].from
                            ),
                        },
                    ));
                }
                let mut out = Vec::new();
                for (j, b) in bands.iter().enumerate() {
                    check_percent(
                        &mut errors,
                        || at(&format!("banded.bands[{j}].percent")),
                        b.percent,
                        true,
                    );
                    check_amount(&mut errors, || at(&format!("banded.bands[{j}].fixed")), b.fixed);
                    let prev = j.checked_sub(1).and_then(|k| bands.get(k));
                    if let Some(prev) = prev.filter(|prev| b.from <= prev.from) {
                        errors.push(FieldError::new(
                            at(&format!("banded.bands[{j}].from")),
                            Problem::Invalid {
                                message: format!(
                                    "bands must start at rising prices ({} after {})",
                                    b.from, prev.from
                                ),
                            },
                        ));
                    }
                    out.push((r.convert(b.from)?, b.percent.fraction(), r.convert(b.fixed)?));
                }
                let least = bands.iter().map(|b| b.percent.fraction()).min().unwrap_or_default();
                least_rate = add(least_rate, least, WHAT)?;
                Rule::Banded { bands: out, shown: bands.clone(), currency: *currency }
            }
            FeeRule::Capped { percent, currency, min, cap } => {
                check_percent(&mut errors, || at("capped.percent"), *percent, true);
                let r = rate_for(
                    &mut errors,
                    rates,
                    || at("capped.currency"),
                    *currency,
                    q,
                    RateSide::Mid,
                )?;
                for (name, v) in [("min", min), ("cap", cap)] {
                    if let Some(v) = v {
                        check_amount(&mut errors, || at(&format!("capped.{name}")), *v);
                    }
                }
                if let (Some(lo), Some(hi)) = (min, cap) {
                    if lo > hi {
                        errors.push(FieldError::new(
                            at("capped.min"),
                            Problem::Invalid {
                                message: format!("the minimum {lo} is above the cap {hi}"),
                            },
                        ));
                    }
                }
                if cap.is_none() {
                    least_rate = add(least_rate, percent.fraction(), WHAT)?;
                }
                let conv = |v: &Option<Decimal>| v.map(|v| r.convert(v)).transpose();
                Rule::Capped { rate: percent.fraction(), min: conv(min)?, cap: conv(cap)? }
            }
        };
        let frac = match rule {
            Rule::Linear(r) => Frac::of(r),
            _ => None,
        };
        fees.push(PreparedFee { name: &f.name, rule, frac });
    }

    let target = Target::of(req.profit);
    check_percent(
        &mut errors,
        || "profit.percent".into(),
        req.profit.percent,
        req.profit.basis == ProfitBasis::Margin,
    );
    let margin = match target {
        Target::Margin(m) => m,
        Target::Markup(_) => Decimal::ZERO,
    };
    if add(least_rate, margin, WHAT)? >= Decimal::ONE {
        errors.push(FieldError::new(
            "fees",
            Problem::FeesTakeWholePrice {
                fees: mul(least_rate, Decimal::ONE_HUNDRED, WHAT)?.normalize(),
                margin: req.profit.percent.points(),
            },
        ));
    }

    let promo = match req.promotion {
        Some(p) => {
            check_percent(&mut errors, || "promotion".into(), p, true);
            p.fraction()
        }
        None => Decimal::ZERO,
    };
    errors.extend(req.price_rounding.validate(q, "price_rounding"));

    if !errors.is_empty() {
        return Err(QuoteError::Invalid(FieldErrors(errors)));
    }

    for line in &mut costs {
        // One exact division, rounded once: seller amount × den / num.
        line.rounded = Rounding::HalfUp.div_round(
            mul(line.seller, rate.den, WHAT)?,
            rate.num,
            q.minor_units(),
            WHAT,
        )?;
    }
    let landed_seller = sum(costs.iter().map(|c| c.seller), WHAT)?;
    let landed = rate.convert_back(landed_seller)?;
    let reserve = if req.fx.risk_buffer.is_zero() {
        Decimal::ZERO
    } else {
        sub(covered.convert_back(landed_seller)?, landed, WHAT)?
    };
    let fixed_total = sum(fixed.iter().map(|f| f.1), WHAT)?;
    let coupon_amount_total = sum(coupon_amounts.iter().map(|c| c.1), WHAT)?;
    let landed_lines = sum(costs.iter().map(|c| c.rounded), WHAT)?;
    let amount_coupon_lines = sum(coupon_amounts.iter().map(|c| half_up(c.1, q)), WHAT)?;
    let fixed_lines = sum(fixed.iter().map(|f| half_up(f.1, q)), WHAT)?;
    let constant_lines =
        sum([landed_lines, half_up(reserve, q), fixed_lines, amount_coupon_lines], WHAT)?;
    let linear_rates =
        fees.iter().try_fold(Some(Decimal::ZERO), |total, f| match (total, &f.rule) {
            (Some(t), Rule::Linear(r)) => add(t, *r, WHAT).map(Some),
            _ => Ok(None),
        })?;
    let mut prepared = Prepared {
        quote: q,
        seller: req.seller_currency,
        rate,
        covered,
        costs,
        landed,
        reserve,
        fixed,
        fixed_total,
        coupon_amounts,
        coupon_amount_total,
        coupon_percents,
        coupon_percent_total,
        fees,
        promo,
        grid: req.price_rounding.grid(q),
        target,
        landed_lines,
        constant_lines,
        amount_coupon_lines,
        minor: None,
        linear_rates,
        landed_and_reserve: add(landed, reserve, WHAT)?,
    };
    if path == Path::Fast {
        prepared.minor = MinorTotals::new(&prepared);
    }
    Ok(prepared)
}

impl Rule {
    /// The fee at net price `n`, exact.
    fn amount(&self, n: Decimal) -> Result<Decimal, Overflow> {
        const WHAT: &str = "a fee";
        Ok(match self {
            Rule::Linear(r) => mul(*r, n, WHAT)?,
            Rule::Banded { bands, .. } => match band_at(bands, n) {
                Some((_, r, f)) => add(mul(*r, n, WHAT)?, *f, WHAT)?,
                None => Decimal::ZERO,
            },
            Rule::Capped { rate, min, cap } => {
                let mut x = mul(*rate, n, WHAT)?;
                if let Some(m) = min {
                    x = x.max(*m);
                }
                if let Some(c) = cap {
                    x = x.min(*c);
                }
                x
            }
        })
    }

    /// `(rate, fixed)` of the linear piece that holds at net price `n`.
    fn piece(&self, n: Decimal) -> Result<(Decimal, Decimal), Overflow> {
        Ok(match self {
            Rule::Linear(r) => (*r, Decimal::ZERO),
            Rule::Banded { bands, .. } => {
                band_at(bands, n).map_or((Decimal::ZERO, Decimal::ZERO), |b| (b.1, b.2))
            }
            Rule::Capped { rate, min, cap } => {
                let x = mul(*rate, n, "a fee")?;
                match (min, cap) {
                    (Some(m), _) if x < *m => (Decimal::ZERO, *m),
                    (_, Some(c)) if x >= *c => (Decimal::ZERO, *c),
                    _ => (*rate, Decimal::ZERO),
                }
            }
        })
    }

    /// Net prices where the fee changes its linear piece.
    fn breakpoints(&self, out: &mut Vec<Decimal>) -> Result<(), Overflow> {
        match self {
            Rule::Linear(_) => {}
            Rule::Banded { bands, .. } => out.extend(bands.iter().skip(1).map(|b| b.0)),
            Rule::Capped { rate, min, cap } => {
                if !rate.is_zero() {
                    for v in [min, cap].into_iter().flatten() {
                        out.push(div(*v, *rate, "a fee breakpoint")?);
                    }
                }
            }
        }
        Ok(())
    }

    fn note(&self, name: &str, n: Decimal) -> Option<String> {
        match self {
            Rule::Linear(_) => None,
            Rule::Banded { bands, shown, currency } => {
                let i = bands.iter().rposition(|b| b.0 <= n).unwrap_or(0);
                shown.get(i).map(|b| {
                    format!(
                        "{name}: band from {} {currency} ({} + {} {currency})",
                        b.from, b.percent, b.fixed
                    )
                })
            }
            Rule::Capped { rate, min, cap } => {
                let x = rate.checked_mul(n)?;
                match (min, cap) {
                    (Some(m), _) if x < *m => Some(format!("{name}: at its minimum")),
                    (_, Some(c)) if x >= *c => Some(format!("{name}: at its cap")),
                    _ => Some(format!("{name}: proportional")),
                }
            }
        }
    }
}

fn band_at(
    bands: &[(Decimal, Decimal, Decimal)],
    n: Decimal,
) -> Option<&(Decimal, Decimal, Decimal)> {
    bands.iter().rev().find(|b| b.0 <= n).or(bands.first())
}

impl Prepared<'_> {
    /// The sale price for list price `list`: the promotion taken off, half-up to the minor unit.
    fn sale_of(&self, list: Decimal) -> Result<Decimal, Overflow> {
        if self.promo.is_zero() {
            return Ok(list);
        }
        let s = mul(list, sub(Decimal::ONE, self.promo, "the sale price")?, "the sale price")?;
        Ok(half_up(s, self.quote))
    }

    /// How many rounded lines a breakdown has at most, profit aside: costs, the FX
    /// reserve, fees, fixed fees and coupons.
    fn rounded_lines(&self) -> usize {
        [
            self.fees.len(),
            self.fixed.len(),
            self.coupon_amounts.len(),
            self.coupon_percents.len(),
            1,
        ]
        .into_iter()
        .fold(self.costs.len(), usize::saturating_add)
    }

    /// What [`Prepared::figures`] computes, without building the lines.
    fn totals(&self, sale: Decimal) -> Result<Totals, Overflow> {
        const WHAT: &str = "the breakdown";
        let q = self.quote;
        let mut coupons = self.amount_coupon_lines;
        for (_, f) in &self.coupon_percents {
            coupons = add(coupons, half_up(mul(sale, *f, WHAT)?, q), WHAT)?;
        }
        let net = sub(sale, coupons, WHAT)?;
        let mut profit = sub(sale, self.constant_lines, WHAT)?;
        profit = sub(profit, sub(coupons, self.amount_coupon_lines, WHAT)?, WHAT)?;
        for f in &self.fees {
            profit = sub(profit, half_up(f.rule.amount(net)?, q), WHAT)?;
        }
        Ok(Totals { net, profit, landed_lines: self.landed_lines })
    }

    fn figures(&self, sale: Decimal) -> Result<Figures, Overflow> {
        const WHAT: &str = "the breakdown";
        let q = self.quote;
        let mut lines = Vec::with_capacity(self.rounded_lines().saturating_add(1));
        let mut landed_lines = Decimal::ZERO;
        for c in &self.costs {
            let amount = c.rounded;
            landed_lines = add(landed_lines, amount, WHAT)?;
            lines.push(Line { kind: c.kind, label: Label::Fixed(c.label), amount });
        }
        if !self.reserve.is_zero() {
            lines.push(Line {
                kind: LineKind::FxReserve,
                label: Label::Fixed("FX risk reserve"),
                amount: half_up(self.reserve, q),
            });
        }
        let mut coupons = Vec::new();
        let mut coupon_total = Decimal::ZERO;
        for (name, v) in &self.coupon_amounts {
            coupons.push(Line {
                kind: LineKind::Coupon,
                label: (*name).clone(),
                amount: half_up(*v, q),
            });
        }
        for (name, f) in &self.coupon_percents {
            coupons.push(Line {
                kind: LineKind::Coupon,
                label: (*name).clone(),
                amount: half_up(mul(sale, *f, WHAT)?, q),
            });
        }
        for c in &coupons {
            coupon_total = add(coupon_total, c.amount, WHAT)?;
        }
        let net = sub(sale, coupon_total, WHAT)?;
        for f in &self.fees {
            lines.push(Line {
                kind: LineKind::Fee,
                label: f.name.clone(),
                amount: half_up(f.rule.amount(net)?, q),
            });
        }
        for (name, v) in &self.fixed {
            lines.push(Line {
                kind: LineKind::FixedFee,
                label: (*name).clone(),
                amount: half_up(*v, q),
            });
        }
        lines.extend(coupons);
        let profit = sub(sale, sum(lines.iter().map(|l| l.amount), WHAT)?, WHAT)?;
        lines.push(Line { kind: LineKind::Profit, label: Label::Fixed("Profit"), amount: profit });
        Ok(Figures { sale, net, lines, profit, landed_lines })
    }

    /// Whether sale price `sale` meets `target`: on whole minor units where they serve,
    /// else on `Decimal`.
    fn meets_at(&self, sale: Decimal, target: Target) -> Result<bool, Overflow> {
        if let Some(ok) = self.minor.and_then(|m| m.meets(self, sale, target)) {
            return Ok(ok);
        }
        self.meets(&self.totals(sale)?, target)
    }

    fn meets(&self, f: &Totals, target: Target) -> Result<bool, Overflow> {
        Ok(match target {
            Target::Margin(m) => {
                f.net > Decimal::ZERO && f.profit >= mul(m, f.net, "the margin check")?
            }
            Target::Markup(k) => f.profit >= mul(k, f.landed_lines, "the markup check")?,
        })
    }

    /// Net-price intervals on which every fee is linear: `[from, to)`.
    fn intervals(&self) -> Result<Vec<(Decimal, Option<Decimal>)>, Overflow> {
        let mut points = Vec::new();
        for f in &self.fees {
            f.rule.breakpoints(&mut points)?;
        }
        points.retain(|p| *p > Decimal::ZERO);
        points.sort();
        points.dedup();
        let mut out = Vec::new();
        let mut from = Decimal::ZERO;
        for p in points {
            out.push((from, Some(p)));
            from = p;
        }
        out.push((from, None));
        Ok(out)
    }

    /// The lowest `(list, sale)` price on `grid` that meets `target` on its rounded lines.
    fn solve(
        &self,
        target: Target,
        grid: Grid,
        promo: bool,
    ) -> Result<(Decimal, Decimal), QuoteError> {
        const WHAT: &str = "the price";
        let mut best: Option<(Decimal, Decimal)> = None;
        let mut tried = Vec::new();
        // Fees without price bands or caps are linear everywhere: one interval, no list.
        let linear = [(Decimal::ZERO, None)];
        let banded;
        let intervals: &[(Decimal, Option<Decimal>)] = if self.linear_rates.is_some() {
            &linear
        } else {
            banded = self.intervals()?;
            &banded
        };
        for &(from, to) in intervals {
            let (rates, fixed) = self.pieces(from, to)?;
            let costs = self.landed_and_reserve;
            let (num, den) = match target {
                Target::Margin(m) => {
                    (add(costs, fixed, WHAT)?, sub(sub(Decimal::ONE, rates, WHAT)?, m, WHAT)?)
                }
                Target::Markup(k) => (
                    add(add(costs, mul(self.landed, k, WHAT)?, WHAT)?, fixed, WHAT)?,
                    sub(Decimal::ONE, rates, WHAT)?,
                ),
            };
            if den <= Decimal::ZERO {
                tried.push(IntervalTried {
                    from,
                    to,
                    outcome: format!(
                        "fees of {}% and the margin take the whole price",
                        mul(rates, Decimal::ONE_HUNDRED, WHAT)?.normalize()
                    ),
                });
                continue;
            }
            let net = div(num, den, WHAT)?.max(from);
            if let Some(to) = to {
                if net >= to {
                    tried.push(IntervalTried {
                        from,
                        to: Some(to),
                        outcome: format!("needs a net price of {}", half_up(net, self.quote)),
                    });
                    continue;
                }
            }
            let mut sale = add(net, self.coupon_amount_total, WHAT)?;
            if !self.coupon_percent_total.is_zero() {
                sale = div(sale, sub(Decimal::ONE, self.coupon_percent_total, WHAT)?, WHAT)?;
            }
            let list = if promo && !self.promo.is_zero() {
                div(sale, sub(Decimal::ONE, self.promo, WHAT)?, WHAT)?
            } else {
                sale
            };
            let list = grid.ceil(list)?;
            match self.walk(list, target, grid, promo, best.map(|b| b.0))? {
                Walk::Better(list, sale) => best = Some((list, sale)),
                Walk::NoBetter => {}
                Walk::NotFound => tried.push(IntervalTried {
                    from,
                    to,
                    outcome: "no grid price near the solution meets the target".into(),
                }),
            }
        }
        best.ok_or(QuoteError::NoConsistentPrice { tried })
    }

    /// The fees' total rate and fixed part (with the fixed fees) on the interval
    /// `[from, to)`: each fee's piece at a point inside it (robust at the ends). Linear
    /// fees have the one piece, summed once in `prepare`.
    fn pieces(&self, from: Decimal, to: Option<Decimal>) -> Result<(Decimal, Decimal), Overflow> {
        const WHAT: &str = "the price";
        if let Some(rates) = self.linear_rates {
            return Ok((rates, self.fixed_total));
        }
        let inside = match to {
            Some(to) => div(add(from, to, WHAT)?, Decimal::TWO, WHAT)?,
            None => add(mul(from, Decimal::TWO, WHAT)?, Decimal::ONE, WHAT)?,
        };
        let mut rates = Decimal::ZERO;
        let mut fixed = self.fixed_total;
        for f in &self.fees {
            let (r, x) = f.rule.piece(inside)?;
            rates = add(rates, r, WHAT)?;
            fixed = add(fixed, x, WHAT)?;
        }
        Ok((rates, fixed))
    }

    /// From `list`, the first grid price to try, the lowest grid price that meets `target`:
    /// up while short (at most `MAX_GRID_STEPS` prices), then down while a lower one still
    /// meets it (line rounding can let a grid price just below the exact solution meet the
    /// target too; at most `MAX_STEPS_DOWN`). `best` is a list price an earlier interval
    /// found.
    fn walk(
        &self,
        mut list: Decimal,
        target: Target,
        grid: Grid,
        promo: bool,
        best: Option<Decimal>,
    ) -> Result<Walk, Overflow> {
        const WHAT: &str = "the price";
        for _ in 0..MAX_GRID_STEPS {
            if matches!(best, Some(b) if list >= b) {
                return Ok(Walk::NoBetter);
            }
            let mut sale = if promo { self.sale_of(list)? } else { list };
            if self.meets_at(sale, target)? {
                for _ in 0..MAX_STEPS_DOWN {
                    let lower = sub(list, grid.step, WHAT)?;
                    if lower < grid.ending {
                        break;
                    }
                    let lower_sale = if promo { self.sale_of(lower)? } else { lower };
                    if lower_sale < Decimal::ZERO || !self.meets_at(lower_sale, target)? {
                        break;
                    }
                    (list, sale) = (lower, lower_sale);
                }
                return Ok(Walk::Better(list, sale));
            }
            list = grid.next(list)?;
        }
        Ok(Walk::NotFound)
    }

    fn evaluation(&self, f: Figures) -> Result<Evaluation, Overflow> {
        let notes = self.fees.iter().filter_map(|x| x.rule.note(x.name, f.net)).collect();
        Seller { quote: self.quote, seller: self.seller, rate: self.rate, costs: &self.costs }
            .evaluation(f, notes)
    }

    fn minor_grid(&self) -> Grid {
        PriceRounding::default().grid(self.quote)
    }
}

/// The quote at the request's profit target.
pub fn quote(req: &B2cRequest, rates: &RateTable) -> Result<B2cQuote, QuoteError> {
    #[cfg(feature = "fast-quote")]
    if let Some(q) = fast::quote(req, rates) {
        return Ok(q);
    }
    quote_on(req, rates, Path::Fast)
}

/// The whole-minor-unit quote alone: `None` where [`quote`] takes the general engine. For
/// the property tests that hold it to the reference; not for production use.
#[doc(hidden)]
#[cfg(feature = "fast-quote")]
pub fn quote_fast_path(req: &B2cRequest, rates: &RateTable) -> Option<B2cQuote> {
    fast::quote(req, rates)
}

/// [`quote`] with every target check on `Decimal`: the reference the property tests hold
/// the whole-minor-unit checks to. Not for production use.
#[doc(hidden)]
pub fn quote_on_decimal_path(req: &B2cRequest, rates: &RateTable) -> Result<B2cQuote, QuoteError> {
    quote_on(req, rates, Path::Decimal)
}

fn quote_on(req: &B2cRequest, rates: &RateTable, path: Path) -> Result<B2cQuote, QuoteError> {
    let p = prepare(req, rates, path)?;
    let (list, sale) = p.solve(p.target, p.grid, true)?;
    let (_, break_even) = p.solve(Target::Margin(Decimal::ZERO), p.minor_grid(), false)?;
    let at_price = p.evaluation(p.figures(sale)?)?;
    let qty = Decimal::from(req.quantity);
    Ok(B2cQuote {
        list_price: Money::new(list, p.quote),
        sale_price: Money::new(sale, p.quote),
        quantity: req.quantity,
        order_total: Money::new(mul(sale, qty, "the order total")?, p.quote),
        at_price,
        break_even_price: Money::new(break_even, p.quote),
        exchange_rate: p.rate.value()?,
        covered_rate: p.covered.value()?,
    })
}

/// A request prepared once for many prices: the order desk asks one item's profit at
/// every step of a discount search and at the buyer's offer. The profit is the breakdown's
/// profit line at that sale price (the same rounded lines [`evaluate`] builds, summed
/// without building them).
pub struct Pricer<'a> {
    prepared: Prepared<'a>,
}

impl<'a> Pricer<'a> {
    /// Checks and prepares `req` (the problems are [`quote`]'s).
    pub fn new(req: &'a B2cRequest, rates: &RateTable) -> Result<Pricer<'a>, QuoteError> {
        Ok(Pricer { prepared: prepare(req, rates, Path::Fast)? })
    }

    /// The profit per unit at `sale_price`, in the quote currency.
    pub fn profit_at(&self, sale_price: Decimal) -> Result<Decimal, QuoteError> {
        if sale_price < Decimal::ZERO {
            return Err(invalid("sale_price", Problem::Negative { value: sale_price }));
        }
        Ok(self.prepared.totals(sale_price)?.profit)
    }
}

/// The figures (breakdown, profit, margin, markup, ROI) at a given sale price per unit.
pub fn evaluate(
    req: &B2cRequest,
    rates: &RateTable,
    sale_price: Decimal,
) -> Result<Evaluation, QuoteError> {
    let p = prepare(req, rates, Path::Fast)?;
    if sale_price < Decimal::ZERO {
        return Err(QuoteError::Invalid(FieldErrors(vec![FieldError::new(
            "sale_price",
            Problem::Negative { value: sale_price },
        )])));
    }
    Ok(p.evaluation(p.figures(sale_price)?)?)
}

/// The quote for a margin target instead of the request's.
pub fn price_for_margin(
    req: &B2cRequest,
    rates: &RateTable,
    margin: Percent,
) -> Result<B2cQuote, QuoteError> {
    let mut r = req.clone();
    r.profit = ProfitTarget { basis: ProfitBasis::Margin, percent: margin };
    quote(&r, rates)
}

/// The lowest sale price (minor-unit grid) with no loss.
pub fn break_even(req: &B2cRequest, rates: &RateTable) -> Result<Money, QuoteError> {
    let p = prepare(req, rates, Path::Fast)?;
    let (_, sale) = p.solve(Target::Margin(Decimal::ZERO), p.minor_grid(), false)?;
    Ok(Money::new(sale, p.quote))
}

fn invalid(field: &str, problem: Problem) -> QuoteError {
    QuoteError::Invalid(FieldErrors(vec![FieldError::new(field, problem)]))
}

/// The largest discount off `list_price` (per unit) whose sale price, half-up to the minor
/// unit, still keeps `floor_margin`. In steps of 0.01 percent point.
pub fn max_discount(
    req: &B2cRequest,
    rates: &RateTable,
    list_price: Decimal,
    floor_margin: Percent,
) -> Result<MaxDiscount, QuoteError> {
    if list_price < Decimal::ZERO {
        return Err(invalid("list_price", Problem::Negative { value: list_price }));
    }
    if floor_margin.points() >= Decimal::ONE_HUNDRED {
        return Err(invalid(
            "floor_margin",
            Problem::PercentTooLarge { value: floor_margin.points() },
        ));
    }
    let mut r = req.clone();
    r.promotion = None;
    let p = prepare(&r, rates, Path::Fast)?;
    let target = Target::Margin(floor_margin.fraction());
    let sale_at = |bp: u32| -> Result<Decimal, Overflow> {
        let off = Decimal::new(i64::from(bp), 4);
        Ok(half_up(mul(list_price, sub(Decimal::ONE, off, "a discount")?, "a discount")?, p.quote))
    };
    let ok = |bp: u32| -> Result<bool, Overflow> { p.meets_at(sale_at(bp)?, target) };
    let floor_met = ok(0)?;
    let mut best = 0u32;
    if floor_met {
        // Largest bp in [0, 10000) with ok(bp); ok(0) holds and a 100% discount never does.
        best = crate::money::last_passing(0, 10_000, ok)?;
    }
    Ok(MaxDiscount {
        discount: Percent::new(Decimal::new(i64::from(best), 2)),
        at_price: p.evaluation(p.figures(sale_at(best)?)?)?,
        floor_met,
    })
}

/// Accept, counter or decline a buyer's offer. The quote is redone at the offered
/// quantity, with no promotion and on the minor-unit grid (the buyer names the price
/// they pay).
pub fn counter_offer(
    req: &B2cRequest,
    rates: &RateTable,
    offer: &CounterOffer,
) -> Result<Verdict, QuoteError> {
    const WHAT: &str = "the counter-offer";
    let mut errors = Vec::new();
    check_amount(&mut errors, || "offer.unit_price".into(), offer.unit_price);
    if offer.quantity == 0 {
        errors
            .push(FieldError::new("offer.quantity", Problem::NotPositive { value: Decimal::ZERO }));
    }
    check_percent(&mut errors, || "offer.floor_margin".into(), offer.floor_margin, true);
    check_percent(&mut errors, || "offer.max_counter_gap".into(), offer.max_counter_gap, false);
    if !errors.is_empty() {
        return Err(QuoteError::Invalid(FieldErrors(errors)));
    }
    let mut r = req.clone();
    r.quantity = offer.quantity;
    r.promotion = None;
    r.price_rounding = PriceRounding::default();
    let p = prepare(&r, rates, Path::Fast)?;
    let grid = p.minor_grid();
    let floor_target = Target::Margin(offer.floor_margin.fraction());
    let (_, floor) = p.solve(floor_target, grid, false)?;
    let (_, target) = p.solve(p.target, grid, false)?;
    let at = p.figures(offer.unit_price)?;
    let accepted = p.meets_at(offer.unit_price, floor_target)?;
    let gap = if offer.unit_price >= floor || floor.is_zero() {
        Decimal::ZERO
    } else {
        mul(div(sub(floor, offer.unit_price, WHAT)?, floor, WHAT)?, Decimal::ONE_HUNDRED, WHAT)?
    };
    let decision = if accepted {
        Decision::Accept
    } else if gap <= offer.max_counter_gap.points() {
        Decision::Counter
    } else {
        Decision::Decline
    };
    Ok(Verdict {
        decision,
        at_offer: p.evaluation(at)?,
        floor_price: Money::new(floor, p.quote),
        target_price: Money::new(target, p.quote),
        counter_price: (decision == Decision::Counter).then(|| Money::new(floor, p.quote)),
        gap: Percent::new(Rounding::HalfUp.round(gap, 2)),
    })
}
