//! The common quote on whole minor units: every fee a plain percentage, no coupons.
//!
//! [`quote`] gives the same [`B2cQuote`] as the general engine (its reference, held equal
//! by the property tests, to the last digit and scale) for the requests most agents send:
//! a percentage commission, affiliate and payment fee, fixed fees, a promotion, a profit
//! target and a price grid. The cost lines and the amounts converted or split per order
//! come from the same functions as the general engine's; the grid walks start from the
//! exact solution when none of the general engine's 28-digit divisions could move that
//! start (see [`Exact::start`]), else from those divisions themselves; the walks, their
//! target checks and the lines at the price run on `i64` minor units of the quote
//! currency, where each step is a machine operation instead of a `Decimal` one.
//!
//! It answers `None` for anything else: a request with a problem (the general engine
//! reports every problem), banded or capped fees, coupons, and any number that does not
//! fit its integers or would make the general engine's `Decimal` arithmetic round. The
//! caller then takes the general engine, so `None` is never wrong, only slower.

use std::cell::OnceCell;

use rust_decimal::Decimal;

use super::{half_up, to_minor, CostLine, Figures, Seller, Target, MAX_GRID_STEPS, MAX_STEPS_DOWN};
use crate::b2c::{B2cQuote, B2cRequest, FeeRule, Per, ProfitBasis};
use crate::breakdown::{Label, Line, LineKind};
use crate::currency::Currency;
use crate::fx::{ExactRate, RateSide, RateTable};
use crate::grid::{Grid, PriceRounding};
use crate::money::{
    add, div, div_rem_pow10, is_one, mul, sub, sum, Frac, Money, Rounding, POW10_I64,
};
use crate::percent::Percent;

/// At most this many percentage fees and fixed fees take this path (they live on the stack).
const MAX_FEES: usize = 8;
const MAX_FIXED: usize = 4;

/// The largest scale of a price or a grid this path takes: with a rate's (≤ 18, see
/// [`Frac::of`]) it stays within the 28 digits where `Decimal` products are exact.
const MAX_PRICE_SCALE: u32 = 6;

/// `v ≥ 0` without a `Decimal` comparison.
#[inline]
fn non_negative(v: Decimal) -> bool {
    !v.is_sign_negative() || v.is_zero()
}

/// `v > 0` without a `Decimal` comparison.
#[inline]
fn positive(v: Decimal) -> bool {
    !v.is_sign_negative() && !v.is_zero()
}

/// `0 ≤ p` and, when `below_100`, `p < 100`: the general engine's percentage checks.
#[inline]
fn percent_ok(p: Percent, below_100: bool) -> bool {
    let v = p.points();
    if !non_negative(v) {
        return false;
    }
    // 100 × 10^scale ≤ 10^30 fits i128.
    !below_100
        || crate::money::POW10
            .get(v.scale() as usize)
            .and_then(|t| t.checked_mul(100))
            .is_some_and(|hundred| v.mantissa() < hundred)
}

/// Sums of rates on their mantissas, for the denominators `1 − rates (− margin)`.
impl Frac {
    const ZERO: Frac = Frac { m: 0, p: 1, k: 0 };
    const ONE: Frac = Frac { m: 1, p: 1, k: 0 };

    /// The mantissa at `k` decimals (`k` ≥ this one's).
    fn at(self, k: u32) -> Option<i64> {
        self.m.checked_mul(*POW10_I64.get(k.checked_sub(self.k)? as usize)?)
    }

    /// `self + other` exactly, at the larger scale: as `Decimal` sums write it.
    fn plus(self, other: Frac) -> Option<Frac> {
        let k = self.k.max(other.k);
        Some(Frac { m: self.at(k)?.checked_add(other.at(k)?)?, p: *POW10_I64.get(k as usize)?, k })
    }

    /// `−self`.
    fn negated(self) -> Option<Frac> {
        Some(Frac { m: self.m.checked_neg()?, ..self })
    }

    /// As a `Decimal`, with its scale (at most 18).
    fn decimal(self) -> Decimal {
        Decimal::new(self.m, self.k)
    }
}

/// `v` minor units (`10^-places`) written at `scale` decimals, when that is exact.
#[inline]
fn at_scale(v: i64, places: u32, scale: u32) -> Option<Decimal> {
    let m = if let Some(up) = scale.checked_sub(places) {
        i128::from(v).checked_mul(i128::from(*POW10_I64.get(up as usize)?))?
    } else {
        let p = *POW10_I64.get(places.checked_sub(scale)? as usize)?;
        (v.checked_rem(p)? == 0).then_some(i128::from(v.checked_div(p)?))?
    };
    Decimal::try_from_i128_with_scale(m, scale).ok()
}

