//! Exact money: a decimal amount tied to a currency, checked arithmetic, named rounding,
//! and splits that sum to the whole.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::Overflow;

/// `a × b`, or `None` when it overflows i128. One machine multiply when both fit 64 bits,
/// as amounts and rates do; i128's own `checked_mul` is a library call several times
/// slower, and the solver's integer checks multiply several times per candidate price.
#[inline]
#[allow(clippy::arithmetic_side_effects)] // |a|, |b| ≤ 2^63: the product fits i128
pub(crate) fn mul_i128(a: i128, b: i128) -> Option<i128> {
    match (i64::try_from(a), i64::try_from(b)) {
        (Ok(a), Ok(b)) => Some(i128::from(a) * i128::from(b)),
        _ => a.checked_mul(b),
    }
}

/// A named rounding rule. Every place the core rounds says which one it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Nearest; a tie goes away from zero (0.125 -> 0.13). The commercial rule and the default.
    #[default]
    HalfUp,
    /// Nearest; a tie goes to the even digit (0.125 -> 0.12). Banker's rounding.
    HalfEven,
    /// Towards positive infinity (0.121 -> 0.13): for prices that must not fall short.
    Ceiling,
    /// Towards negative infinity (0.129 -> 0.12).
    Floor,
    /// Towards zero: drop the extra digits.
    Truncate,
}

