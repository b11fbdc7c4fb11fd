//! Replies from an order. What the agent decides on the buyer's inquiry (a quantity
//! discount, a reminder with a discount, a lot, the answer to the buyer's offer) becomes
//! a [`Scenario`] whose numbers are the order's, every concession judged on the order as
//! it would really ship against the order's floor margin; the buyer's country is the
//! order's. The browser app's reply tab, and anyone embedding the core, call these.
//!
//! A discount of `d` is read as the buyer's offer of the order total × (1 − d): the same
//! discount off every line's quoted unit price, each half-up to the minor unit
//! ([`super::Offer::total`]), accepted only when the order keeps the floor margin.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::retail::{self, RetailOrder, RetailQuote};
use super::wholesale::{WholesaleOrder, WholesaleQuote};
use super::{invalid, Offer, OfferVerdict, OrderError};
use crate::b2b::tiers::TierRow;
use crate::b2c::Decision;
use crate::error::{FieldError, Problem};
use crate::money::{mul, sub};
use crate::percent::Percent;
use crate::profile::Profile;
use crate::reply::{ReplyRequest, Scenario};

/// What the agent answers on a retail order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Ask {
    /// "`min_quantity` or more of this item, `discount` off": judged on that many of the
    /// item shipped together.
    BargainQuantity {
        /// The least quantity.
        min_quantity: u32,
        /// The discount.
        discount: Percent,
    },
    /// No further discount; a small gift instead.
    NoDiscountGift,
    /// The answer to the order's offer ([`RetailOrder::offer`]): accept, counter with
    /// the floor price, or decline. The reply speaks of one item's unit price, so the
    /// order has one item.
    CounterOffer,
    /// Shipping is folded into the item's price: by which service, in how many days.
    ShippingFree,
    /// The order is unpaid: `discount` off the whole order when paid within `days`.
    UnpaidReminder {
        /// Days the offer lasts.
        days: u32,
        /// The discount.
        discount: Percent,
        /// Pieces in stock (said honestly).
        stock: u32,
    },
    /// The item sold in lots: a lot's price as the lot ships.
    Lots {
        /// Pieces a lot.
        lot_size: u32,
    },
    /// The market's payment methods.
    PaymentMethods,
    /// Who pays import duties.
    ImportDuties,
    /// The order total in the market's instalments.
    Instalments,
    /// The quotation letter of a wholesale order ([`letter`]).
    WholesaleLetter {
        /// Lead time, days.
        lead_time: u32,
    },
}

/// A reply scenario drafted from an order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Drafted {
    /// The scenario, with the order's numbers.
    pub scenario: Scenario,
    /// The buyer's country: the order's.
    pub country: String,
    /// The margin the reply's price leaves on the order it speaks of, where it concedes
    /// a price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<Percent>,
}

const WHAT: &str = "a reply from an order";

fn refused(field: &str, message: String) -> OrderError {
    invalid(vec![FieldError::new(field, Problem::Invalid { message })])
}

/// `order` with `discount` off every line, judged against its floor margin; `base` is the
/// order's own quote. Refused at `field` when the discount is not one (0 to under 100%)
/// or leaves less than the floor, saying the largest discount the floor allows.
fn at_discount(
    order: &RetailOrder,
    base: &RetailQuote,
    profile: &Profile,
    discount: Percent,
    field: &str,
) -> Result<OfferVerdict, OrderError> {
    let mut e = Vec::new();
    crate::check::percent(&mut e, || field.to_owned(), discount, true);
    if !e.is_empty() {
        return Err(invalid(e));
    }
    let keep = sub(Decimal::ONE, discount.fraction(), WHAT)?;
    let total = mul(base.total.amount, keep, WHAT)?;
    let offered = RetailOrder {
        offer: Some(Offer {
            unit_prices: None,
            total: Some(total),
            max_counter_gap: Percent::new(Decimal::ONE_HUNDRED),
        }),
        ..order.clone()
    };
    let q = retail::quote(&offered, profile)?;
    let Some(v) = q.offer else {
        return Err(refused(field, "the order could not be judged at this discount".into()));
    };
    if v.decision != Decision::Accept {
        let left = v.margin.map_or_else(|| "no".to_owned(), |m| m.to_string());
        return Err(refused(
            field,
            format!(
                "{discount} off leaves {left} margin, under the {} floor; the most it allows is {}",
                order.floor_margin, base.max_discount.discount
            ),
        ));
    }
    Ok(v)
}

