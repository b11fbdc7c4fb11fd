//! The reply writer: a quote's numbers in a polite reply in the buyer's language, with a
//! Chinese rendering for the agent to check.
//!
//! Template texts are data (`data/reply_templates.json`, overridable per seller); each
//! template may use only the placeholders its scenario fills, which [`Templates::load`]
//! checks, so a reply never carries a blank or a `{price}`. Numbers are formatted the
//! buyer's way (the market's number format) and listed with their byte positions, so a
//! front end can highlight them. The writer adds no promises of its own: every sentence
//! is a template, and the templates say what the quote allows.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::{FieldError, FieldErrors, Problem};
use crate::market::{Market, NumberFormat};
use crate::money::Money;
use crate::percent::Percent;
use crate::profile::Profile;

/// The built-in templates.
pub const BUILT_IN: &str = include_str!("../data/reply_templates.json");

/// The languages every scenario must have.
pub const LANGUAGES: [&str; 6] = ["en", "ru", "pt-BR", "es", "fr", "zh"];

/// Template keys and the placeholders each may use.
const KEYS: &[(&str, &[&str])] = &[
    ("salutation.formal", &["name"]),
    ("salutation.informal", &["name"]),
    ("opening.first", &[]),
    ("opening.returning", &[]),
    ("closing", &[]),
    ("signoff", &[]),
    ("bargain_quantity", &["min_quantity", "discount", "unit_price"]),
    ("no_discount_gift", &[]),
    ("no_discount_faster_shipping", &["service"]),
    ("counter_accept", &["unit_price", "quantity", "total"]),
    ("counter_counter", &["offer_price", "quantity", "unit_price", "total"]),
    ("counter_decline", &["offer_price", "quantity", "unit_price"]),
    ("shipping_free", &["country", "unit_price", "service", "days"]),
    ("shipping_discount", &["country", "service", "shipping_price", "shipping_discounted"]),
    ("shipping_paid", &["country", "service", "shipping_price", "days"]),
    ("unpaid_reminder", &["days", "discount", "total", "full_total", "stock"]),
    (
        "wholesale_letter",
        &["term", "currency", "tier_table", "payment_terms", "lead_time", "valid_until"],
    ),
    ("tier_line", &["min_quantity", "max_quantity", "unit_price"]),
    ("tier_line_open", &["min_quantity", "unit_price"]),
    ("payment_terms.tt_30_70", &[]),
    ("payment_terms.tt", &["deposit", "balance"]),
    ("payment_terms.tt_advance", &[]),
    ("payment_terms.tt_before_shipment", &[]),
    ("payment_terms.lc_sight", &[]),
    ("payment_terms.lc_usance", &["days"]),
    ("lots", &["lot_size", "lot_price"]),
    ("payment_methods", &["methods"]),
    ("import_duties", &["country"]),
    ("instalments", &["instalment_line"]),
    // Documents (the proforma invoice), see `crate::document`.
    ("document.language_name", &[]),
    ("document.proforma", &[]),
    ("document.pi_number", &[]),
    ("document.date", &[]),
    ("document.valid_until", &[]),
    ("document.buyer", &[]),
    ("document.item", &[]),
    ("document.description", &[]),
    ("document.hs_code", &[]),
    ("document.quantity", &[]),
    ("document.unit_price", &["term", "currency"]),
    ("document.amount", &["currency"]),
    ("document.total", &[]),
    ("document.packing", &[]),
    ("document.packing_summary", &["cartons", "gross_kg", "cbm"]),
    ("document.terms_of_delivery", &[]),
    ("document.payment", &[]),
    ("document.bank", &[]),
    ("document.signature", &["company"]),
    ("document.date_format", &["d", "dd", "m", "mm", "yyyy", "month"]),
    ("document.months", &[]),
    ("document.decimal", &[]),
    ("document.thousands", &[]),
    ("document.colon", &[]),
];

fn allowed(key: &str) -> Option<&'static [&'static str]> {
    KEYS.iter().find(|(k, _)| *k == key).map(|(_, p)| *p)
}

/// One language's texts and country names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct LanguageTexts {
    /// Template key -> text.
    pub texts: BTreeMap<String, String>,
    /// Country code -> name as used in a sentence.
    pub countries: BTreeMap<String, String>,
}

/// Checked templates for every language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Templates {
    /// Format version.
    pub version: u32,
    /// Language -> texts.
    pub languages: BTreeMap<String, LanguageTexts>,
}

