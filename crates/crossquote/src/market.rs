//! Market profiles: per destination country, the currency, number habits, reply language,
//! import VAT rule, digits to avoid, instalment habit, payment methods and time zone; and
//! the price adjustments they call for. All data: a new market is a profile entry.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{FieldError, Overflow, Problem};
use crate::fx::{FxError, RateSide, RateTable};
use crate::grid::Grid;
use crate::money::{add, div, mul, Money, Rounding};
use crate::percent::Percent;

/// How amounts are written in a market.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NumberFormat {
    /// Decimal separator: "." or ",".
    pub decimal: String,
    /// Thousands separator: ",", ".", " " (a no-break space is written as U+00A0) or "".
    pub thousands: String,
    /// Currency symbol as buyers write it: "$", "R$", "€", "₽".
    pub symbol: String,
    /// Symbol before the number ("$9.90") or after ("9,90 €").
    pub symbol_first: bool,
    /// A space between symbol and number.
    #[serde(default)]
    pub space: bool,
    /// Indian grouping (1,23,456.00) instead of groups of three.
    #[serde(default)]
    pub indian_grouping: bool,
}

impl NumberFormat {
    /// `amount` written the market's way, with exactly `places` decimals (rounded half-up
    /// for display only; the value itself is unchanged).
    pub fn format(&self, amount: Decimal, places: u32) -> String {
        let shown = Rounding::HalfUp.round(amount, places);
        let text = shown.abs().to_string();
        let (int, frac) = match text.split_once('.') {
            Some((i, f)) => (i.to_owned(), Some(f.to_owned())),
            None => (text, None),
        };
        let digits: Vec<char> = int.chars().collect();
        let mut groups: Vec<String> = Vec::new();
        let mut end = digits.len();
        let mut size = 3;
        while end > 0 {
            let start = end.saturating_sub(size);
            groups.push(digits[start..end].iter().collect());
            end = start;
            if self.indian_grouping {
                size = 2;
            }
        }
        groups.reverse();
        let mut number = groups.join(&self.thousands);
        if let Some(f) = frac {
            number.push_str(&self.decimal);
            number.push_str(&f);
        }
        let sign = if shown.is_sign_negative() && !shown.is_zero() { "-" } else { "" };
        let gap = if self.space { "\u{a0}" } else { "" };
        if self.symbol_first {
            format!("{sign}{}{gap}{number}", self.symbol)
        } else {
            format!("{sign}{number}{gap}{}", self.symbol)
        }
    }
}

/// How import VAT reaches a B2C buyer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum VatRule {
    /// VAT charged at checkout for consignments up to `threshold` (EU IOSS: ≤ €150 with the
    /// destination's VAT; UK: ≤ £135 with UK VAT; Australia: GST ≤ A$1,000).
    CollectAtSale {
        /// Scheme name for notes: "IOSS", "UK VAT", "GST".
        scheme: String,
        /// The destination's rate.
        rate: Percent,
        /// The largest consignment value (goods, intrinsic value) the rule covers.
        threshold: Money,
    },
    /// The buyer pays import duties and taxes on arrival; the seller pays export.
    BuyerPaysDuties,
}

/// Digits and digit sequences a market avoids in prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Avoid {
    /// Single digits, e.g. ["4"] (China, Japan, Korea), ["4", "9"] (Japan).
    #[serde(default)]
    pub digits: Vec<String>,
    /// Sequences, e.g. ["13", "666"] or ["49"].
    #[serde(default)]
    pub sequences: Vec<String>,
}

/// An interest-free instalment habit (Brazil: up to 12x with a minimum instalment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Instalments {
    /// Most instalments offered.
    pub max: u32,
    /// Least amount of one instalment, in the market's currency.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub min_amount: Decimal,
    /// How the line is written: `{count}` and `{amount}` are filled in
    /// ("{count}x de {amount} sem juros").
    pub template: String,
}

/// Local working hours, 0–24.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Hours {
    /// From (hour, inclusive).
    pub from: u8,
    /// To (hour, exclusive).
    pub to: u8,
}

/// One destination market.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Market {
    /// ISO 3166 alpha-2.
    pub country: String,
    /// Name in English.
    pub name: String,
    /// The buyer's currency.
    pub currency: Currency,
    /// How amounts are written.
    pub format: NumberFormat,
    /// The buyer's language (BCP 47: "en", "ru", "pt-BR" …); the reply writer falls back to
    /// English where it has no templates.
    pub language: String,
    /// B2C import VAT rule.
    pub vat: VatRule,
    /// Digits to avoid in prices.
    #[serde(default)]
    pub avoid: Avoid,
    /// Instalment habit, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instalments: Option<Instalments>,
    /// Payment methods buyers use.
    #[serde(default)]
    pub payment_methods: Vec<String>,
    /// Offset from UTC in minutes (UTC−3 is −180).
    pub utc_offset_minutes: i32,
    /// Usual waking and working hours, local time.
    pub working_hours: Hours,
}