impl Rounding {
    fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::Ceiling => RoundingStrategy::ToPositiveInfinity,
            Rounding::Floor => RoundingStrategy::ToNegativeInfinity,
            Rounding::Truncate => RoundingStrategy::ToZero,
        }
    }

    /// Rounds `value` to `places` decimal places by this rule, written with exactly
    /// `places` decimals (5 USD is `5.00`), as money is shown.
    ///
    /// Works on the integer mantissa (i128 arithmetic, exact), which is several times
    /// faster than `Decimal::round_dp_with_strategy`; a property test holds the two equal.
    #[inline]
    #[allow(clippy::arithmetic_side_effects)] // |m| < 2^96 and p <= 10^28: no step overflows i128
    pub fn round(self, value: Decimal, places: u32) -> Decimal {
        let scale = value.scale();
        if scale <= places {
            let mut r = value;
            r.rescale(places);
            return r;
        }
        // Most amounts fit 64 bits: divide by the power of ten as a constant.
        let extra = scale - places;
        if let (Some(m), Some(&p)) = (mantissa_i64(value), POW10_I64.get(extra as usize)) {
            if let Some((q, r)) = div_rem_pow10(m, extra) {
                let (sign, q, r) = (i128::from(m.signum()), i128::from(q), i128::from(r));
                if let Ok(x) =
                    Decimal::try_from_i128_with_scale(self.settle(sign, q, r, p.into()), places)
                {
                    return x;
                }
            }
        }
        let Some(&p) = POW10.get((scale - places) as usize) else {
            return self.round_slow(value, places);
        };
        let q = self.divide(value.mantissa(), p);
        Decimal::try_from_i128_with_scale(q, places)
            .unwrap_or_else(|_| self.round_slow(value, places))
    }

    /// `n / d` (d > 0) rounded to a whole number by this rule. Callers keep |n| and d
    /// below 2^126, so no step overflows.
    #[inline]
    #[allow(clippy::arithmetic_side_effects)] // d > 0, |r| < d, |n| < 2^126
    pub(crate) fn divide(self, n: i128, d: i128) -> i128 {
        // Most amounts fit 64 bits, where division is one machine instruction.
        let (q, r) = match (i64::try_from(n), i64::try_from(d)) {
            (Ok(n), Ok(d)) => (i128::from(n / d), i128::from(n % d)),
            _ => (n / d, n % d),
        };
        self.settle(n.signum(), q, r, d)
    }

    /// The whole number `n / d` rounds to by this rule, from the truncated quotient `q`, the
    /// remainder `r` (its sign `n`'s) and `sign`, the sign of `n` (d > 0).
    #[inline]
    #[allow(clippy::arithmetic_side_effects)] // |r| < d < 2^126; q ± 1 fits (|q| ≤ |n|/2 or r = 0)
    fn settle(self, sign: i128, q: i128, r: i128, d: i128) -> i128 {
        let twice = r.abs() * 2;
        match self {
            Rounding::Truncate => q,
            Rounding::Floor if r < 0 => q - 1,
            Rounding::Floor => q,
            Rounding::Ceiling if r > 0 => q + 1,
            Rounding::Ceiling => q,
            Rounding::HalfUp if twice >= d => q + sign,
            Rounding::HalfUp => q,
            Rounding::HalfEven if twice > d || (twice == d && q % 2 != 0) => q + sign,
            Rounding::HalfEven => q,
        }
    }

    /// `a / b` rounded to `places` by this rule, with exactly `places` decimals: the exact
    /// quotient rounded once (integer arithmetic where the numbers allow, else a 28-digit
    /// division first). An [`Overflow`] naming `what` when `b` is zero or the result does
    /// not fit.
    pub fn div_round(
        self,
        a: Decimal,
        b: Decimal,
        places: u32,
        what: &'static str,
    ) -> Result<Decimal, Overflow> {
        if b.is_zero() {
            return Err(Overflow { what });
        }
        if let Some(x) = self.div_round_i64(a, b, places) {
            return Ok(x);
        }
        let fast = || -> Option<Decimal> {
            let (mut n, mut d) = (a.mantissa(), b.mantissa());
            // a/b × 10^places = n × 10^(places + sb − sa) / d
            let e = i64::from(places)
                .checked_add(i64::from(b.scale()))?
                .checked_sub(i64::from(a.scale()))?;
            let p = *POW10.get(usize::try_from(e.unsigned_abs()).ok()?)?;
            if e >= 0 {
                n = mul_i128(n, p)?;
            } else {
                d = mul_i128(d, p)?;
            }
            if d < 0 {
                (n, d) = (n.checked_neg()?, d.checked_neg()?);
            }
            if n.unsigned_abs() >= 1 << 126 || d.unsigned_abs() >= 1 << 126 {
                return None;
            }
            Decimal::try_from_i128_with_scale(self.divide(n, d), places).ok()
        };
        match fast() {
            Some(x) => Ok(x),
            None => Ok(self.round(div(a, b, what)?, places)),
        }
    }

    /// [`Rounding::div_round`] when both mantissas, scaled, fit 64 bits (amounts and
    /// rates do): one machine division. `None` otherwise (and for `b == 0`).
    #[inline]
    #[allow(clippy::arithmetic_side_effects)] // d ≥ 1 once its sign is moved to n
    fn div_round_i64(self, a: Decimal, b: Decimal, places: u32) -> Option<Decimal> {
        let (mut n, mut d) = (mantissa_i64(a)?, mantissa_i64(b)?);
        // a/b × 10^places = n × 10^(places + sb − sa) / d
        let e = i64::from(places) + i64::from(b.scale()) - i64::from(a.scale());
        let p = *POW10_I64.get(usize::try_from(e.unsigned_abs()).ok()?)?;
        if e >= 0 {
            n = n.checked_mul(p)?;
        } else {
            d = d.checked_mul(p)?;
        }
        if d < 0 {
            (n, d) = (n.checked_neg()?, d.checked_neg()?);
        }
        if d == 0 {
            return None;
        }
        let (q, r) = (n / d, n % d);
        let q = self.settle(n.signum().into(), q.into(), r.into(), d.into());
        Decimal::try_from_i128_with_scale(q, places).ok()
    }

    /// `a / b` rounded to `places` by this rule, where the quotient is first taken to
    /// `precision`: exactly ([`Precision::Exact`], the same as [`Rounding::div_round`]),
    /// or to so many significant digits by its own rule, as a fixed-precision decimal
    /// context does (Python's `decimal` keeps 28 digits, half-even, so
    /// `Precision::PYTHON_DECIMAL` reproduces its numbers to the last digit).
    #[allow(clippy::arithmetic_side_effects)] // scales ≤ 28; d < 2^124; r < d; f ≤ 10^28
    pub fn div_round_at(
        self,
        a: Decimal,
        b: Decimal,
        places: u32,
        precision: Precision,
        what: &'static str,
    ) -> Result<Decimal, Overflow> {
        let Precision::Significant { digits, rounding: first } = precision else {
            return self.div_round(a, b, places, what);
        };
        if b.is_zero() {
            return Err(Overflow { what });
        }
        let negative = a.is_sign_negative() != b.is_sign_negative() && !a.is_zero();
        // |a/b| × 10^places = n / d, as integers.
        let e = i64::from(places) + i64::from(b.scale()) - i64::from(a.scale());
        if let Some(m) = Self::quotient_u64(a, b, e, digits) {
            let m = self.magnitude(negative).divide_u(m.0, m.1, m.2);
            return signed(m, negative, places).ok_or(Overflow { what });
        }
        let (mut n, mut d) = (a.mantissa().unsigned_abs(), b.mantissa().unsigned_abs());
        let Some(&p) = POW10.get(usize::try_from(e.unsigned_abs()).unwrap_or(usize::MAX)) else {
            return self.div_round(a, b, places, what);
        };
        let p = p.unsigned_abs();
        let scaled =
            if e >= 0 { n.checked_mul(p).map(|x| n = x) } else { d.checked_mul(p).map(|x| d = x) };
        if scaled.is_none() || d >= 1 << 124 {
            // Beyond 124 bits the 28-digit division in `div_round` is already the context's.
            return self.div_round(a, b, places, what);
        }
        let (q0, r0) = match (u64::try_from(n), u64::try_from(d)) {
            (Ok(n), Ok(d)) => (u128::from(n / d), u128::from(n % d)),
            _ => (n / d, n % d),
        };
        let exact = || {
            let m = self.magnitude(negative).divide_u(q0, r0, d);
            signed(m, negative, places).ok_or(Overflow { what })
        };
        let kept = digits10(q0);
        if kept >= digits {
            // The first rounding is at or above `places`: it alone decides.
            let Some(&pd) = POW10.get((kept - digits) as usize) else { return exact() };
            let pd = pd.unsigned_abs();
            let Some(dd) = d.checked_mul(pd) else { return exact() };
            let m = first.magnitude(negative).divide_u(n / dd, n % dd, dd) * pd;
            return signed(m, negative, places).ok_or(Overflow { what });
        }
        // The first rounding keeps k digits beyond `places`. It can change the result only
        // when r0/d lies within 10^-k of a point where this rule changes its mind: ½, 1, or
        // 0 (for 0 < q; below 1 the significant digits start further right and a non-zero
        // fraction stays non-zero).
        let k = digits - kept;
        let Some(&pk) = POW10.get(k as usize) else { return exact() };
        let pk = pk.unsigned_abs();
        let near = if pk > d * 2 {
            // 10^-k is finer than 1/(2d), the finest step of r0/d: r0/d is either exactly on
            // the point (q0 or q0 + ½, which k ≥ 1 more digits hold exactly, so the first
            // rounding leaves it) or farther than 10^-k from it.
            false
        } else {
            let within = |gap: u128, of: u128| gap.checked_mul(pk).is_some_and(|g| g <= of);
            within(r0.abs_diff(d - r0), d * 2) // |2r0 − d| × 10^k ≤ 2d
                || within(d - r0, d)
                || (q0 > 0 && within(r0, d))
        };
        if !near {
            return exact();
        }
        // Take the k digits exactly, round them by the first rule, then by this one.
        let (mut f, mut rem) = (0u128, r0);
        for _ in 0..k {
            rem *= 10;
            f = f * 10 + rem / d;
            rem %= d;
        }
        let f = first.magnitude(negative).divide_u(f, rem, d);
        let m = if f == pk { q0 + 1 } else { self.magnitude(negative).divide_u(q0, f, pk) };
        signed(m, negative, places).ok_or(Overflow { what })
    }

    /// The common case of [`Rounding::div_round_at`] on 64-bit integers: `(q0, r0, d)` with
    /// `|a/b| × 10^places = q0 + r0/d`, when n and d fit 64 bits, `q0 > 0`, the first rounding
    /// keeps digits beyond `places`, and those digits are finer than r0/d's own steps, so the
    /// first rounding cannot move the result. `None` sends the caller down the general path.
    #[inline]
    #[allow(clippy::arithmetic_side_effects)] // every step checked or bounded by u64
    fn quotient_u64(a: Decimal, b: Decimal, e: i64, digits: u32) -> Option<(u128, u128, u128)> {
        let p = *POW10.get(usize::try_from(e.unsigned_abs()).ok()?)?;
        let p = u64::try_from(p).ok()?;
        let (mut n, mut d) = (
            u64::try_from(a.mantissa().unsigned_abs()).ok()?,
            u64::try_from(b.mantissa().unsigned_abs()).ok()?,
        );
        if e >= 0 {
            n = n.checked_mul(p)?;
        } else {
            d = d.checked_mul(p)?;
        }
        if d == 0 {
            return None;
        }
        let (q0, r0) = (n / d, n % d);
        let kept = q0.checked_ilog10()?.saturating_add(1);
        let k = digits.checked_sub(kept).filter(|k| *k > 0)?;
        // 10^k > 2d: nothing lies within 10^-k of a point the final rounding turns on
        // without being on it, and a value on it keeps its digits (see the general path).
        let fine = POW10.get(k as usize).is_none_or(|pk| *pk > i128::from(d) * 2);
        fine.then_some((u128::from(q0), u128::from(r0), u128::from(d)))
    }

    /// The rule applied to a magnitude whose sign is `negative`.
    fn magnitude(self, negative: bool) -> Magnitude {
        match (self, negative) {
            (Rounding::HalfUp, _) => Magnitude::HalfUp,
            (Rounding::HalfEven, _) => Magnitude::HalfEven,
            (Rounding::Truncate, _) | (Rounding::Floor, false) | (Rounding::Ceiling, true) => {
                Magnitude::Down
            }
            (Rounding::Ceiling, false) | (Rounding::Floor, true) => Magnitude::Up,
        }
    }

    fn round_slow(self, value: Decimal, places: u32) -> Decimal {
        let mut r = value.round_dp_with_strategy(places, self.strategy());
        r.rescale(places);
        r
    }

    /// Rounds `value` to a multiple of `step` (> 0) by this rule.
    pub fn round_to_step(self, value: Decimal, step: Decimal) -> Result<Decimal, Overflow> {
        let whole = self.div_round(value, step, 0, "rounding to a step")?;
        mul(whole, step, "rounding to a step")
    }
}