/// A template that cannot be used, named by language and key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[error("reply template `{template}` ({language}): {message}")]
pub struct TemplateError {
    /// The language.
    pub language: String,
    /// The template key.
    pub template: String,
    /// The placeholder at fault, if one is.
    pub placeholder: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// The `{placeholders}` of a text, or the offset of an unbalanced brace.
fn placeholders(text: &str) -> Result<Vec<&str>, usize> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut offset = 0usize;
    while let Some(i) = rest.find(['{', '}']) {
        if rest.as_bytes()[i] == b'}' {
            return Err(offset.saturating_add(i));
        }
        let after = &rest[i.saturating_add(1)..];
        let Some(j) = after.find('}') else { return Err(offset.saturating_add(i)) };
        let name = &after[..j];
        if name.contains('{') {
            return Err(offset.saturating_add(i));
        }
        out.push(name);
        let consumed = i.saturating_add(j).saturating_add(2);
        offset = offset.saturating_add(consumed);
        rest = &rest[consumed..];
    }
    Ok(out)
}

impl Templates {
    /// Parses and checks templates: every key known, every placeholder allowed for its key,
    /// braces balanced, every key of the English set present in every required language.
    pub fn load(json: &str) -> Result<Templates, Vec<TemplateError>> {
        let t: Templates = serde_json::from_str(json).map_err(|e| {
            vec![TemplateError {
                language: String::new(),
                template: String::new(),
                placeholder: None,
                message: format!("not valid template JSON: {e}"),
            }]
        })?;
        let errors = t.check();
        if errors.is_empty() {
            Ok(t)
        } else {
            Err(errors)
        }
    }

    /// The built-in templates.
    pub fn built_in() -> Result<Templates, Vec<TemplateError>> {
        Templates::load(BUILT_IN)
    }

    /// Every problem with the templates.
    pub fn check(&self) -> Vec<TemplateError> {
        let mut errors = Vec::new();
        let err = |language: &str, template: &str, placeholder: Option<&str>, message: String| {
            TemplateError {
                language: language.to_owned(),
                template: template.to_owned(),
                placeholder: placeholder.map(str::to_owned),
                message,
            }
        };
        for (lang, lt) in &self.languages {
            for (key, text) in &lt.texts {
                let Some(allowed) = allowed(key) else {
                    errors.push(err(lang, key, None, "unknown template".into()));
                    continue;
                };
                match placeholders(text) {
                    Err(at) => {
                        errors.push(err(lang, key, None, format!("unbalanced brace at byte {at}")))
                    }
                    Ok(names) => {
                        for n in names {
                            if !allowed.contains(&n) {
                                errors.push(err(
                                    lang,
                                    key,
                                    Some(n),
                                    format!(
                                        "unknown placeholder {{{n}}} (this template can use: {})",
                                        allowed
                                            .iter()
                                            .map(|a| format!("{{{a}}}"))
                                            .collect::<Vec<_>>()
                                            .join(", ")
                                    ),
                                ));
                            }
                        }
                    }
                }
            }
        }
        for (lang, lt) in &self.languages {
            for (key, text) in &lt.texts {
                if let Some(message) = crate::document::check_text(key, text) {
                    errors.push(err(lang, key, None, message));
                }
            }
        }
        for lang in LANGUAGES {
            let Some(lt) = self.languages.get(lang) else {
                errors.push(err(lang, "", None, "the language is missing".into()));
                continue;
            };
            for (key, _) in KEYS {
                if !lt.texts.contains_key(*key) {
                    errors.push(err(lang, key, None, "missing".into()));
                }
            }
        }
        errors
    }

    /// These templates with a seller's texts over them (language -> key -> text),
    /// checked again.
    pub fn with_overrides(
        &self,
        overrides: &BTreeMap<String, BTreeMap<String, String>>,
    ) -> Result<Templates, Vec<TemplateError>> {
        let mut t = self.clone();
        for (lang, texts) in overrides {
            let lt = t.languages.entry(lang.clone()).or_default();
            for (k, v) in texts {
                lt.texts.insert(k.clone(), v.clone());
            }
        }
        let errors = t.check();
        if errors.is_empty() {
            Ok(t)
        } else {
            Err(errors)
        }
    }

    /// The languages a document can be printed in, each with its own name for itself
    /// (`document.language_name`: "Português (Brasil)"), the built-in ones first in
    /// their order, then those the profile's texts add.
    pub fn document_languages(&self) -> Vec<(String, String)> {
        let name = |code: &str| {
            self.text(code, "document.language_name")
                .map_or_else(|_| code.to_owned(), str::to_owned)
        };
        let mut out: Vec<(String, String)> =
            LANGUAGES.iter().map(|l| ((*l).to_owned(), name(l))).collect();
        for code in self.languages.keys() {
            if !LANGUAGES.contains(&code.as_str()) {
                out.push((code.clone(), name(code)));
            }
        }
        out
    }

    pub(crate) fn text(&self, lang: &str, key: &str) -> Result<&str, ReplyError> {
        self.languages.get(lang).and_then(|l| l.texts.get(key)).map(String::as_str).ok_or_else(
            || ReplyError::MissingTemplate { language: lang.to_owned(), template: key.to_owned() },
        )
    }
}

/// One row of a wholesale letter's tier table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TierLine {
    /// From.
    pub min_quantity: u32,
    /// To; open when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_quantity: Option<u32>,
    /// Unit price.
    pub unit_price: Money,
}