/// The order of `quantity` pieces of item `item` alone, shipped together, and its quote.
fn item_alone(
    order: &RetailOrder,
    profile: &Profile,
    item: usize,
    quantity: u32,
) -> Result<(RetailOrder, RetailQuote), OrderError> {
    let Some(it) = order.items.get(item) else {
        return Err(refused("reply.item", format!("the order has no item {item}")));
    };
    let alone = RetailOrder {
        items: vec![retail::RetailItem { quantity, ..it.clone() }],
        offer: None,
        ..order.clone()
    };
    let q = retail::quote(&alone, profile)?;
    Ok((alone, q))
}

fn positive(n: u32, field: &str) -> Result<u32, OrderError> {
    if n == 0 {
        return Err(invalid(vec![FieldError::new(
            field,
            Problem::NotPositive { value: Decimal::ZERO },
        )]));
    }
    Ok(n)
}

/// The scenario for `ask` on `order` (quoted as `quote`): per-unit numbers are item
/// `item`'s, totals the order's. Problems are at `reply.<field>`.
pub fn retail(
    order: &RetailOrder,
    quote: &RetailQuote,
    profile: &Profile,
    item: usize,
    ask: &Ask,
) -> Result<Drafted, OrderError> {
    let Some(line) = quote.lines.get(item) else {
        return Err(refused("reply.item", format!("the order has no item {item}")));
    };
    let sale = line.quote.sale_price;
    let mut margin = None;
    let scenario = match ask {
        Ask::BargainQuantity { min_quantity, discount } => {
            let n = positive(*min_quantity, "reply.min_quantity")?;
            let (alone, base) = item_alone(order, profile, item, n)?;
            let v = at_discount(&alone, &base, profile, *discount, "reply.discount")?;
            margin = v.margin;
            let Some(price) = v.unit_prices.first().copied() else {
                return Err(refused("reply.item", "the item has no price".into()));
            };
            Scenario::BargainQuantity { min_quantity: n, discount: *discount, unit_price: price }
        }
        Ask::NoDiscountGift => Scenario::NoDiscountGift,
        Ask::CounterOffer => {
            let Some(v) = &quote.offer else {
                return Err(refused("offer", "give the buyer's offer on the order".into()));
            };
            if quote.lines.len() != 1 {
                return Err(refused(
                    "offer",
                    format!(
                        "the reply names one item's unit price; this order has {} items",
                        quote.lines.len()
                    ),
                ));
            }
            margin = v.margin;
            let offered = v.unit_prices.first().copied().unwrap_or(sale);
            let floor = v.floor.unit_prices.first().copied().unwrap_or(sale);
            let quantity = quote.pieces;
            match v.decision {
                Decision::Accept => {
                    Scenario::CounterAccept { quantity, unit_price: offered, total: v.total }
                }
                Decision::Counter => Scenario::CounterCounter {
                    offer_price: offered,
                    quantity,
                    unit_price: floor,
                    total: v.floor.total,
                },
                Decision::Decline => {
                    Scenario::CounterDecline { offer_price: offered, quantity, unit_price: floor }
                }
            }
        }
        Ask::ShippingFree => {
            let s = &quote.shipping.quote;
            Scenario::ShippingFree {
                unit_price: sale,
                service: s.name.clone(),
                days: format!("{}–{}", s.transit_days.min, s.transit_days.max),
            }
        }
        Ask::UnpaidReminder { days, discount, stock } => {
            let days = positive(*days, "reply.days")?;
            let v = at_discount(order, quote, profile, *discount, "reply.discount")?;
            margin = v.margin;
            Scenario::UnpaidReminder {
                days,
                discount: *discount,
                total: v.total,
                full_total: quote.total,
                stock: *stock,
            }
        }
        Ask::Lots { lot_size } => {
            let n = positive(*lot_size, "reply.lot_size")?;
            let (_, lot) = item_alone(order, profile, item, n)?;
            margin = lot.margin;
            Scenario::Lots { lot_size: n, lot_price: lot.total }
        }
        Ask::PaymentMethods => Scenario::PaymentMethods,
        Ask::ImportDuties => Scenario::ImportDuties,
        Ask::Instalments => Scenario::Instalments { price: quote.total },
        Ask::WholesaleLetter { .. } => {
            return Err(refused(
                "ask",
                "a quotation letter is written from a wholesale order".into(),
            ))
        }
    };
    let country =
        profile.market(&order.country).map_or_else(|| order.country.clone(), |m| m.country.clone());
    Ok(Drafted { scenario, country, margin })
}