/// How many digits a quotient keeps before its final rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind", deny_unknown_fields)]
pub enum Precision {
    /// Every digit: the exact quotient is rounded once. The default.
    #[default]
    Exact,
    /// So many significant digits, rounded by `rounding`, before the final rounding: how a
    /// fixed-precision decimal context (Python `decimal`, 28 digits half-even) divides.
    Significant {
        /// Significant digits kept (1 to 28).
        digits: u32,
        /// How the quotient is cut to them.
        rounding: Rounding,
    },
}

impl Precision {
    /// Python's default `decimal` context: 28 significant digits, half-even.
    pub const PYTHON_DECIMAL: Precision =
        Precision::Significant { digits: 28, rounding: Rounding::HalfEven };
}

/// A rounding rule on a magnitude (the sign already taken out).
#[derive(Clone, Copy)]
enum Magnitude {
    Down,
    Up,
    HalfUp,
    HalfEven,
}

impl Magnitude {
    /// `q + r/d` (0 ≤ r < d) rounded to a whole number.
    #[allow(clippy::arithmetic_side_effects)] // r < d < 2^124
    fn divide_u(self, q: u128, r: u128, d: u128) -> u128 {
        let up = match self {
            Magnitude::Down => false,
            Magnitude::Up => r > 0,
            Magnitude::HalfUp => r * 2 >= d,
            Magnitude::HalfEven => r * 2 > d || (r * 2 == d && q % 2 == 1),
        };
        q + u128::from(up)
    }
}