/// The checks and lines of one request on minor units.
struct Minor {
    places: u32,
    /// Every rounded line that does not depend on the price.
    constant: i64,
    /// The rounded cost lines (the markup base).
    landed: i64,
    fees: [Frac; MAX_FEES],
    n_fees: usize,
    /// `1 − promotion`, when there is one.
    keep: Option<Frac>,
}

impl Minor {
    /// The fee lines at net price `net`, and their total.
    #[inline]
    fn fee_lines(&self, net: i64) -> Option<i64> {
        let mut total = 0i64;
        for f in self.fees.get(..self.n_fees)? {
            total = total.checked_add(f.line(net)?)?;
        }
        Some(total)
    }

    /// Whether sale price `sale` meets `target` (as [`super::MinorTotals::meets`]).
    #[inline]
    fn meets(&self, sale: i64, target: Frac, markup: bool) -> Option<bool> {
        let profit = sale.checked_sub(self.constant)?.checked_sub(self.fee_lines(sale)?)?;
        if markup {
            target.at_most(profit, self.landed)
        } else {
            Some(sale > 0 && target.at_most(profit, sale)?)
        }
    }

    /// The sale price for list price `list`, with the promotion when `promo`.
    #[inline]
    fn sale_of(&self, list: i64, promo: bool) -> Option<i64> {
        match self.keep {
            Some(k) if promo => k.line(list),
            _ => Some(list),
        }
    }
}

/// Where a walk along the grid ended: the list and sale prices in minor units, and the
/// list price's scale as the general engine writes it.
struct Found {
    list: i64,
    sale: i64,
    scale: u32,
}