/// The quotation letter for a wholesale order: the term with its place as quoted, line
/// `line`'s tier table (or its quoted price when it has none), the order's payment terms
/// and the proforma's validity, so the letter and the proforma cannot disagree. The
/// buyer's country is the order's `buyer.country`.
pub fn letter(
    order: &WholesaleOrder,
    quote: &WholesaleQuote,
    line: usize,
    lead_time: u32,
) -> Result<Drafted, OrderError> {
    let mut e = Vec::new();
    if order.buyer.country.trim().is_empty() {
        e.push(FieldError::new(
            "buyer.country",
            Problem::Invalid { message: "the letter is written for the buyer's country".into() },
        ));
    }
    if lead_time == 0 {
        e.push(FieldError::new("reply.lead_time", Problem::NotPositive { value: Decimal::ZERO }));
    }
    let Some(proforma) = &quote.proforma else {
        e.push(FieldError::new(
            "date",
            Problem::Invalid { message: "the letter needs the quotation's date".into() },
        ));
        return Err(invalid(e));
    };
    let Some(l) = quote.lines.get(line) else {
        e.push(FieldError::new(
            "reply.line",
            Problem::Invalid { message: format!("the order has no line {line}") },
        ));
        return Err(invalid(e));
    };
    if !e.is_empty() {
        return Err(invalid(e));
    }
    let rows: Vec<TierRow> = if l.tiers.is_empty() {
        vec![TierRow {
            min_qty: l.quantity,
            max_qty: None,
            unit_price: l.unit_price.amount,
            flat_fee: Decimal::ZERO,
            margin: None,
        }]
    } else {
        l.tiers.iter().map(|t| t.row.clone()).collect()
    };
    let mut scenario = Scenario::letter_from_tiers(
        &quote.label,
        quote.currency,
        &rows,
        "",
        lead_time,
        proforma.valid_until,
    );
    if let Scenario::WholesaleLetter { payment, .. } = &mut scenario {
        *payment = Some(order.payment);
    }
    Ok(Drafted { scenario, country: order.buyer.country.trim().to_owned(), margin: quote.margin })
}

/// The order a reply speaks of: a retail basket (`items`) or a wholesale order (`lines`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum AnyOrder {
    /// A retail basket.
    Retail(Box<RetailOrder>),
    /// A wholesale order.
    Wholesale(Box<WholesaleOrder>),
}

impl<'de> Deserialize<'de> for AnyOrder {
    /// Read by its key, as `crossquote quote` reads a document: `lines` makes a wholesale
    /// order, anything else a retail one (so each kind's own errors are the ones said).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let wholesale = v.get("lines").is_some();
        let out = if wholesale {
            serde_json::from_value(v).map(|o| AnyOrder::Wholesale(Box::new(o)))
        } else {
            serde_json::from_value(v).map(|o| AnyOrder::Retail(Box::new(o)))
        };
        out.map_err(serde::de::Error::custom)
    }
}

/// A reply from an order, as `crossquote reply` and `POST /v1/reply` take it: the order,
/// what the agent answers, and how the reply is written. The buyer's country is the
/// order's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OrderReplyRequest {
    /// The order.
    pub order: AnyOrder,
    /// What to answer.
    pub ask: Ask,
    /// The item (retail) or line (letter) whose unit prices the reply names, from 0.
    #[serde(default)]
    pub item: usize,
    /// The reply language; the market's when absent.
    #[serde(default)]
    pub language: Option<String>,
    /// IM or letter.
    #[serde(default)]
    pub channel: crate::reply::Channel,
    /// Letter layout.
    #[serde(default)]
    pub layout: crate::reply::Layout,
    /// The buyer.
    pub buyer: crate::reply::Buyer,
    /// The seller's signature.
    #[serde(default)]
    pub seller: String,
}

/// The scenario of `ask` on `order`, quoted on `profile`: [`retail`] for a basket,
/// [`letter`] for a wholesale order.
pub fn draft(
    order: &AnyOrder,
    ask: &Ask,
    item: usize,
    profile: &Profile,
) -> Result<Drafted, OrderError> {
    match (order, ask) {
        (AnyOrder::Wholesale(o), Ask::WholesaleLetter { lead_time }) => {
            let q = super::wholesale::quote(o, profile)?;
            letter(o, &q, item, *lead_time)
        }
        (AnyOrder::Wholesale(_), _) => Err(refused(
            "ask",
            "a wholesale order is answered with a quotation letter (`wholesale_letter`)".into(),
        )),
        (AnyOrder::Retail(o), ask) => {
            let q = retail::quote(o, profile)?;
            self::retail(o, &q, profile, item, ask)
        }
    }
}

impl OrderReplyRequest {
    /// The reply request this makes: the drafted scenario, the order's country, and the
    /// way of writing asked for.
    pub fn request(
        &self,
        profile: &Profile,
    ) -> Result<(ReplyRequest, Option<Percent>), OrderError> {
        let d = draft(&self.order, &self.ask, self.item, profile)?;
        Ok((
            ReplyRequest {
                scenario: d.scenario,
                country: d.country,
                language: self.language.clone(),
                channel: self.channel,
                layout: self.layout,
                buyer: self.buyer.clone(),
                seller: self.seller.clone(),
            },
            d.margin,
        ))
    }
}