/// Decimal digits of `x` (0 for 0).
fn digits10(x: u128) -> u32 {
    match u64::try_from(x) {
        Ok(x) => x.checked_ilog10().map_or(0, |l| l.saturating_add(1)),
        Err(_) => x.checked_ilog10().map_or(0, |l| l.saturating_add(1)),
    }
}

/// The magnitude `m` at `places` with its sign, when it fits a decimal.
fn signed(m: u128, negative: bool, places: u32) -> Option<Decimal> {
    let m = i128::try_from(m).ok()?;
    Decimal::try_from_i128_with_scale(if negative { m.checked_neg()? } else { m }, places).ok()
}

/// `10^k` for `k` in `0..=18`: every power of ten an `i64` holds.
pub(crate) const POW10_I64: [i64; 19] = {
    let mut t = [1i64; 19];
    let mut k = 1;
    while k < t.len() {
        t[k] = t[k - 1] * 10;
        k += 1;
    }
    t
};

/// 10^0 to 10^28: a Decimal's mantissa is below 2^96, so every step here fits an i128.
#[allow(clippy::arithmetic_side_effects)] // bounded: 10^28 < 2^94
pub(crate) const POW10: [i128; 29] = {
    let mut t = [1i128; 29];
    let mut i = 1;
    while i < 29 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// `d`'s mantissa when it fits 64 bits: read from its parts, without the 128-bit
/// mantissa and its conversion (the integer shortcuts take numbers apart many times).
#[inline]
pub(crate) fn mantissa_i64(d: Decimal) -> Option<i64> {
    let u = d.unpack();
    if u.hi != 0 {
        return None;
    }
    let m = i64::try_from((u64::from(u.mid) << 32) | u64::from(u.lo)).ok()?;
    Some(if u.negative { m.wrapping_neg() } else { m })
}

/// `(n / 10^k, n % 10^k)` for `k ≤ 18`, by a constant divisor in each arm: the compiler
/// turns each into a multiplication, where a divisor read at run time is a hardware
/// division (tens of cycles; the solver's checks make dozens per quote). `None` past 18.
#[inline]
#[allow(clippy::arithmetic_side_effects)] // constant non-zero divisors
pub(crate) fn div_rem_pow10(n: i64, k: u32) -> Option<(i64, i64)> {
    macro_rules! by {
        ($($k:literal => $p:literal),*) => {
            match k {
                0 => Some((n, 0)),
                $($k => Some((n / $p, n % $p)),)*
                _ => None,
            }
        };
    }
    by!(1 => 10, 2 => 100, 3 => 1_000, 4 => 10_000, 5 => 100_000, 6 => 1_000_000,
        7 => 10_000_000, 8 => 100_000_000, 9 => 1_000_000_000, 10 => 10_000_000_000,
        11 => 100_000_000_000, 12 => 1_000_000_000_000, 13 => 10_000_000_000_000,
        14 => 100_000_000_000_000, 15 => 1_000_000_000_000_000,
        16 => 10_000_000_000_000_000, 17 => 100_000_000_000_000_000,
        18 => 1_000_000_000_000_000_000)
}

/// `v / 1` as `Decimal` division writes it, without dividing: `v` itself, but a zero
/// without decimals.
#[inline]
fn over_one(v: Decimal) -> Decimal {
    if v.is_zero() {
        Decimal::ZERO
    } else {
        v
    }
}

/// `d == 1` on its mantissa, without a `Decimal` comparison.
#[inline]
pub(crate) fn is_one(d: Decimal) -> bool {
    POW10.get(d.scale() as usize).is_some_and(|p| d.mantissa() == *p)
}

/// A finite decimal `m / p`, `p = 10^k` (`k ≤ 18`), taken apart onto 64 bits once: a rate,
/// a share or an amount for the integer shortcuts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frac {
    pub(crate) m: i64,
    pub(crate) p: i64,
    pub(crate) k: u32,
}

impl Frac {
    /// `x`, when its mantissa fits 64 bits and its scale is at most 18.
    #[inline]
    pub(crate) fn of(x: Decimal) -> Option<Frac> {
        let k = x.scale();
        Some(Frac { m: mantissa_i64(x)?, p: *POW10_I64.get(k as usize)?, k })
    }
}