/// The quote, or `None` to leave it to the general engine (see the module docs).
pub(super) fn quote(req: &B2cRequest, rates: &RateTable) -> Option<B2cQuote> {
    const WHAT: &str = "the price";
    let q = req.quote_currency;
    let places = q.minor_units();
    if req.quantity == 0 || !req.coupons.is_empty() || req.fees.len() > MAX_FEES {
        return None;
    }
    let c = &req.costs;
    let shipping = req.shipping.as_ref();
    let amounts_ok = [c.purchase, c.packaging, c.first_leg, c.last_mile, c.other]
        .into_iter()
        .chain(shipping.map(|s| s.amount))
        .chain(req.fixed_fees.iter().map(|f| f.amount.amount))
        .all(non_negative);
    let margin = req.profit.basis == ProfitBasis::Margin;
    if !amounts_ok
        || !percent_ok(req.fx.risk_buffer, true)
        || !percent_ok(req.profit.percent, margin)
        || !req.promotion.is_none_or(|p| percent_ok(p, true))
        || !grid_ok(&req.price_rounding, q)
    {
        return None;
    }

    // The fees: plain percentages only, each below 100%.
    // Their total rate is summed on the mantissas, at the largest scale, as `Decimal` sums.
    let mut fees = [Frac::ZERO; MAX_FEES];
    let mut rates_sum = Frac::ZERO;
    for (slot, f) in fees.iter_mut().zip(&req.fees) {
        let FeeRule::Percent(p) = f.rule else { return None };
        if !percent_ok(p, true) {
            return None;
        }
        let r = p.fraction();
        *slot = Frac::of(r)?;
        rates_sum = rates_sum.plus(*slot)?;
    }
    let target = Target::of(req.profit);
    let target_frac = match target {
        Target::Margin(m) | Target::Markup(m) => m,
    };
    // `1 − rates` (the markup's denominator and break-even's), `1 − rates − margin`.
    let kept = Frac::ONE.plus(rates_sum.negated()?)?;
    let kept_margin = match target {
        Target::Margin(m) => kept.plus(Frac::of(m)?.negated()?)?,
        Target::Markup(_) => kept,
    };
    if kept_margin.m <= 0 {
        return None; // fees and margin take the whole price
    }
    let (kept, kept_margin) = (kept.decimal(), kept_margin.decimal());
    let target_frac = Frac::of(target_frac)?;

    // The exchange rate, seller currency per unit of quote currency.
    let rate = usable(rates.exact_rate(q, req.seller_currency, req.fx.side).ok()?)?;
    let covered = rate.scaled(sub(Decimal::ONE, req.fx.risk_buffer.fraction(), WHAT).ok()?).ok()?;
    let qty = Decimal::from(req.quantity);
    let per_order = |v: Decimal, per: Per| match per {
        Per::Unit => Some(v),
        Per::Order => div(v, qty, WHAT).ok(),
    };

    // The cost lines, as the general engine lists them.
    let shipping = match shipping {
        Some(s) => per_order(s.amount, s.per)?,
        None => Decimal::ZERO,
    };
    let raw = [
        (LineKind::Purchase, "Purchase cost", c.purchase),
        (LineKind::Packaging, "Packaging", c.packaging),
        (LineKind::FirstLeg, "First leg", c.first_leg),
        (LineKind::LastMile, "Last mile", c.last_mile),
        (LineKind::OtherCost, "Other costs", c.other),
        (LineKind::Shipping, "Shipping", shipping),
    ];
    let mut costs: [CostLine; 6] = std::array::from_fn(|_| CostLine {
        kind: LineKind::Purchase,
        label: "",
        seller: Decimal::ZERO,
        rounded: Decimal::ZERO,
    });
    let mut n_costs = 0;
    let mut landed_minor = 0i64;
    for (kind, label, seller) in raw {
        if kind != LineKind::Purchase && seller.is_zero() {
            continue;
        }
        // × 1 leaves the value, and `div_round` writes `places` decimals whatever the scale.
        let times_den = if is_one(rate.den) { seller } else { mul(seller, rate.den, WHAT).ok()? };
        let rounded = Rounding::HalfUp.div_round(times_den, rate.num, places, WHAT).ok()?;
        landed_minor = landed_minor.checked_add(to_minor(rounded, places)?)?;
        *costs.get_mut(n_costs)? = CostLine { kind, label, seller, rounded };
        n_costs = n_costs.saturating_add(1);
    }
    let costs = costs.get(..n_costs)?;
    let landed_seller = sum(costs.iter().map(|c| c.seller), WHAT).ok()?;
    let buffered = !req.fx.risk_buffer.is_zero();

    // Fixed fees, converted at the mid rate into the quote currency: each amount and its line.
    if req.fixed_fees.len() > MAX_FIXED {
        return None;
    }
    let mut fixed = [(Decimal::ZERO, Decimal::ZERO); MAX_FIXED];
    for (slot, f) in fixed.iter_mut().zip(&req.fixed_fees) {
        let r = usable(rates.exact_rate(f.amount.currency, q, RateSide::Mid).ok()?)?;
        let v = per_order(r.convert(f.amount.amount).ok()?, f.per)?;
        *slot = (v, half_up(v, q));
    }
    let fixed = fixed.get(..req.fixed_fees.len())?;
    let fixed_total = sum(fixed.iter().map(|f| f.0), WHAT).ok()?;
    // The cost lines converted together, and the FX reserve on them: what the solves start
    // from, and the reserve's line. Without a buffer there is no reserve, and the solves can
    // mostly start without them (see `Exact::start`): worked out once, when first asked for.
    let landed_and_reserve = OnceCell::new();
    let landed_and_reserve = || -> Option<(Decimal, Decimal)> {
        *landed_and_reserve.get_or_init(|| {
            let landed = rate.convert_back(landed_seller).ok()?;
            if !buffered {
                return Some((landed, Decimal::ZERO));
            }
            Some((landed, sub(covered.convert_back(landed_seller).ok()?, landed, WHAT).ok()?))
        })
    };
    let reserve = if buffered { landed_and_reserve()?.1 } else { Decimal::ZERO };
    let reserve_line = half_up(reserve, q);
    let mut constant = landed_minor.checked_add(to_minor(reserve_line, places)?)?;
    for f in fixed {
        constant = constant.checked_add(to_minor(f.1, places)?)?;
    }

    let promo = req.promotion.map_or(Decimal::ZERO, Percent::fraction);
    // What the promotion keeps of the list price, `1 − promo`.
    let keep = if promo.is_zero() { None } else { Some(sub(Decimal::ONE, promo, WHAT).ok()?) };
    // `list × keep` is then exact in `Decimal` too: a scale of at most 18 (`Frac::of`) and
    // a list price's of at most `MAX_PRICE_SCALE`.
    let keep_frac = match keep {
        Some(k) => Some(Frac::of(k)?),
        None => None,
    };
    let mc = Minor {
        places,
        constant,
        landed: landed_minor,
        fees,
        n_fees: req.fees.len(),
        keep: keep_frac,
    };

    // The two solves of the general engine: the target on the request's grid with the
    // promotion, and break-even on the minor-unit grid without it.
    let exact = if buffered { None } else { Exact::new(landed_seller, rate, fixed_total, places) };
    let decimal_start = |markup: Option<Decimal>, den: Decimal, grid: Grid, with_promo: bool| {
        let (landed, reserve) = landed_and_reserve()?;
        let costs_and_reserve = add(landed, reserve, WHAT).ok()?;
        let num = match markup {
            None => add(costs_and_reserve, fixed_total, WHAT).ok()?,
            Some(k) => {
                let markup = mul(landed, k, WHAT).ok()?;
                add(add(costs_and_reserve, markup, WHAT).ok()?, fixed_total, WHAT).ok()?
            }
        };
        // `den` > 0: `1 − rates − margin` was checked above, and `1 − rates` is no less.
        let sale = div(num, den, WHAT).ok()?.max(Decimal::ZERO);
        let list = match keep.filter(|_| with_promo) {
            Some(k) => div(sale, k, WHAT).ok()?,
            None => sale,
        };
        ceil(grid, list, places)
    };
    // Each walk starts where the general engine's does: exactly when its roundings cannot
    // move the start, else by its own `Decimal` steps.
    let start = |markup: Option<Decimal>, den: Decimal, grid: Grid, with_promo: bool| {
        let keep = keep_frac.filter(|_| with_promo);
        let exact = exact.as_ref().and_then(|e| e.start(markup, den, keep, grid));
        exact.or_else(|| decimal_start(markup, den, grid, with_promo))
    };
    let grid = req.price_rounding.grid(q);
    let (markup, den) = match target {
        Target::Margin(_) => (None, kept_margin),
        Target::Markup(k) => (Some(k), kept),
    };
    let found = walk(&mc, start(markup, den, grid, true)?, grid, target_frac, !margin, true)?;
    let minor_grid = PriceRounding::default().grid(q);
    // Break-even: a margin of zero, `1 − rates − 0` written as `1 − rates`.
    let even =
        walk(&mc, start(None, kept, minor_grid, false)?, minor_grid, Frac::ZERO, false, false)?;

    // The lines at the quoted price.
    let list = at_scale(found.list, places, found.scale)?;
    let sale = if keep.is_some() { Decimal::new(found.sale, places) } else { list };
    // Costs, the reserve, fees, fixed fees and the profit.
    let most = [n_costs, req.fees.len(), fixed.len(), 2].into_iter().fold(0, usize::saturating_add);
    let mut lines = Vec::with_capacity(most);
    for c in costs {
        lines.push(Line { kind: c.kind, label: Label::Fixed(c.label), amount: c.rounded });
    }
    let mut spent = landed_minor;
    if !reserve.is_zero() {
        lines.push(Line {
            kind: LineKind::FxReserve,
            label: Label::Fixed("FX risk reserve"),
            amount: reserve_line,
        });
        spent = spent.checked_add(to_minor(reserve_line, places)?)?;
    }
    for (f, frac) in req.fees.iter().zip(&mc.fees) {
        let amount = frac.line(found.sale)?;
        spent = spent.checked_add(amount)?;
        lines.push(Line {
            kind: LineKind::Fee,
            label: f.name.clone(),
            amount: Decimal::new(amount, places),
        });
    }
    for (f, (_, line)) in req.fixed_fees.iter().zip(fixed) {
        spent = spent.checked_add(to_minor(*line, places)?)?;
        lines.push(Line { kind: LineKind::FixedFee, label: f.name.clone(), amount: *line });
    }
    let profit_scale = sale.scale().max(places);
    let profit = at_scale(found.sale.checked_sub(spent)?, places, profit_scale)?;
    lines.push(Line { kind: LineKind::Profit, label: Label::Fixed("Profit"), amount: profit });
    let figures = Figures {
        sale,
        net: sale,
        lines,
        profit,
        landed_lines: Decimal::new(landed_minor, places),
    };
    let seller = Seller { quote: q, seller: req.seller_currency, rate, costs };
    let at_price = seller.evaluation(figures, Vec::new()).ok()?;
    Some(B2cQuote {
        list_price: Money::new(list, q),
        sale_price: Money::new(sale, q),
        quantity: req.quantity,
        order_total: Money::new(mul(sale, qty, "the order total").ok()?, q),
        at_price,
        break_even_price: Money::new(at_scale(even.list, places, even.scale)?, q),
        exchange_rate: rate.value().ok()?,
        covered_rate: covered.value().ok()?,
    })
}