/// What the reply is about, with the numbers it may say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scenario {
    /// (a) A discount for a larger quantity, from the tier table.
    BargainQuantity {
        /// The least quantity.
        min_quantity: u32,
        /// The discount.
        discount: Percent,
        /// The unit price with it.
        unit_price: Money,
    },
    /// (b) No further discount; a small gift instead.
    NoDiscountGift,
    /// (b) No further discount; faster shipping instead.
    NoDiscountFasterShipping {
        /// The faster service.
        service: String,
    },
    /// (c) Accept the buyer's offer.
    CounterAccept {
        /// Units.
        quantity: u32,
        /// Unit price.
        unit_price: Money,
        /// Order total.
        total: Money,
    },
    /// (c) Counter with the nearest acceptable price.
    CounterCounter {
        /// What the buyer offered per unit.
        offer_price: Money,
        /// Units.
        quantity: u32,
        /// Our price per unit.
        unit_price: Money,
        /// Order total at our price.
        total: Money,
    },
    /// (c) Decline politely.
    CounterDecline {
        /// What the buyer offered per unit.
        offer_price: Money,
        /// Units.
        quantity: u32,
        /// Our price per unit.
        unit_price: Money,
    },
    /// (d) Free shipping to the buyer's country.
    ShippingFree {
        /// Unit price including delivery.
        unit_price: Money,
        /// Service.
        service: String,
        /// Transit days, e.g. "15–35".
        days: String,
    },
    /// (d) A shipping discount.
    ShippingDiscount {
        /// Service.
        service: String,
        /// Normal shipping price.
        shipping_price: Money,
        /// Discounted.
        shipping_discounted: Money,
    },
    /// (d) Shipping is not free.
    ShippingPaid {
        /// Service.
        service: String,
        /// Shipping price.
        shipping_price: Money,
        /// Transit days.
        days: String,
    },
    /// (e) Reminder for an unpaid order with a limited-time promotion.
    UnpaidReminder {
        /// Days the promotion lasts.
        days: u32,
        /// The discount.
        discount: Percent,
        /// Total with the discount.
        total: Money,
        /// Total without it.
        full_total: Money,
        /// Pieces in stock (said honestly).
        stock: u32,
    },
    /// (f) A wholesale quotation letter.
    WholesaleLetter {
        /// Incoterm as quoted, e.g. "CIF Santos" or "FOBC3".
        term: String,
        /// The tiers.
        tiers: Vec<TierLine>,
        /// A payment-terms template key, e.g. "tt_30_70", used when `payment` is not
        /// given.
        #[serde(default)]
        payment_terms: String,
        /// The order's payment terms (the proforma's): said in the reply's language.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        payment: Option<crate::order::wholesale::PaymentTerms>,
        /// Lead time, days.
        lead_time: u32,
        /// Last valid day.
        valid_until: Date,
    },
    /// (g) Sold in lots.
    Lots {
        /// Pieces a lot.
        lot_size: u32,
        /// Price of a lot.
        lot_price: Money,
    },
    /// (h) Accepted payment methods (the market's).
    PaymentMethods,
    /// (i) Who pays import duties.
    ImportDuties,
    /// (k) The instalment line (markets with an instalment habit).
    Instalments {
        /// The price to split.
        price: Money,
    },
}

impl Scenario {
    /// The reply to a counter-offer verdict for `quantity` units: accept at the offer,
    /// counter with the floor price, or decline naming the floor price.
    pub fn from_verdict(
        v: &crate::b2c::Verdict,
        quantity: u32,
    ) -> Result<Scenario, crate::error::Overflow> {
        let q = Decimal::from(quantity);
        let offer = v.at_offer.sale_price;
        let total = |m: Money| m.checked_mul(q);
        Ok(match v.decision {
            crate::b2c::Decision::Accept => {
                Scenario::CounterAccept { quantity, unit_price: offer, total: total(offer)? }
            }
            crate::b2c::Decision::Counter => {
                let price = v.counter_price.unwrap_or(v.floor_price);
                Scenario::CounterCounter {
                    offer_price: offer,
                    quantity,
                    unit_price: price,
                    total: total(price)?,
                }
            }
            crate::b2c::Decision::Decline => {
                Scenario::CounterDecline { offer_price: offer, quantity, unit_price: v.floor_price }
            }
        })
    }

    /// A quantity-discount offer from a tier row: the discount said is the row's price
    /// against `base`, half-up to 0.01 point, so it never says more than the price gives.
    pub fn bargain_from_tier(
        base: Money,
        row: &crate::b2b::tiers::TierRow,
    ) -> Result<Scenario, crate::error::Overflow> {
        let off = crate::money::sub(base.amount, row.unit_price, "a tier discount")?;
        let pct = Percent::of_rounded(off, base.amount)?.unwrap_or(Percent::ZERO);
        Ok(Scenario::BargainQuantity {
            min_quantity: row.min_qty,
            discount: Percent::new(pct.points().normalize()),
            unit_price: Money::new(row.unit_price, base.currency),
        })
    }