/// `a × k` half-up to `places` decimals on 64-bit mantissas: the same number as
/// `mul(a, k)` then [`Rounding::round`] (the product fits 64 bits, so `Decimal` holds it
/// exactly), without building the product. `None` when a step does not fit.
#[inline]
#[allow(clippy::arithmetic_side_effects)] // scales ≤ 28 each; places > scale in the last arm
pub(crate) fn times_half_up(a: Decimal, k: Frac, places: u32) -> Option<Decimal> {
    let n = mantissa_i64(a)?.checked_mul(k.m)?;
    let scale = a.scale() + k.k;
    if scale > 28 {
        return None;
    }
    let m = match scale.checked_sub(places) {
        Some(extra) => {
            let p = *POW10_I64.get(extra as usize)?;
            let (q, r) = div_rem_pow10(n, extra)?;
            Rounding::HalfUp.settle(n.signum().into(), q.into(), r.into(), p.into())
        }
        None => n.checked_mul(*POW10_I64.get((places - scale) as usize)?)?.into(),
    };
    Decimal::try_from_i128_with_scale(m, places).ok()
}

/// The largest `n` in `[lo, hi)` for which `ok(n)` holds, by bisection, given that
/// `ok(lo)` holds and `ok(hi)` does not (and that `ok` holds below some point and fails
/// above it): the discount searches' step.
pub(crate) fn last_passing<E>(
    mut lo: u32,
    mut hi: u32,
    mut ok: impl FnMut(u32) -> Result<bool, E>,
) -> Result<u32, E> {
    while hi.saturating_sub(lo) > 1 {
        let mid = u32::midpoint(lo, hi);
        if ok(mid)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(lo)
}

/// `a + b`, or an [`Overflow`] naming the step.
#[inline]
pub fn add(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, Overflow> {
    a.checked_add(b).ok_or(Overflow { what })
}

/// `a - b`, or an [`Overflow`] naming the step.
#[inline]
pub fn sub(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, Overflow> {
    a.checked_sub(b).ok_or(Overflow { what })
}

/// `a * b`, or an [`Overflow`] naming the step.
#[inline]
pub fn mul(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, Overflow> {
    a.checked_mul(b).ok_or(Overflow { what })
}

/// `a / b` to 28 significant digits, or an [`Overflow`] naming the step (also for `b == 0`,
/// which callers rule out by validation first).
#[inline]
pub fn div(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, Overflow> {
    // By exactly 1 (a rate read from a table, an amount per order of one piece): what the
    // division writes, without dividing.
    if b.scale() == 0 && is_one(b) {
        return Ok(over_one(a));
    }
    a.checked_div(b).ok_or(Overflow { what })
}

/// Sum of `items`, checked.
pub fn sum<I: IntoIterator<Item = Decimal>>(
    items: I,
    what: &'static str,
) -> Result<Decimal, Overflow> {
    items.into_iter().try_fold(Decimal::ZERO, |acc, x| add(acc, x, what))
}

/// An amount of one currency. Amounts of different currencies never mix: adding them is an
/// error value, and conversion goes through an explicit exchange rate.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Money {
    /// The amount, at whatever precision it was computed (see [`Money::round`]).
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub amount: Decimal,
    /// Its currency.
    pub currency: Currency,
}

/// Adding or comparing amounts of two currencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The two amounts are in different currencies.
    #[error("cannot combine {left} with {right} without an exchange rate")]
    CurrencyMismatch {
        /// The left operand's currency.
        left: Currency,
        /// The right operand's currency.
        right: Currency,
    },
    /// The result does not fit.
    #[error(transparent)]
    Overflow(#[from] Overflow),
}

impl Money {
    /// `amount` of `currency`.
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// Zero of `currency`.
    pub fn zero(currency: Currency) -> Money {
        Money { amount: Decimal::ZERO, currency }
    }

    fn same(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch { left: self.currency, right: other.currency })
        }
    }

    /// `self + other`, both in one currency.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same(other)?;
        Ok(Money::new(add(self.amount, other.amount, "a sum of money")?, self.currency))
    }

    /// `self - other`, both in one currency.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same(other)?;
        Ok(Money::new(sub(self.amount, other.amount, "a difference of money")?, self.currency))
    }

    /// `self * factor`.
    pub fn checked_mul(self, factor: Decimal) -> Result<Money, Overflow> {
        Ok(Money::new(mul(self.amount, factor, "a multiple of money")?, self.currency))
    }

    /// Rounded to the currency's minor unit by `rule`.
    pub fn round(self, rule: Rounding) -> Money {
        Money::new(rule.round(self.amount, self.currency.minor_units()), self.currency)
    }

    /// The currency's minor unit as an amount (0.01 for USD, 1 for JPY, 0.001 for KWD).
    pub fn minor_unit(currency: Currency) -> Decimal {
        Decimal::new(1, currency.minor_units())
    }

    /// Splits `self` (rounded half-up to the minor unit first) in proportion to `weights`
    /// so that the parts, each a whole number of minor units, sum exactly to it. Remainders
    /// go one minor unit at a time to the parts with the largest fractional remainders
    /// (ties: the earlier part). Zero or negative total weight gives an even split.
    pub fn allocate(self, weights: &[Decimal]) -> Result<Vec<Money>, Overflow> {
        const WHAT: &str = "an allocation";
        let cur = self.currency;
        let total = self.round(Rounding::HalfUp).amount;
        if weights.is_empty() {
            return Ok(Vec::new());
        }
        let weights: Vec<Decimal> = if sum(weights.iter().copied(), WHAT)? > Decimal::ZERO
            && weights.iter().all(|w| *w >= Decimal::ZERO)
        {
            weights.to_vec()
        } else {
            vec![Decimal::ONE; weights.len()]
        };
        let parts = match allocate_minor(total, &weights) {
            Some(parts) => parts,
            None => allocate_decimal(total, &weights, cur)?,
        };
        Ok(parts.into_iter().map(|a| Money::new(a, cur)).collect())
    }
}