/// A B2C price with the market's VAT rule applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct VatQuote {
    /// Whether VAT is added at checkout.
    pub collected_at_sale: bool,
    /// The VAT amount (zero when not collected).
    pub vat: Money,
    /// The price the buyer pays at checkout.
    pub price_with_vat: Money,
    /// A note for the agent and the buyer.
    pub note: String,
}

/// An instalment offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct InstalmentPlan {
    /// Instalments.
    pub count: u32,
    /// Each, half-up to the minor unit.
    pub amount: Money,
    /// The line for the buyer ("12x de R$ 9,90 sem juros").
    pub line: String,
}

/// A price that could not be adjusted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MarketError {
    /// No allowed price within the search range.
    #[error("no price from {from} within {steps} grid steps avoids the market's digits")]
    NoAllowedPrice {
        /// Where the search started.
        from: Decimal,
        /// How many grid prices were tried.
        steps: u32,
    },
    /// A rate needed for the VAT threshold is missing.
    #[error(transparent)]
    Fx(#[from] FxError),
    /// A computation overflowed.
    #[error(transparent)]
    Overflow(#[from] Overflow),
}

/// How many grid prices [`Market::adjust_price`] tries.
pub const MAX_PRICE_STEPS: u32 = 100_000;

impl Market {
    /// Amount in the market's format with the currency's minor units.
    pub fn format_money(&self, amount: Decimal) -> String {
        self.format.format(amount, self.currency.minor_units())
    }

    /// Whether a price, written plainly with the currency's minor units, avoids the market's
    /// digits and sequences.
    pub fn allows(&self, price: Decimal) -> bool {
        let text = Rounding::HalfUp.round(price, self.currency.minor_units()).to_string();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        !self.avoid.digits.iter().any(|d| !d.is_empty() && digits.contains(d.as_str()))
            && !self.avoid.sequences.iter().any(|s| !s.is_empty() && digits.contains(s.as_str()))
    }

    /// The nearest allowed price at or above both `price` and `floor`, on `grid`.
    pub fn adjust_price(
        &self,
        price: Decimal,
        floor: Decimal,
        grid: Grid,
    ) -> Result<Decimal, MarketError> {
        let start = grid.ceil(price.max(floor))?;
        let mut p = start;
        for _ in 0..MAX_PRICE_STEPS {
            if self.allows(p) {
                return Ok(p);
            }
            p = grid.next(p)?;
        }
        Err(MarketError::NoAllowedPrice { from: start, steps: MAX_PRICE_STEPS })
    }

    /// The market's VAT rule applied to a B2C price; `consignment` is the goods value of
    /// the whole order (what the threshold is judged on), `price` the amount to tax.
    pub fn apply_vat(
        &self,
        price: Money,
        consignment: Money,
        rates: &RateTable,
    ) -> Result<VatQuote, MarketError> {
        match &self.vat {
            VatRule::CollectAtSale { scheme, rate, threshold } => {
                let value = rates.convert(consignment, threshold.currency, RateSide::Mid)?;
                if value.amount <= threshold.amount {
                    let vat = Rounding::HalfUp.round(
                        mul(price.amount, rate.fraction(), "VAT")?,
                        price.currency.minor_units(),
                    );
                    Ok(VatQuote {
                        collected_at_sale: true,
                        vat: Money::new(vat, price.currency),
                        price_with_vat: Money::new(add(price.amount, vat, "VAT")?, price.currency),
                        note: format!(
                            "{scheme}: {} VAT of {rate} is charged at checkout (consignment up to {} {})",
                            self.name, threshold.amount, threshold.currency
                        ),
                    })
                } else {
                    Ok(VatQuote {
                        collected_at_sale: false,
                        vat: Money::zero(price.currency),
                        price_with_vat: price,
                        note: format!(
                            "Over the {scheme} limit of {} {}: the buyer pays import VAT and duties on arrival",
                            threshold.amount, threshold.currency
                        ),
                    })
                }
            }
            VatRule::BuyerPaysDuties => Ok(VatQuote {
                collected_at_sale: false,
                vat: Money::zero(price.currency),
                price_with_vat: price,
                note: format!(
                    "The buyer pays import duties and taxes in {}; the seller pays export",
                    self.name
                ),
            }),
        }
    }

    /// The instalment offer for `price` (in the market's currency): as many instalments as
    /// the minimum allows, up to the maximum; `None` below two.
    pub fn instalment_plan(&self, price: Money) -> Result<Option<InstalmentPlan>, Overflow> {
        let Some(plan) = &self.instalments else { return Ok(None) };
        if plan.min_amount <= Decimal::ZERO || price.amount <= Decimal::ZERO {
            return Ok(None);
        }
        let fits = div(price.amount, plan.min_amount, "instalments")?.floor();
        let count = fits.to_u32().unwrap_or(u32::MAX).min(plan.max);
        if count < 2 {
            return Ok(None);
        }
        let each = Rounding::HalfUp.div_round(
            price.amount,
            Decimal::from(count),
            price.currency.minor_units(),
            "instalments",
        )?;
        let line = plan
            .template
            .replace("{count}", &count.to_string())
            .replace("{amount}", &self.format_money(each));
        Ok(Some(InstalmentPlan { count, amount: Money::new(each, price.currency), line }))
    }

    /// Problems with the market, each with its path under `path`.
    pub fn validate(&self, path: &str) -> Vec<FieldError> {
        let mut e = Vec::new();
        let at = |f: &str| format!("{path}.{f}");
        if self.country.len() != 2 || !self.country.bytes().all(|b| b.is_ascii_uppercase()) {
            e.push(FieldError::new(
                at("country"),
                Problem::Invalid {
                    message: format!(
                        "`{}` is not an ISO 3166 alpha-2 code in capitals",
                        self.country
                    ),
                },
            ));
        }
        if self.language.trim().is_empty() {
            e.push(FieldError::new(
                at("language"),
                Problem::Invalid { message: "a market needs a language".into() },
            ));
        }
        for (name, sep) in
            [("format.decimal", &self.format.decimal), ("format.thousands", &self.format.thousands)]
        {
            if sep.chars().any(|c| c.is_ascii_digit()) || sep.chars().count() > 1 {
                e.push(FieldError::new(
                    at(name),
                    Problem::Invalid { message: format!("`{sep}` is not a separator") },
                ));
            }
        }
        if self.format.decimal.is_empty() || self.format.decimal == self.format.thousands {
            e.push(FieldError::new(
                at("format.decimal"),
                Problem::Invalid {
                    message: "the decimal separator must differ from the thousands separator"
                        .into(),
                },
            ));
        }
        if let VatRule::CollectAtSale { rate, threshold, .. } = &self.vat {
            if rate.points() < Decimal::ZERO || rate.points() >= Decimal::ONE_HUNDRED {
                e.push(FieldError::new(
                    at("vat.rate"),
                    Problem::PercentTooLarge { value: rate.points() },
                ));
            }
            if threshold.amount <= Decimal::ZERO {
                e.push(FieldError::new(
                    at("vat.threshold.amount"),
                    Problem::NotPositive { value: threshold.amount },
                ));
            }
        }
        for (i, d) in self.avoid.digits.iter().enumerate() {
            if d.len() != 1 || !d.bytes().all(|b| b.is_ascii_digit()) {
                e.push(FieldError::new(
                    at(&format!("avoid.digits[{i}]")),
                    Problem::Invalid { message: format!("`{d}` is not one digit") },
                ));
            }
        }
        for (i, s) in self.avoid.sequences.iter().enumerate() {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                e.push(FieldError::new(
                    at(&format!("avoid.sequences[{i}]")),
                    Problem::Invalid { message: format!("`{s}` is not a digit sequence") },
                ));
            }
        }
        if let Some(p) = &self.instalments {
            if p.max < 2 {
                e.push(FieldError::new(
                    at("instalments.max"),
                    Problem::Invalid { message: "instalments need a maximum of 2 or more".into() },
                ));
            }
            if p.min_amount <= Decimal::ZERO {
                e.push(FieldError::new(
                    at("instalments.min_amount"),
                    Problem::NotPositive { value: p.min_amount },
                ));
            }
            for key in ["{count}", "{amount}"] {
                if !p.template.contains(key) {
                    e.push(FieldError::new(
                        at("instalments.template"),
                        Problem::Invalid { message: format!("the template has no {key}") },
                    ));
                }
            }
        }
        if !(-720..=840).contains(&self.utc_offset_minutes) {
            e.push(FieldError::new(
                at("utc_offset_minutes"),
                Problem::Invalid {
                    message: format!(
                        "{} is not a UTC offset (-720 to 840 minutes)",
                        self.utc_offset_minutes
                    ),
                },
            ));
        }
        let h = self.working_hours;
        if h.from > 24 || h.to > 24 || h.from >= h.to {
            e.push(FieldError::new(
                at("working_hours"),
                Problem::Invalid {
                    message: format!("{}–{} is not a range of hours", h.from, h.to),
                },
            ));
        }
        e
    }
}