    /// A quotation letter from a tier table's rows.
    pub fn letter_from_tiers(
        term: &str,
        currency: crate::currency::Currency,
        rows: &[crate::b2b::tiers::TierRow],
        payment_terms: &str,
        lead_time: u32,
        valid_until: Date,
    ) -> Scenario {
        Scenario::WholesaleLetter {
            term: term.to_owned(),
            tiers: rows
                .iter()
                .map(|r| TierLine {
                    min_quantity: r.min_qty,
                    max_quantity: r.max_qty,
                    unit_price: Money::new(r.unit_price, currency),
                })
                .collect(),
            payment_terms: payment_terms.to_owned(),
            payment: None,
            lead_time,
            valid_until,
        }
    }

    fn key(&self) -> &'static str {
        match self {
            Scenario::BargainQuantity { .. } => "bargain_quantity",
            Scenario::NoDiscountGift => "no_discount_gift",
            Scenario::NoDiscountFasterShipping { .. } => "no_discount_faster_shipping",
            Scenario::CounterAccept { .. } => "counter_accept",
            Scenario::CounterCounter { .. } => "counter_counter",
            Scenario::CounterDecline { .. } => "counter_decline",
            Scenario::ShippingFree { .. } => "shipping_free",
            Scenario::ShippingDiscount { .. } => "shipping_discount",
            Scenario::ShippingPaid { .. } => "shipping_paid",
            Scenario::UnpaidReminder { .. } => "unpaid_reminder",
            Scenario::WholesaleLetter { .. } => "wholesale_letter",
            Scenario::Lots { .. } => "lots",
            Scenario::PaymentMethods => "payment_methods",
            Scenario::ImportDuties => "import_duties",
            Scenario::Instalments { .. } => "instalments",
        }
    }
}

/// Instant message (short, the answer first) or a complete letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Chat: salutation and the answer.
    Im,
    /// Message or e-mail: salutation, opening, body, closing, sign-off, signature.
    #[default]
    Letter,
}

/// How a letter is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Everything flush left.
    #[default]
    Block,
    /// Paragraphs indented; closing and signature to the right.
    Indented,
    /// Paragraphs flush left; closing and signature to the right.
    SemiBlock,
}

/// The buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Buyer {
    /// Name as they sign.
    pub name: String,
    /// How they greeted us ("Dear Li", "Hi", "Здравствуйте" …): mirrored in our salutation.
    #[serde(default)]
    pub greeting: String,
    /// Bought before.
    #[serde(default)]
    pub returning: bool,
}

/// A reply request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReplyRequest {
    /// What to say, with its numbers: `{"kind": "bargain_quantity", …}`.
    pub scenario: Scenario,
    /// The buyer's country (alpha-2): number format, avoided digits, country name.
    pub country: String,
    /// The reply language; the market's when absent (English where it has no templates).
    #[serde(default)]
    pub language: Option<String>,
    /// IM or letter.
    #[serde(default)]
    pub channel: Channel,
    /// Letter layout.
    #[serde(default)]
    pub layout: Layout,
    /// The buyer.
    pub buyer: Buyer,
    /// Our signature.
    #[serde(default)]
    pub seller: String,
}

/// A number printed in a reply: where it is and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct NumberUse {
    /// The placeholder it filled.
    pub name: String,
    /// The request field it came from, e.g. `tiers[1].unit_price`.
    pub source: String,
    /// The value, plain (`20.13`).
    pub value: String,
    /// As printed (`$20.13`).
    pub text: String,
    /// Byte offset in the reply text.
    pub start: usize,
    /// Byte offset after it.
    pub end: usize,
}

/// A written reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Reply {
    /// Its language.
    pub language: String,
    /// The text.
    pub text: String,
    /// Every number in it.
    pub numbers: Vec<NumberUse>,
    /// Things the agent should look at (e.g. a price with a digit the market avoids).
    pub warnings: Vec<String>,
}

/// The reply for the buyer and its Chinese rendering for the agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Replies {
    /// For the buyer.
    pub reply: Reply,
    /// 中文, for the agent to check.
    pub agent: Reply,
}

/// Why a reply could not be written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplyError {
    /// The country has no market in the profile.
    #[error("no market for `{0}` in the profile")]
    UnknownCountry(String),
    /// A template is missing for the language.
    #[error("no `{template}` template in {language}")]
    MissingTemplate {
        /// Language.
        language: String,
        /// Key.
        template: String,
    },
    /// The scenario cannot be written for this market, or a value is unusable.
    #[error("{0}")]
    Invalid(String),
    /// Numbers the scenario cannot say to a buyer (a discount of 100% or below zero, a
    /// quantity of 0), each by its field path (`scenario.discount`).
    #[error("{0}")]
    Fields(FieldErrors),
}

