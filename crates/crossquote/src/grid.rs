//! Final price rounding: the grid of prices a seller lists at.
//!
//! A grid is every `k × step + ending` (k a whole number, 0 ≤ ending < step). The default
//! grid is the currency's minor unit (step 0.01 for USD, 1 for JPY). Endings: `.99` is
//! step 1, ending 0.99; `.95` and `.90` alike; whole units is step 1, ending 0; JPY prices
//! ending in 80 is step 100, ending 80. Prices always go *up* to the grid, so the rounded
//! price is never below the floor price it was rounded from.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{FieldError, Overflow, Problem};
use crate::money::{add, div, mul, sub, Money, POW10};

/// How the final price is rounded: up to the next `k × step + ending`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PriceRounding {
    /// The grid's step; `None` is the currency's minor unit.
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, with = "crate::serde_dec::option", skip_serializing_if = "Option::is_none")]
    pub step: Option<Decimal>,
    /// The ending within a step (0.99 for .99 prices); 0 when absent.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(default, with = "crate::serde_dec", skip_serializing_if = "Decimal::is_zero")]
    pub ending: Decimal,
}

/// The price endings an agent picks by name, each with its grid: `""` to the minor unit,
/// `.99`, `.95` and `.90` on a step of 1, `whole` whole units.
pub const NAMED_ENDINGS: [&str; 5] = ["", ".99", ".95", ".90", "whole"];

impl PriceRounding {
    /// The grid of a named ending ([`NAMED_ENDINGS`]); `None` for another name.
    pub fn named(name: &str) -> Option<PriceRounding> {
        let on =
            |cents: i64| PriceRounding { step: Some(Decimal::ONE), ending: Decimal::new(cents, 2) };
        Some(match name {
            "" => PriceRounding::default(),
            ".99" => on(99),
            ".95" => on(95),
            ".90" => on(90),
            "whole" => on(0),
            _ => return None,
        })
    }

    /// Problems with the rule for prices in `currency`, under `path`.
    pub fn validate(&self, currency: Currency, path: &str) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let unit = Money::minor_unit(currency);
        // A whole number of minor units: no digits past the currency's, or only zeros there.
        let on_units = |v: Decimal| match v.scale().checked_sub(currency.minor_units()) {
            None | Some(0) => true,
            Some(extra) => {
                POW10.get(extra as usize).is_some_and(|p| v.mantissa().checked_rem(*p) == Some(0))
            }
        };
        let step = self.step.unwrap_or(unit);
        if step <= Decimal::ZERO {
            errors.push(FieldError::new(
                format!("{path}.step"),
                Problem::NotPositive { value: step },
            ));
        } else if !on_units(step) {
            errors.push(FieldError::new(
                format!("{path}.step"),
                Problem::Invalid {
                    message: format!("must be a whole number of {currency} minor units ({unit})"),
                },
            ));
        }
        if self.ending < Decimal::ZERO {
            errors.push(FieldError::new(
                format!("{path}.ending"),
                Problem::Negative { value: self.ending },
            ));
        } else if step > Decimal::ZERO && self.ending >= step {
            errors.push(FieldError::new(
                format!("{path}.ending"),
                Problem::Invalid { message: format!("must be less than the step {step}") },
            ));
        } else if !on_units(self.ending) {
            errors.push(FieldError::new(
                format!("{path}.ending"),
                Problem::Invalid {
                    message: format!("must be a whole number of {currency} minor units ({unit})"),
                },
            ));
        }
        errors
    }

    /// The grid for `currency` (call after [`PriceRounding::validate`] found nothing).
    pub fn grid(&self, currency: Currency) -> Grid {
        Grid { step: self.step.unwrap_or_else(|| Money::minor_unit(currency)), ending: self.ending }
    }
}

/// A validated grid: `step > 0`, `0 ≤ ending < step`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    /// Distance between two grid prices.
    pub step: Decimal,
    /// Offset of the grid prices within a step.
    pub ending: Decimal,
}

impl Grid {
    /// The smallest grid price ≥ `x` (and ≥ the first grid price, `ending`).
    pub fn ceil(&self, x: Decimal) -> Result<Decimal, Overflow> {
        const WHAT: &str = "price rounding";
        if self.step.mantissa() == 1 && x >= self.ending {
            // A step of 10^-k: ceiling to k places, no division.
            let k = crate::money::Rounding::Ceiling
                .round(sub(x, self.ending, WHAT)?, self.step.scale());
            return add(k, self.ending, WHAT);
        }
        let k = div(sub(x, self.ending, WHAT)?, self.step, WHAT)?.ceil().max(Decimal::ZERO);
        add(mul(k, self.step, WHAT)?, self.ending, WHAT)
    }

    /// The grid price after `p`.
    pub fn next(&self, p: Decimal) -> Result<Decimal, Overflow> {
        add(p, self.step, "price rounding")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn named_endings_are_their_grids() {
        let named: Vec<_> =
            NAMED_ENDINGS.iter().map(|n| PriceRounding::named(n).unwrap()).collect();
        let on = |e: &str| PriceRounding { step: Some(d("1")), ending: d(e) };
        assert_eq!(named, [PriceRounding::default(), on("0.99"), on("0.95"), on("0.90"), on("0")]);
        assert_eq!(PriceRounding::named(".98"), None);
    }

    #[test]
    fn endings_round_up() {
        let g99 = Grid { step: d("1"), ending: d("0.99") };
        assert_eq!(g99.ceil(d("12.34")).unwrap(), d("12.99"));
        assert_eq!(g99.ceil(d("12.99")).unwrap(), d("12.99"));
        assert_eq!(g99.ceil(d("13.00")).unwrap(), d("13.99"));
        assert_eq!(g99.ceil(d("0.10")).unwrap(), d("0.99"));
        let jpy80 = Grid { step: d("100"), ending: d("80") };
        assert_eq!(jpy80.ceil(d("1234")).unwrap(), d("1280"));
        assert_eq!(jpy80.ceil(d("1281")).unwrap(), d("1380"));
        let cents = Grid { step: d("0.01"), ending: d("0") };
        assert_eq!(cents.ceil(d("1.001")).unwrap(), d("1.01"));
        assert_eq!(cents.ceil(d("1.01")).unwrap(), d("1.01"));
    }

    #[test]
    fn bad_rules_are_reported() {
        let usd = Currency::from_code("USD").unwrap();
        let jpy = Currency::from_code("JPY").unwrap();
        let r = PriceRounding { step: Some(d("1")), ending: d("1.5") };
        assert_eq!(r.validate(usd, "price_rounding")[0].field, "price_rounding.ending");
        let r = PriceRounding { step: Some(d("0.5")), ending: d("0") };
        assert_eq!(r.validate(jpy, "price_rounding")[0].field, "price_rounding.step");
        let r = PriceRounding { step: Some(d("0")), ending: d("0") };
        assert_eq!(r.validate(usd, "r").len(), 1);
    }
}
