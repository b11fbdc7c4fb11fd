//! Exchange rates: a dated table of pairs, conversions that are always explicit, cross rates
//! through the table's base currency, and the exchange-risk buffer.
//!
//! A pair `from -> to` with mid `r` says "1 `from` = `r` `to`" (so a CNY seller's table has
//! `USD -> CNY 7.1234`, the way Chinese banks quote). `bank_buying` is what the bank pays in
//! `to` for 1 `from` (below mid); `bank_selling` what it charges (above mid). Textbooks
//! convert export income back at the bank buying rate: [`RateSide::BankBuying`].

pub mod ecb;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::date::Date;
use crate::error::{FieldError, Overflow, Problem};
use crate::money::{div, is_one, mul, times_half_up, Frac, Money, Rounding};

/// Which of a pair's rates a conversion uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RateSide {
    /// The mid (reference) rate.
    #[default]
    Mid,
    /// The rate at which the bank buys the currency being converted: the seller turns
    /// foreign income into another currency. Going against a stored pair it is
    /// 1 / that pair's bank selling rate.
    BankBuying,
}

/// One quoted pair: 1 `from` = `mid` `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct FxPair {
    /// The unit currency.
    pub from: Currency,
    /// The currency the rates are in.
    pub to: Currency,
    /// Mid rate.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub mid: Decimal,
    /// What the bank pays in `to` for 1 `from`.
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, with = "crate::serde_dec::option", skip_serializing_if = "Option::is_none")]
    pub bank_buying: Option<Decimal>,
    /// What the bank charges in `to` for 1 `from`.
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, with = "crate::serde_dec::option", skip_serializing_if = "Option::is_none")]
    pub bank_selling: Option<Decimal>,
}

/// An exchange rate kept as a fraction `num / den`, so that converting with it, or back
/// against it, divides only once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExactRate {
    /// Numerator.
    pub num: Decimal,
    /// Denominator (never zero).
    pub den: Decimal,
}

impl ExactRate {
    /// The rate as one decimal (28 significant digits).
    pub fn value(self) -> Result<Decimal, Overflow> {
        div(self.num, self.den, "an exchange rate")
    }

    /// `amount × num / den`: an amount of the unit currency in the other.
    pub fn convert(self, amount: Decimal) -> Result<Decimal, Overflow> {
        let x = mul(amount, self.num, "a converted amount")?;
        if is_one(self.den) {
            return Ok(x);
        }
        div(x, self.den, "a converted amount")
    }

    /// [`ExactRate::convert`] rounded half-up to `places` once, from the exact quotient
    /// (no 28-digit division first).
    pub fn convert_rounded(self, amount: Decimal, places: u32) -> Result<Decimal, Overflow> {
        if let Some(x) = self.factor().and_then(|k| times_half_up(amount, k, places)) {
            return Ok(x);
        }
        let x = mul(amount, self.num, "a converted amount")?;
        if is_one(self.den) {
            return Ok(Rounding::HalfUp.round(x, places));
        }
        Rounding::HalfUp.div_round(x, self.den, places, "a converted amount")
    }

    /// The rate as one factor taken apart, when its denominator is 1 (as a rate read from
    /// a table is) and its mantissa fits 64 bits: for converting many amounts.
    pub(crate) fn factor(self) -> Option<Frac> {
        if is_one(self.den) {
            Frac::of(self.num)
        } else {
            None
        }
    }

    /// `amount × den / num`: an amount of the other currency back in the unit currency.
    pub fn convert_back(self, amount: Decimal) -> Result<Decimal, Overflow> {
        let x = mul(amount, self.den, "a converted amount")?;
        if is_one(self.num) {
            return Ok(x);
        }
        div(x, self.num, "a converted amount")
    }

    /// The rate times `factor` (for a risk buffer).
    pub fn scaled(self, factor: Decimal) -> Result<ExactRate, Overflow> {
        Ok(ExactRate { num: mul(self.num, factor, "an exchange rate")?, den: self.den })
    }
}