/// From `start` (the general engine's first grid price), the lowest grid price that meets
/// `target`, as the general engine's walk finds it: up while short, then down while a
/// lower price still meets it.
fn walk(
    mc: &Minor,
    (mut list, start_scale): (i64, u32),
    grid: Grid,
    target: Frac,
    markup: bool,
    promo: bool,
) -> Option<Found> {
    let places = mc.places;
    let step = to_minor(grid.step, places)?;
    let ending = to_minor(grid.ending, places)?;
    let mut moved = false;
    for _ in 0..MAX_GRID_STEPS {
        let mut sale = mc.sale_of(list, promo)?;
        if mc.meets(sale, target, markup)? {
            for _ in 0..MAX_STEPS_DOWN {
                let lower = list.checked_sub(step)?;
                if lower < ending {
                    break;
                }
                let lower_sale = mc.sale_of(lower, promo)?;
                if lower_sale < 0 || !mc.meets(lower_sale, target, markup)? {
                    break;
                }
                (list, sale, moved) = (lower, lower_sale, true);
            }
            // `Decimal` sums keep the larger scale: a price stepped along the grid has the
            // step's scale too.
            let scale = if moved { start_scale.max(grid.step.scale()) } else { start_scale };
            return Some(Found { list, sale, scale });
        }
        list = list.checked_add(step)?;
        moved = true;
    }
    None
}