impl Scenario {
    /// Every number of the scenario a buyer could not be told, by its path under
    /// `scenario`: discounts from 0 to below 100%, quantities and lot sizes of at least 1,
    /// a tier's range not upside down.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let count = |errors: &mut Vec<FieldError>, field: &str, n: u32| {
            if n == 0 {
                let problem = Problem::NotPositive { value: Decimal::ZERO };
                errors.push(FieldError::new(format!("scenario.{field}"), problem));
            }
        };
        let discount = |errors: &mut Vec<FieldError>, p: Percent| {
            crate::check::percent(errors, || "scenario.discount".to_owned(), p, true);
        };
        match self {
            Scenario::BargainQuantity { min_quantity, discount: d, .. } => {
                count(&mut errors, "min_quantity", *min_quantity);
                discount(&mut errors, *d);
            }
            Scenario::UnpaidReminder { discount: d, .. } => discount(&mut errors, *d),
            Scenario::CounterAccept { quantity, .. }
            | Scenario::CounterCounter { quantity, .. }
            | Scenario::CounterDecline { quantity, .. } => {
                count(&mut errors, "quantity", *quantity);
            }
            Scenario::Lots { lot_size, .. } => count(&mut errors, "lot_size", *lot_size),
            Scenario::WholesaleLetter { tiers, payment, .. } => {
                if let Some(crate::order::wholesale::PaymentTerms::Tt { deposit }) = payment {
                    crate::check::percent(
                        &mut errors,
                        || "scenario.payment.deposit".to_owned(),
                        *deposit,
                        false,
                    );
                }
                for (i, t) in tiers.iter().enumerate() {
                    count(&mut errors, &format!("tiers[{i}].min_quantity"), t.min_quantity);
                    if t.max_quantity.is_some_and(|m| m < t.min_quantity) {
                        let message =
                            format!("must not be below min_quantity ({})", t.min_quantity);
                        errors.push(FieldError::new(
                            format!("scenario.tiers[{i}].max_quantity"),
                            Problem::Invalid { message },
                        ));
                    }
                }
            }
            _ => {}
        }
        errors
    }
}

/// A text being built, with the numbers placed in it.
#[derive(Default)]
pub(crate) struct Text {
    pub(crate) s: String,
    pub(crate) numbers: Vec<NumberUse>,
}

impl Text {
    fn push(&mut self, s: &str) {
        self.s.push_str(s);
    }
    fn append(&mut self, other: Text) {
        let base = self.s.len();
        self.s.push_str(&other.s);
        self.numbers.extend(other.numbers.into_iter().map(|mut n| {
            n.start = n.start.saturating_add(base);
            n.end = n.end.saturating_add(base);
            n
        }));
    }
}

/// Payment terms in the reply's language, their numbers listed (`payment.deposit`).
pub(crate) fn payment_text(
    t: &Templates,
    lang: &str,
    fmt: &Fmt<'_>,
    p: crate::order::wholesale::PaymentTerms,
) -> Result<Text, ReplyError> {
    use crate::order::wholesale::PaymentTerms as P;
    match p {
        P::Tt { deposit } if deposit.points() >= Decimal::ONE_HUNDRED => {
            fill(t.text(lang, "payment_terms.tt_advance")?, &[])
        }
        P::Tt { deposit } if deposit.is_zero() => {
            fill(t.text(lang, "payment_terms.tt_before_shipment")?, &[])
        }
        P::Tt { deposit } => {
            let balance = crate::money::sub(Decimal::ONE_HUNDRED, deposit.points(), "a balance")
                .map_err(|e| ReplyError::Invalid(e.to_string()))?;
            fill(
                t.text(lang, "payment_terms.tt")?,
                &[
                    ("deposit", fmt.percent(deposit, "payment.deposit")),
                    ("balance", fmt.percent(Percent::new(balance), "payment.balance")),
                ],
            )
        }
        P::LcSight => fill(t.text(lang, "payment_terms.lc_sight")?, &[]),
        P::LcUsance { days, .. } => fill(
            t.text(lang, "payment_terms.lc_usance")?,
            &[("days", fmt.count(days, "payment.days"))],
        ),
    }
}

/// A value for a placeholder: plain text, or a number to list.
pub(crate) enum Val {
    Text(String),
    Number { text: String, value: String, source: String },
    Nested(Text),
}

pub(crate) fn fill(template: &str, vals: &[(&str, Val)]) -> Result<Text, ReplyError> {
    let mut out = Text::default();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push(&rest[..i]);
        let after = &rest[i.saturating_add(1)..];
        let j = after
            .find('}')
            .ok_or_else(|| ReplyError::Invalid(format!("unbalanced brace in `{template}`")))?;
        let name = &after[..j];
        let (_, v) = vals.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            ReplyError::Invalid(format!("nothing fills {{{name}}} in `{template}`"))
        })?;
        match v {
            Val::Text(t) => out.push(t),
            Val::Number { text, value, source } => {
                let start = out.s.len();
                out.push(text);
                out.numbers.push(NumberUse {
                    name: name.to_owned(),
                    source: source.clone(),
                    value: value.clone(),
                    text: text.clone(),
                    start,
                    end: out.s.len(),
                });
            }
            Val::Nested(t) => out.append(Text { s: t.s.clone(), numbers: t.numbers.clone() }),
        }
        rest = &after[j.saturating_add(1)..];
    }
    out.push(rest);
    Ok(out)
}

