//! Field checks shared by the quote engines: each pushes a [`FieldError`] and builds the
//! field's path only when there is a problem.

use rust_decimal::Decimal;

use crate::currency::Currency;
use crate::error::{FieldError, Overflow, Problem};
use crate::fx::{ExactRate, FxError, RateSide, RateTable};
use crate::percent::Percent;

/// A percentage must not be negative, and below 100 when `below_100`.
pub(crate) fn percent(
    errors: &mut Vec<FieldError>,
    field: impl FnOnce() -> String,
    p: Percent,
    below_100: bool,
) {
    if p.points() < Decimal::ZERO {
        errors.push(FieldError::new(field(), Problem::Negative { value: p.points() }));
    } else if below_100 && p.points() >= Decimal::ONE_HUNDRED {
        errors.push(FieldError::new(field(), Problem::PercentTooLarge { value: p.points() }));
    }
}

/// An amount must not be negative.
pub(crate) fn amount(errors: &mut Vec<FieldError>, field: impl FnOnce() -> String, v: Decimal) {
    if v < Decimal::ZERO {
        errors.push(FieldError::new(field(), Problem::Negative { value: v }));
    }
}

/// The rate from `from` to `to`, or a field error naming where it was needed (and a
/// stand-in rate of 1 so that checking can go on and report every problem).
pub(crate) fn rate(
    errors: &mut Vec<FieldError>,
    rates: &RateTable,
    field: impl FnOnce() -> String,
    from: Currency,
    to: Currency,
    side: RateSide,
) -> Result<ExactRate, Overflow> {
    let one = ExactRate { num: Decimal::ONE, den: Decimal::ONE };
    match rates.exact_rate(from, to, side) {
        Ok(r) if r.num > Decimal::ZERO && r.den > Decimal::ZERO => Ok(r),
        Ok(r) => {
            let message = format!(
                "the {from}/{to} exchange rate must be greater than zero (got {}/{})",
                r.num, r.den
            );
            errors.push(FieldError::new(field(), Problem::Invalid { message }));
            Ok(one)
        }
        Err(FxError::Overflow(o)) => Err(o),
        Err(FxError::MissingRate { from, to }) => {
            errors.push(FieldError::new(field(), Problem::MissingRate { from, to }));
            Ok(one)
        }
        Err(e) => {
            errors.push(FieldError::new(field(), Problem::Invalid { message: e.to_string() }));
            Ok(one)
        }
    }
}