/// Whether the general engine would accept the price grid (`PriceRounding::validate`),
/// within this path's scales.
fn grid_ok(r: &PriceRounding, q: Currency) -> bool {
    let places = q.minor_units();
    let g = r.grid(q);
    let scales_ok =
        [g.step.scale(), g.ending.scale(), places].iter().all(|s| *s <= MAX_PRICE_SCALE);
    scales_ok
        && match (to_minor(g.step, places), to_minor(g.ending, places)) {
            (Some(step), Some(ending)) => step > 0 && (0..step).contains(&ending),
            _ => false,
        }
}

/// A rate the general engine would take (both parts positive).
fn usable(r: ExactRate) -> Option<ExactRate> {
    (positive(r.num) && positive(r.den)).then_some(r)
}

/// `grid.ceil(x)` on minor units: the price, and the scale [`Grid::ceil`] writes it with.
/// Its exact branch (a step of a power of ten, `x` at or above the ending) is a ceiling
/// to the step's decimals, done here on integers; the other branch divides to 28 digits,
/// and is left to it.
fn ceil(grid: Grid, x: Decimal, places: u32) -> Option<(i64, u32)> {
    // The step's decimals as a power of ten of minor units (a step finer than a minor unit
    // is no grid of them).
    let j = places.checked_sub(grid.step.scale())?;
    let ending = to_minor(grid.ending, places)?;
    // x in minor units, rounded up: a whole number of minor units is ≥ x exactly when it
    // is ≥ this.
    let up = match x.scale().checked_sub(places) {
        Some(extra) if extra > 0 => {
            let p = *crate::money::POW10.get(extra as usize)?;
            let m = x.mantissa();
            m.checked_div(p)?.checked_add(i128::from(m.checked_rem(p)? > 0))?
        }
        _ => x
            .mantissa()
            .checked_mul(*crate::money::POW10.get(places.checked_sub(x.scale())? as usize)?)?,
    };
    let up = i64::try_from(up).ok()?;
    if grid.step.mantissa() != 1 || up < ending || x.is_sign_negative() {
        let d = grid.ceil(x).ok()?;
        return Some((to_minor(d, places)?, d.scale()));
    }
    let price = grid_above(up, ending, j)?;
    Some((price, grid.step.scale().max(grid.ending.scale())))
}

/// The least grid price `ending + k × 10^j` (`k ≥ 0`) at or above `up`, all in minor
/// units, for `up ≥ ending`: [`Grid::ceil`]'s exact branch on integers.
fn grid_above(up: i64, ending: i64, j: u32) -> Option<i64> {
    let (k, rest) = div_rem_pow10(up.checked_sub(ending)?, j)?;
    let k = k.checked_add(i64::from(rest > 0))?;
    ending.checked_add(k.checked_mul(*POW10_I64.get(j as usize)?)?)
}