/// Formatting the buyer's way: the market's number format (its symbol for its own
/// currency, the ISO code after the number for any other), or a document's.
pub(crate) struct Fmt<'a> {
    pub(crate) format: &'a NumberFormat,
    pub(crate) currency: Option<crate::currency::Currency>,
    pub(crate) lang: &'a str,
}

impl Fmt<'_> {
    fn market<'a>(market: &'a Market, lang: &'a str) -> Fmt<'a> {
        Fmt { format: &market.format, currency: Some(market.currency), lang }
    }
    fn money(&self, m: Money, source: &str) -> Val {
        let text = if Some(m.currency) == self.currency {
            self.format.format(m.amount, m.currency.minor_units())
        } else {
            let f = NumberFormat {
                symbol: m.currency.code().to_owned(),
                symbol_first: false,
                space: true,
                ..self.format.clone()
            };
            f.format(m.amount, m.currency.minor_units())
        };
        let value =
            crate::money::Rounding::HalfUp.round(m.amount, m.currency.minor_units()).to_string();
        Val::Number { text, value, source: source.to_owned() }
    }
    fn count(&self, n: u32, source: &str) -> Val {
        let f = NumberFormat {
            symbol: String::new(),
            symbol_first: true,
            space: false,
            ..self.format.clone()
        };
        Val::Number {
            text: f.format(Decimal::from(n), 0),
            value: n.to_string(),
            source: source.to_owned(),
        }
    }
    fn percent(&self, p: Percent, source: &str) -> Val {
        let v = p.points().normalize();
        let places = v.scale();
        let f = NumberFormat {
            symbol: String::new(),
            symbol_first: true,
            space: false,
            ..self.format.clone()
        };
        let num = f.format(v, places);
        let text = match self.lang {
            "fr" => format!("{num}\u{a0}%"),
            _ => format!("{num}%"),
        };
        Val::Number { text, value: v.to_string(), source: source.to_owned() }
    }
    fn date(&self, d: Date) -> String {
        let months =
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        match self.lang {
            "en" => format!(
                "{} {} {}",
                d.day(),
                months.get(usize::from(d.month()).saturating_sub(1)).unwrap_or(&""),
                d.year()
            ),
            "ru" => format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
            "zh" => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            _ => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        }
    }
}

/// Whether the buyer's greeting is formal ("Dear …", "Уважаемый …", "Prezado …",
/// "Estimado …", "Cher …", "尊敬的 …"); an empty greeting is formal in a letter.
fn is_formal(greeting: &str, channel: Channel) -> bool {
    let g = greeting.trim().to_lowercase();
    if g.is_empty() {
        return channel == Channel::Letter;
    }
    ["dear", "уважаем", "prezad", "estimad", "cher", "chère", "尊敬", "distinguid", "respected"]
        .iter()
        .any(|p| g.starts_with(p))
}