/// A dated table of exchange rates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RateTable {
    /// The date the rates are for.
    pub as_of: Date,
    /// The currency cross rates go through (every pair should name it).
    pub base: Currency,
    /// The pairs.
    pub pairs: Vec<FxPair>,
    /// Where the rates come from (e.g. "ECB euro reference rates", "sample").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A conversion the table cannot make.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FxError {
    /// Neither the pair, its inverse, nor a cross through the base is in the table.
    #[error("no exchange rate from {from} to {to} in the rate table")]
    MissingRate {
        /// Converting from.
        from: Currency,
        /// Converting to.
        to: Currency,
    },
    /// The pair is there but without the bank rate the conversion asks for.
    #[error("the {from}/{to} pair has no bank {which} rate")]
    MissingBankRate {
        /// The pair's unit currency.
        from: Currency,
        /// The pair's rate currency.
        to: Currency,
        /// "buying" or "selling".
        which: &'static str,
    },
    /// A rate of zero reached a division.
    #[error("the {from}/{to} rate is zero")]
    ZeroRate {
        /// The pair's unit currency.
        from: Currency,
        /// The pair's rate currency.
        to: Currency,
    },
    /// The result does not fit.
    #[error(transparent)]
    Overflow(#[from] Overflow),
}

impl RateTable {
    /// Every problem with the table, each with its path (`pairs[2].mid`).
    pub fn validate(&self, path: &str) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (i, p) in self.pairs.iter().enumerate() {
            let at = |f: &str| format!("{path}pairs[{i}].{f}");
            if p.from == p.to {
                errors.push(FieldError::new(
                    at("to"),
                    Problem::Invalid {
                        message: format!("a pair needs two currencies (got {0}/{0})", p.from),
                    },
                ));
            }
            for (name, v) in [
                ("mid", Some(p.mid)),
                ("bank_buying", p.bank_buying),
                ("bank_selling", p.bank_selling),
            ] {
                if let Some(v) = v {
                    if v <= Decimal::ZERO {
                        errors.push(FieldError::new(at(name), Problem::NotPositive { value: v }));
                    }
                }
            }
            if matches!(p.bank_buying, Some(b) if b > p.mid) {
                errors.push(FieldError::new(
                    at("bank_buying"),
                    Problem::Invalid {
                        message: "the bank buying rate must not be above the mid rate".into(),
                    },
                ));
            }
            if matches!(p.bank_selling, Some(s) if s < p.mid) {
                errors.push(FieldError::new(
                    at("bank_selling"),
                    Problem::Invalid {
                        message: "the bank selling rate must not be below the mid rate".into(),
                    },
                ));
            }
            let dup = self.pairs[..i]
                .iter()
                .any(|q| (q.from, q.to) == (p.from, p.to) || (q.from, q.to) == (p.to, p.from));
            if dup {
                errors.push(FieldError::new(
                    at("from"),
                    Problem::Invalid { message: format!("{}/{} is quoted twice", p.from, p.to) },
                ));
            }
        }
        errors
    }

    fn find(&self, from: Currency, to: Currency) -> Option<&FxPair> {
        self.pairs.iter().find(|p| p.from == from && p.to == to)
    }

    /// One leg: a stored pair or its inverse, as an exact fraction.
    fn leg(
        &self,
        from: Currency,
        to: Currency,
        side: RateSide,
    ) -> Result<Option<ExactRate>, FxError> {
        if let Some(p) = self.find(from, to) {
            let r = match side {
                RateSide::Mid => p.mid,
                RateSide::BankBuying => {
                    p.bank_buying.ok_or(FxError::MissingBankRate { from, to, which: "buying" })?
                }
            };
            return Ok(Some(ExactRate { num: r, den: Decimal::ONE }));
        }
        if let Some(p) = self.find(to, from) {
            let r = match side {
                RateSide::Mid => p.mid,
                RateSide::BankBuying => p.bank_selling.ok_or(FxError::MissingBankRate {
                    from: to,
                    to: from,
                    which: "selling",
                })?,
            };
            if r.is_zero() {
                return Err(FxError::ZeroRate { from: to, to: from });
            }
            return Ok(Some(ExactRate { num: Decimal::ONE, den: r }));
        }
        Ok(None)
    }

    /// Units of `to` for 1 `from` as an exact fraction: the pair, its inverse, or a cross
    /// through the base. Converting with it divides once, so an inverse pair loses nothing.
    pub fn exact_rate(
        &self,
        from: Currency,
        to: Currency,
        side: RateSide,
    ) -> Result<ExactRate, FxError> {
        if from == to {
            return Ok(ExactRate { num: Decimal::ONE, den: Decimal::ONE });
        }
        if let Some(r) = self.leg(from, to, side)? {
            return Ok(r);
        }
        if from != self.base && to != self.base {
            if let (Some(a), Some(b)) =
                (self.leg(from, self.base, side)?, self.leg(self.base, to, side)?)
            {
                const WHAT: &str = "a cross exchange rate";
                return Ok(ExactRate {
                    num: mul(a.num, b.num, WHAT)?,
                    den: mul(a.den, b.den, WHAT)?,
                });
            }
        }
        Err(FxError::MissingRate { from, to })
    }

    /// Units of `to` for 1 `from` (to 28 significant digits).
    pub fn rate(&self, from: Currency, to: Currency, side: RateSide) -> Result<Decimal, FxError> {
        Ok(self.exact_rate(from, to, side)?.value()?)
    }

    /// `money` in `to`, unrounded (round it at the point the caller documents).
    pub fn convert(&self, money: Money, to: Currency, side: RateSide) -> Result<Money, FxError> {
        let r = self.exact_rate(money.currency, to, side)?;
        Ok(Money::new(r.convert(money.amount)?, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }
    fn c(s: &str) -> Currency {
        Currency::from_code(s).unwrap()
    }
    fn table() -> RateTable {
        crate::from_json(
            r#"{"as_of":"2026-11-20","base":"CNY","pairs":[
                {"from":"USD","to":"CNY","mid":"7.1000","bank_buying":"7.0800","bank_selling":"7.1200"},
                {"from":"EUR","to":"CNY","mid":"7.7000"},
                {"from":"CNY","to":"JPY","mid":"21.00"}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn direct_inverse_and_cross() {
        let t = table();
        assert_eq!(t.rate(c("USD"), c("CNY"), RateSide::Mid), Ok(d("7.1000")));
        assert_eq!(t.rate(c("USD"), c("CNY"), RateSide::BankBuying), Ok(d("7.0800")));
        // CNY -> USD income: the bank sells USD at 7.12, so 1 CNY buys 1/7.12 USD.
        assert_eq!(t.rate(c("CNY"), c("USD"), RateSide::BankBuying), Ok(Decimal::ONE / d("7.12")));
        // Converting with an inverse pair divides once: 71 CNY at CNY->JPY 21 is 1491.00 JPY.
        let jpy = t.exact_rate(c("JPY"), c("CNY"), RateSide::Mid).unwrap();
        assert_eq!(jpy.convert_back(d("71.00")), Ok(d("1491.00")));
        // EUR -> USD through CNY: 7.70 / 7.10.
        let cross = t.rate(c("EUR"), c("USD"), RateSide::Mid).unwrap();
        assert_eq!(cross, d("7.7000") / d("7.1000"));
        // USD -> JPY: 7.10 * 21.
        assert_eq!(t.rate(c("USD"), c("JPY"), RateSide::Mid), Ok(d("149.1")));
        assert_eq!(t.rate(c("USD"), c("USD"), RateSide::Mid), Ok(Decimal::ONE));
    }

    #[test]
    fn missing_rates_name_both_currencies() {
        let t = table();
        assert_eq!(
            t.rate(c("USD"), c("BRL"), RateSide::Mid),
            Err(FxError::MissingRate { from: c("USD"), to: c("BRL") })
        );
        assert_eq!(
            t.rate(c("EUR"), c("CNY"), RateSide::BankBuying),
            Err(FxError::MissingBankRate { from: c("EUR"), to: c("CNY"), which: "buying" })
        );
        let msg = FxError::MissingRate { from: c("USD"), to: c("BRL") }.to_string();
        assert!(msg.contains("USD") && msg.contains("BRL"), "{msg}");
    }

    #[test]
    fn validation_reports_every_problem() {
        let t: RateTable = crate::from_json(
            r#"{"as_of":"2026-11-20","base":"CNY","pairs":[
                {"from":"USD","to":"CNY","mid":"0"},
                {"from":"EUR","to":"EUR","mid":"1","bank_buying":"2","bank_selling":"0.5"},
                {"from":"CNY","to":"USD","mid":"0.14"}]}"#,
        )
        .unwrap();
        let fields: Vec<String> = t.validate("").into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "pairs[0].mid",
                "pairs[1].to",
                "pairs[1].bank_buying",
                "pairs[1].bank_selling",
                "pairs[2].from"
            ]
        );
    }
}