/// The solves' exact solution as a fraction of integers, without the general engine's
/// 28-digit divisions (`landed`, `num / den`, the promotion's): what the walks start from.
struct Exact {
    /// `landed_seller × rate.den / rate.num` as `(numerator, denominator)`.
    landed: (i64, i64),
    /// The fixed fees' total, the same way.
    fixed: (i64, i64),
    places: u32,
}

impl Exact {
    /// The fractions every start shares (on 64 bits, or `None`: amounts and rates are
    /// short numbers).
    fn new(landed_seller: Decimal, rate: ExactRate, fixed: Decimal, places: u32) -> Option<Exact> {
        let (s, rd, rn) = (Frac::of(landed_seller)?, Frac::of(rate.den)?, Frac::of(rate.num)?);
        let landed =
            (s.m.checked_mul(rd.m)?.checked_mul(rn.p)?, s.p.checked_mul(rd.p)?.checked_mul(rn.m)?);
        let fixed = Frac::of(fixed)?;
        Some(Exact { landed, fixed: (fixed.m, fixed.p), places })
    }

    /// `grid.ceil(x)` (as [`ceil`] gives it) for the general engine's
    /// `x = (landed × (1 + markup) + fixed) / den / (1 − promo)`, where
    /// `landed = landed_seller × rate.den / rate.num`: from the exact value of `x`, when no
    /// grid price lies within 10^-18 of it (of its value, and of a minor unit). Each of the
    /// general engine's roundings (the conversion, the sums, the divisions: about six, each
    /// to 28 significant digits or to the 28th decimal) moves its `x` by less than 10^-26
    /// of `x` plus 10^-20 of a minor unit, so its `x` has the same ceiling. `None`
    /// otherwise: a price on or next to the grid, a step that is not a power of ten, a
    /// divisor below 1/100, a product past 64 bits.
    fn start(
        &self,
        markup: Option<Decimal>,
        den: Decimal,
        keep: Option<Frac>,
        grid: Grid,
    ) -> Option<(i64, u32)> {
        let (mut n, mut d) = self.landed;
        if let Some(k) = markup {
            let Frac { m: km, p: kp, .. } = Frac::of(k)?;
            n = n.checked_mul(kp.checked_add(km)?)?;
            d = d.checked_mul(kp)?;
        }
        let (f, fp) = self.fixed;
        n = n.checked_mul(fp)?.checked_add(f.checked_mul(d)?)?;
        d = d.checked_mul(fp)?;
        // ÷ den, ÷ (1 − promo): × their powers of ten, over their mantissas.
        for by in [Some(Frac::of(den)?), keep].into_iter().flatten() {
            let Frac { m, p, .. } = by;
            // A divisor below 1/100 would magnify the general engine's roundings at the
            // 28th decimal (10^-28 of a unit) towards the margin: two such at 1/100 and a
            // minor unit of 10^-4 leave them near 10^-20 of a minor unit.
            if m <= 0 || m.checked_mul(100).is_none_or(|m| m < p) {
                return None;
            }
            n = n.checked_mul(p)?;
            d = d.checked_mul(m)?;
        }
        // In minor units: x × 10^places = n / d.
        n = n.checked_mul(*POW10_I64.get(self.places as usize)?)?;
        let ending = to_minor(grid.ending, self.places)?;
        // The step is 10^j minor units (a power of ten, as the exact branch of `Grid::ceil`
        // takes it).
        let j = self.places.checked_sub(grid.step.scale())?;
        let step = *POW10_I64.get(j as usize)?;
        if grid.step.mantissa() != 1 || n <= 0 || d <= 0 {
            return None;
        }
        // The grid prices either side of x: `above` ≥ x > `above − step`.
        #[allow(clippy::arithmetic_side_effects)] // d > 0; one division for both
        let (q, r) = (n / d, n % d);
        let up = q.checked_add(i64::from(r > 0))?;
        if up <= ending {
            return None;
        }
        let above = grid_above(up, ending, j)?;
        let below = above.checked_sub(step)?;
        // Both gaps, × d, must pass (n + d) / 10^18: 10^-18 of x, and of one minor unit.
        let margin = n.checked_add(d)?.checked_div(1_000_000_000_000_000_000)?.checked_add(1)?;
        let gap_above = above.checked_mul(d)?.checked_sub(n)?;
        let gap_below = n.checked_sub(below.checked_mul(d)?)?;
        if gap_above <= margin || gap_below <= margin {
            return None;
        }
        Some((above, grid.step.scale().max(grid.ending.scale())))
    }
}