fn body(
    t: &Templates,
    lang: &str,
    req: &ReplyRequest,
    market: &Market,
    fmt: &Fmt<'_>,
) -> Result<Text, ReplyError> {
    let key = req.scenario.key();
    let template = t.text(lang, key)?;
    let country = || -> Val {
        Val::Text(
            t.languages
                .get(lang)
                .and_then(|l| l.countries.get(&market.country))
                .cloned()
                .unwrap_or_else(|| market.name.clone()),
        )
    };
    let s = |x: &str| Val::Text(x.to_owned());
    let vals: Vec<(&str, Val)> = match &req.scenario {
        Scenario::BargainQuantity { min_quantity, discount, unit_price } => vec![
            ("min_quantity", fmt.count(*min_quantity, "min_quantity")),
            ("discount", fmt.percent(*discount, "discount")),
            ("unit_price", fmt.money(*unit_price, "unit_price")),
        ],
        Scenario::NoDiscountGift | Scenario::ImportDuties => vec![("country", country())],
        Scenario::NoDiscountFasterShipping { service } => vec![("service", s(service))],
        Scenario::CounterAccept { quantity, unit_price, total } => vec![
            ("quantity", fmt.count(*quantity, "quantity")),
            ("unit_price", fmt.money(*unit_price, "unit_price")),
            ("total", fmt.money(*total, "total")),
        ],
        Scenario::CounterCounter { offer_price, quantity, unit_price, total } => vec![
            ("offer_price", fmt.money(*offer_price, "offer_price")),
            ("quantity", fmt.count(*quantity, "quantity")),
            ("unit_price", fmt.money(*unit_price, "unit_price")),
            ("total", fmt.money(*total, "total")),
        ],
        Scenario::CounterDecline { offer_price, quantity, unit_price } => vec![
            ("offer_price", fmt.money(*offer_price, "offer_price")),
            ("quantity", fmt.count(*quantity, "quantity")),
            ("unit_price", fmt.money(*unit_price, "unit_price")),
        ],
        Scenario::ShippingFree { unit_price, service, days } => vec![
            ("country", country()),
            ("unit_price", fmt.money(*unit_price, "unit_price")),
            ("service", s(service)),
            ("days", s(days)),
        ],
        Scenario::ShippingDiscount { service, shipping_price, shipping_discounted } => vec![
            ("country", country()),
            ("service", s(service)),
            ("shipping_price", fmt.money(*shipping_price, "shipping_price")),
            ("shipping_discounted", fmt.money(*shipping_discounted, "shipping_discounted")),
        ],
        Scenario::ShippingPaid { service, shipping_price, days } => vec![
            ("country", country()),
            ("service", s(service)),
            ("shipping_price", fmt.money(*shipping_price, "shipping_price")),
            ("days", s(days)),
        ],
        Scenario::UnpaidReminder { days, discount, total, full_total, stock } => vec![
            ("days", fmt.count(*days, "days")),
            ("discount", fmt.percent(*discount, "discount")),
            ("total", fmt.money(*total, "total")),
            ("full_total", fmt.money(*full_total, "full_total")),
            ("stock", fmt.count(*stock, "stock")),
        ],
        Scenario::WholesaleLetter {
            term,
            tiers,
            payment_terms,
            payment,
            lead_time,
            valid_until,
        } => {
            if tiers.is_empty() {
                return Err(ReplyError::Invalid(
                    "a quotation letter needs at least one tier".into(),
                ));
            }
            let mut table = Text::default();
            for (i, tl) in tiers.iter().enumerate() {
                if i > 0 {
                    table.push("\n");
                }
                table.push("- ");
                let src = |f: &str| format!("tiers[{i}].{f}");
                let line = match tl.max_quantity {
                    Some(max) => fill(
                        t.text(lang, "tier_line")?,
                        &[
                            ("min_quantity", fmt.count(tl.min_quantity, &src("min_quantity"))),
                            ("max_quantity", fmt.count(max, &src("max_quantity"))),
                            ("unit_price", fmt.money(tl.unit_price, &src("unit_price"))),
                        ],
                    )?,
                    None => fill(
                        t.text(lang, "tier_line_open")?,
                        &[
                            ("min_quantity", fmt.count(tl.min_quantity, &src("min_quantity"))),
                            ("unit_price", fmt.money(tl.unit_price, &src("unit_price"))),
                        ],
                    )?,
                };
                table.append(line);
            }
            let terms =
                match payment {
                    Some(p) => Val::Nested(payment_text(t, lang, fmt, *p)?),
                    None => s(t.text(lang, &format!("payment_terms.{payment_terms}")).map_err(
                        |_| ReplyError::Invalid(format!("unknown payment terms `{payment_terms}`")),
                    )?),
                };
            let currency = tiers.first().map(|x| x.unit_price.currency.code()).unwrap_or_default();
            vec![
                ("term", s(term)),
                ("currency", s(currency)),
                ("tier_table", Val::Nested(table)),
                ("payment_terms", terms),
                ("lead_time", fmt.count(*lead_time, "lead_time")),
                ("valid_until", s(&fmt.date(*valid_until))),
            ]
        }
        Scenario::Lots { lot_size, lot_price } => vec![
            ("lot_size", fmt.count(*lot_size, "lot_size")),
            ("lot_price", fmt.money(*lot_price, "lot_price")),
        ],
        Scenario::PaymentMethods => {
            if market.payment_methods.is_empty() {
                return Err(ReplyError::Invalid(format!(
                    "the {} market lists no payment methods",
                    market.country
                )));
            }
            vec![("methods", Val::Text(market.payment_methods.join(", ")))]
        }
        Scenario::Instalments { price } => {
            let plan = market
                .instalment_plan(*price)
                .map_err(|e| ReplyError::Invalid(e.to_string()))?
                .ok_or_else(|| {
                    ReplyError::Invalid(format!(
                        "no instalment offer for {} in {}",
                        price, market.name
                    ))
                })?;
            // The line is the market's own text; its amount is listed as a number.
            let amount = market.format_money(plan.amount.amount);
            let mut line = Text::default();
            match plan.line.find(&amount) {
                Some(i) => {
                    line.push(&plan.line[..i]);
                    let start = line.s.len();
                    line.push(&amount);
                    line.numbers.push(NumberUse {
                        name: "instalment_line".into(),
                        source: "price".into(),
                        value: plan.amount.amount.to_string(),
                        text: amount.clone(),
                        start,
                        end: line.s.len(),
                    });
                    line.push(&plan.line[i.saturating_add(amount.len())..]);
                }
                None => line.push(&plan.line),
            }
            vec![("instalment_line", Val::Nested(line))]
        }
    };
    fill(template, &vals)
}