/// [`Money::allocate`] in decimals: each exact share a 28-digit quotient, floored to the
/// minor unit; the path for numbers [`allocate_minor`] cannot hold.
fn allocate_decimal(
    total: Decimal,
    weights: &[Decimal],
    cur: Currency,
) -> Result<Vec<Decimal>, Overflow> {
    const WHAT: &str = "an allocation";
    let unit = Money::minor_unit(cur);
    let weight_sum = sum(weights.iter().copied(), WHAT)?;
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = div(mul(total, *w, WHAT)?, weight_sum, WHAT)?;
        let floor = Rounding::Floor.round(exact, cur.minor_units());
        parts.push(floor);
        remainders.push((sub(exact, floor, WHAT)?, i));
    }
    let mut left = sub(total, sum(parts.iter().copied(), WHAT)?, WHAT)?;
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.iter().cycle() {
        if left <= Decimal::ZERO {
            break;
        }
        parts[*i] = add(parts[*i], unit, WHAT)?;
        left = sub(left, unit, WHAT)?;
    }
    Ok(parts)
}

/// [`Money::allocate`] in integers, when every number fits: `total` (whole minor units,
/// its scale the currency's) split over non-negative `weights` with a positive sum, each
/// weight a whole number at their common scale. Each part is `⌊total × w / Σw⌋` and its
/// remainder `total × w mod Σw`, both exact, so the largest remainders are found without a
/// 28-digit quotient (which the decimal path rounds). `None` when a number does not fit
/// 127 bits: the caller takes the decimal path.
fn allocate_minor(total: Decimal, weights: &[Decimal]) -> Option<Vec<Decimal>> {
    let places = total.scale();
    let total_minor = total.mantissa();
    let scale = weights.iter().map(Decimal::scale).max()?;
    let ints: Vec<i128> = weights
        .iter()
        .map(|w| w.mantissa().checked_mul(*POW10.get(scale.saturating_sub(w.scale()) as usize)?))
        .collect::<Option<_>>()?;
    let weight_sum = ints.iter().try_fold(0i128, |a, w| a.checked_add(*w))?;
    if weight_sum <= 0 {
        return None;
    }
    let mut parts = Vec::with_capacity(ints.len());
    let mut remainders = Vec::with_capacity(ints.len());
    let mut given = 0i128;
    for (i, w) in ints.iter().enumerate() {
        let n = total_minor.checked_mul(*w)?;
        let floor = n.checked_div_euclid(weight_sum)?;
        parts.push(floor);
        remainders.push((n.checked_rem_euclid(weight_sum)?, i));
        given = given.checked_add(floor)?;
    }
    let mut left = total_minor.checked_sub(given)?;
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.iter().cycle() {
        if left <= 0 {
            break;
        }
        let part = parts.get_mut(*i)?;
        *part = part.checked_add(1)?;
        left = left.checked_sub(1)?;
    }
    parts.into_iter().map(|p| Decimal::try_from_i128_with_scale(p, places).ok()).collect()
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

impl fmt::Display for Money {
    /// Plain form for logs and tests: `12.50 USD`. Locale formatting belongs to the front ends.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use crate::currency::known::{cny, usd};
    use rust_decimal::prelude::ToPrimitive;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn dividing_by_one_is_the_amount_written_alike() {
        let max = Decimal::MAX.to_string();
        for text in ["0.30", "0.3", "12.340", "0", "0.00", "-0.00", "1", "100", "-2.50", &max] {
            let v = d(text);
            let divided = v.checked_div(Decimal::ONE).unwrap();
            assert_eq!(
                format!("{:?}", div(v, Decimal::ONE, "test").unwrap()),
                format!("{divided:?}"),
                "{text}"
            );
        }
        for (m, scale) in [(1, 28), (71_000_000_000_000_000_000_000_001, 28), (123_456_789, 5)] {
            let v = Decimal::from_i128_with_scale(m, scale);
            let divided = v.checked_div(Decimal::ONE).unwrap();
            assert_eq!(
                format!("{:?}", div(v, Decimal::ONE, "test").unwrap()),
                format!("{divided:?}"),
                "{v}"
            );
        }
    }

    #[test]
    fn rounding_rules_differ_on_ties() {
        let x = d("0.125");
        assert_eq!(Rounding::HalfUp.round(x, 2), d("0.13"));
        assert_eq!(Rounding::HalfEven.round(x, 2), d("0.12"));
        assert_eq!(Rounding::Ceiling.round(d("0.121"), 2), d("0.13"));
        assert_eq!(Rounding::Floor.round(d("0.129"), 2), d("0.12"));
        assert_eq!(Rounding::Truncate.round(d("-0.129"), 2), d("-0.12"));
        assert_eq!(Rounding::HalfUp.round(d("-0.125"), 2), d("-0.13"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: 10_000, failure_persistence: None, ..Default::default() })]
        /// The integer rounding equals rust_decimal's own, for every rule.
        #[test]
        fn fast_rounding_matches_rust_decimal(lo: u32, mid: u32, hi: u32, neg: bool, scale in 0..=28u32, places in 0..=6u32) {
            let x = Decimal::from_parts(lo, mid, hi, neg, scale);
            for rule in [Rounding::HalfUp, Rounding::HalfEven, Rounding::Ceiling, Rounding::Floor, Rounding::Truncate] {
                let a = rule.round(x, places);
                let b = rule.round_slow(x, places);
                proptest::prop_assert_eq!(a, b, "{:?} {} to {}", rule, x, places);
                proptest::prop_assert_eq!(a.scale(), b.scale());
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: 10_000, failure_persistence: None, ..Default::default() })]
        /// Integer division-and-round equals rounding rust_decimal's quotient, for every
        /// rule, wherever that quotient is exact to 28 digits (here: divisors 2^i 5^j).
        #[test]
        fn div_round_matches_decimal_division(a in -10_000_000_000i64..10_000_000_000, sa in 0..=8u32,
                                              i in 0..=6u32, j in 0..=6u32, k in 1..=9i64, sb in 0..=6u32, places in 0..=4u32) {
            let a = Decimal::new(a, sa);
            let b = Decimal::new(2i64.pow(i) * 5i64.pow(j) * k, sb);
            for rule in [Rounding::HalfUp, Rounding::HalfEven, Rounding::Ceiling, Rounding::Floor, Rounding::Truncate] {
                let q = a / b;
                let exact = (q * b == a).then_some(q);
                if let Some(q) = exact {
                    proptest::prop_assert_eq!(rule.div_round(a, b, places, "t").unwrap(), rule.round_slow(q, places), "{:?} {}/{}", rule, a, b);
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: 10_000, failure_persistence: None, ..Default::default() })]
        /// The integer allocation gives the decimal one's parts, remainders and ties alike,
        /// on weights as orders have them (volumes, kilograms, values, quantities).
        #[test]
        fn integer_allocation_matches_the_decimal_one(total in -100_000_000i64..100_000_000_000,
                weights in proptest::collection::vec(proptest::prop_oneof![(0i64..40, 0..=2u32), (0i64..5_000_000, 0..=6u32)], 1..25),
                minor in 0..=3u32) {
            // Small weights repeat, so equal remainders (ties) are common.
            let total = Decimal::new(total, minor);
            let weights: Vec<Decimal> = weights.into_iter().map(|(m, s)| Decimal::new(m, s)).collect();
            proptest::prop_assume!(weights.iter().any(|w| !w.is_zero()));
            let code = match minor { 0 => "JPY", 3 => "KWD", _ => "USD" };
            let cur = Currency::from_code(code).unwrap();
            let total = Rounding::HalfUp.round(total, cur.minor_units());
            let fast = allocate_minor(total, &weights).unwrap();
            proptest::prop_assert_eq!(sum(fast.iter().copied(), "t").unwrap(), total);
            // Each part is its exact share floored to the minor unit, or one unit more,
            // and the units go to the largest exact remainders (T·w mod Σw), ties first.
            let unit = Decimal::new(1, cur.minor_units());
            let t = (total / unit).to_i128().unwrap();
            let ws: Vec<i128> = weights.iter().map(|w| (*w * Decimal::from(1_000_000)).to_i128().unwrap()).collect();
            let wsum: i128 = ws.iter().sum();
            let mut got: Vec<(i128, usize)> = Vec::new();
            for (i, (part, w)) in fast.iter().zip(&ws).enumerate() {
                let floor = (t * w).div_euclid(wsum);
                let extra = (*part / unit).to_i128().unwrap() - floor;
                proptest::prop_assert!(extra == 0 || extra == 1, "part {} is {} units over its floor", i, extra);
                if extra == 1 { got.push(((t * w).rem_euclid(wsum), i)); }
            }
            let mut order: Vec<(i128, usize)> = ws.iter().enumerate().map(|(i, w)| ((t * w).rem_euclid(wsum), i)).collect();
            order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut want: Vec<usize> = order.iter().take(got.len()).map(|o| o.1).collect();
            let mut got: Vec<usize> = got.into_iter().map(|g| g.1).collect();
            want.sort_unstable();
            got.sort_unstable();
            proptest::prop_assert_eq!(got, want);
            // Where the decimal quotients are exact, the decimal path agrees.
            let exact = ws.iter().all(|w| (t * w).rem_euclid(wsum) == 0);
            if exact {
                proptest::prop_assert_eq!(fast, allocate_decimal(total, &weights, cur).unwrap());
            }
        }
    }

    #[test]
    fn equal_remainders_are_ties_even_where_a_28_digit_quotient_would_differ() {
        // 9,858,132,158.70 over 0.38 : 1.4 : 0.02: each exact share is ….x0333… with the
        // same remainder (60/180 of a cent), so the cent left goes to the first part. The
        // 28-digit quotients keep one more digit for the shorter third share, which made
        // its remainder look larger: the decimal path gave the cent to the third.
        let w = [d("0.38"), d("1.4"), d("0.02")];
        let parts = Money::new(d("9858132158.70"), usd()).allocate(&w).unwrap();
        let amounts: Vec<Decimal> = parts.iter().map(|m| m.amount).collect();
        assert_eq!(amounts, [d("2081161233.51"), d("7667436123.43"), d("109534801.76")]);
        let decimal = allocate_decimal(d("9858132158.70"), &w, usd()).unwrap();
        assert_eq!(decimal, [d("2081161233.50"), d("7667436123.43"), d("109534801.77")]);
    }

    #[test]
    fn allocation_of_one_cent_over_equal_thirds_goes_to_the_first() {
        let parts = Money::new(d("0.02"), usd()).allocate(&[d("1"), d("1"), d("1")]).unwrap();
        let amounts: Vec<Decimal> = parts.iter().map(|m| m.amount).collect();
        assert_eq!(amounts, [d("0.01"), d("0.01"), d("0.00")]);
        // Weights whose common scale passes 127 bits: the decimal path answers, with the
        // same sum.
        let far = [Decimal::from(1_000_000_000_000_000_000i64), Decimal::new(1, 28)];
        assert_eq!(allocate_minor(d("10.01"), &far), None);
        let parts = Money::new(d("10.01"), usd()).allocate(&far).unwrap();
        assert_eq!(parts.iter().map(|m| m.amount).collect::<Vec<_>>(), [d("10.01"), d("0.00")]);
    }

    #[test]
    fn div_round_rounds_the_exact_quotient() {
        let r = Rounding::HalfUp;
        assert_eq!(r.div_round(d("1526.5"), d("1"), 0, "t").unwrap(), d("1527"));
        // 71 / (1/21.5) would be two divisions; as 71 × 21.5 / 1 it is exact.
        assert_eq!(r.div_round(d("50.40"), d("7.2"), 2, "t").unwrap(), d("7.00"));
        assert_eq!(r.div_round(d("1"), d("3"), 2, "t").unwrap(), d("0.33"));
        assert_eq!(r.div_round(d("2"), d("3"), 2, "t").unwrap(), d("0.67"));
        assert_eq!(r.div_round(d("-2"), d("3"), 2, "t").unwrap(), d("-0.67"));
        assert_eq!(r.div_round(d("2"), d("-3"), 2, "t").unwrap(), d("-0.67"));
        assert_eq!(Rounding::Ceiling.div_round(d("1"), d("3"), 2, "t").unwrap(), d("0.34"));
        assert_eq!(Rounding::Floor.div_round(d("-1"), d("3"), 2, "t").unwrap(), d("-0.34"));
        assert_eq!(Rounding::HalfEven.div_round(d("1"), d("8"), 2, "t").unwrap(), d("0.12"));
        assert_eq!(r.div_round(d("1"), d("0"), 2, "t"), Err(Overflow { what: "t" }));
        // Too large for the integer path: falls back and still rounds.
        assert_eq!(
            r.div_round(Decimal::MAX, d("3"), 2, "t").unwrap(),
            Rounding::HalfUp.round(Decimal::MAX / d("3"), 2)
        );
    }

    #[test]
    fn round_to_minor_unit_of_each_currency() {
        let jpy = Currency::from_str("JPY").unwrap();
        let kwd = Currency::from_str("KWD").unwrap();
        let clf = Currency::from_str("CLF").unwrap();
        assert_eq!(Money::new(d("1234.5"), jpy).round(Rounding::HalfUp).amount, d("1235"));
        assert_eq!(Money::new(d("1.2345"), kwd).round(Rounding::HalfUp).amount, d("1.235"));
        assert_eq!(Money::new(d("1.23455"), clf).round(Rounding::HalfUp).amount, d("1.2346"));
        assert_eq!(Money::minor_unit(jpy), d("1"));
        assert_eq!(Money::minor_unit(kwd), d("0.001"));
    }

    #[test]
    fn mixing_currencies_is_an_error() {
        let a = Money::new(d("1"), usd());
        let b = Money::new(d("1"), cny());
        assert_eq!(
            a.checked_add(b),
            Err(MoneyError::CurrencyMismatch { left: usd(), right: cny() })
        );
    }

    #[test]
    fn overflow_is_an_error() {
        let a = Money::new(Decimal::MAX, usd());
        assert!(matches!(a.checked_add(a), Err(MoneyError::Overflow(_))));
        assert_eq!(a.checked_mul(d("2")), Err(Overflow { what: "a multiple of money" }));
    }

    #[test]
    fn allocate_sums_exactly() {
        let parts = Money::new(d("100"), usd()).allocate(&[d("1"), d("1"), d("1")]).unwrap();
        let amounts: Vec<_> = parts.iter().map(|m| m.amount).collect();
        assert_eq!(amounts, vec![d("33.34"), d("33.33"), d("33.33")]);
        let parts = Money::new(d("0.05"), usd()).allocate(&[d("3"), d("7")]).unwrap();
        let amounts: Vec<_> = parts.iter().map(|m| m.amount).collect();
        // 0.015 and 0.035: equal remainders, so the earlier part gets the odd cent.
        assert_eq!(amounts, vec![d("0.02"), d("0.03")]);
        let parts = Money::new(d("10"), usd()).allocate(&[d("0"), d("0")]).unwrap();
        assert_eq!(parts.iter().map(|m| m.amount).sum::<Decimal>(), d("10"));
    }
}