fn compose(
    t: &Templates,
    lang: &str,
    req: &ReplyRequest,
    market: &Market,
) -> Result<Reply, ReplyError> {
    let fmt = Fmt::market(market, lang);
    let formal = is_formal(&req.buyer.greeting, req.channel);
    let name = req.buyer.name.trim();
    let salutation = fill(
        t.text(lang, if formal { "salutation.formal" } else { "salutation.informal" })?,
        &[("name", Val::Text(name.to_owned()))],
    )?;
    let body = body(t, lang, req, market, &fmt)?;
    let mut out = Text::default();
    match req.channel {
        Channel::Im => {
            out.append(salutation);
            out.push(" ");
            if req.buyer.returning {
                out.push(t.text(lang, "opening.returning")?);
                out.push(" ");
            }
            out.append(body);
        }
        Channel::Letter => {
            let (para, right) = match req.layout {
                Layout::Block => ("", ""),
                Layout::Indented => ("    ", "                        "),
                Layout::SemiBlock => ("", "                        "),
            };
            out.append(salutation);
            out.push("\n\n");
            out.push(para);
            out.push(t.text(
                lang,
                if req.buyer.returning { "opening.returning" } else { "opening.first" },
            )?);
            out.push("\n\n");
            // Each paragraph of the body gets the layout's indent; list lines stay as written.
            let mut first = true;
            for piece in split_paragraphs(body) {
                if !first {
                    out.push("\n");
                }
                if !piece.s.starts_with("- ") {
                    out.push(para);
                }
                out.append(piece);
                first = false;
            }
            out.push("\n\n");
            out.push(para);
            out.push(t.text(lang, "closing")?);
            out.push("\n\n");
            out.push(right);
            out.push(t.text(lang, "signoff")?);
            let seller = req.seller.trim();
            if !seller.is_empty() {
                out.push("\n");
                out.push(right);
                out.push(seller);
            }
        }
    }
    let mut warnings = Vec::new();
    for n in &out.numbers {
        if let Ok(v) = Decimal::from_str_exact(&n.value) {
            if n.text.chars().any(|c| c.is_ascii_digit())
                && !market.allows(v)
                && n.source.contains("price")
            {
                warnings.push(format!(
                    "{} ({}) has a digit {} buyers avoid",
                    n.text, n.source, market.name
                ));
            }
        }
    }
    Ok(Reply { language: lang.to_owned(), text: out.s, numbers: out.numbers, warnings })
}

/// Splits a body at its line breaks, keeping each line's numbers.
fn split_paragraphs(t: Text) -> Vec<Text> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let bytes = t.s.as_bytes();
    let cut = |from: usize, to: usize| {
        let numbers = t
            .numbers
            .iter()
            .filter(|n| n.start >= from && n.end <= to)
            .map(|n| NumberUse {
                start: n.start.saturating_sub(from),
                end: n.end.saturating_sub(from),
                ..n.clone()
            })
            .collect();
        Text { s: t.s[from..to].to_owned(), numbers }
    };
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            out.push(cut(start, i));
            start = i.saturating_add(1);
        }
    }
    out.push(cut(start, t.s.len()));
    out
}

/// Writes the reply in the buyer's language and its Chinese rendering.
pub fn write(
    req: &ReplyRequest,
    templates: &Templates,
    profile: &Profile,
) -> Result<Replies, ReplyError> {
    let problems = req.scenario.check();
    if !problems.is_empty() {
        return Err(ReplyError::Fields(FieldErrors(problems)));
    }
    let market = profile
        .market(&req.country)
        .ok_or_else(|| ReplyError::UnknownCountry(req.country.clone()))?;
    let wanted = req.language.clone().unwrap_or_else(|| market.language.clone());
    let lang = if templates.languages.contains_key(&wanted) { wanted } else { "en".to_owned() };
    Ok(Replies {
        reply: compose(templates, &lang, req, market)?,
        agent: compose(templates, "zh", req, market)?,
    })
}

/// The buyer's local time and what to send now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct BuyerTime {
    /// Local time, "HH:MM".
    pub local: String,
    /// Within the market's usual waking hours.
    pub awake: bool,
    /// An instant message now when awake, a full message to read later when not.
    pub suggest: Channel,
}

/// The buyer's local time for the seller's clock, given as minutes since midnight UTC.
#[allow(clippy::arithmetic_side_effects)] // minutes of a day and offsets of ±14 h: far from i64's range
pub fn buyer_time(market: &Market, utc_minutes: u32) -> BuyerTime {
    let day = 24 * 60;
    let local = (i64::from(utc_minutes % day) + i64::from(market.utc_offset_minutes))
        .rem_euclid(i64::from(day));
    let (h, m) = (local / 60, local % 60);
    let awake =
        (i64::from(market.working_hours.from)..i64::from(market.working_hours.to)).contains(&h);
    BuyerTime {
        local: format!("{h:02}:{m:02}"),
        awake,
        suggest: if awake { Channel::Im } else { Channel::Letter },
    }
}
