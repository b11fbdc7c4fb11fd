//! A wholesale (B2B) order: several product lines to one buyer, one Incoterm with its
//! named place, one payment term, one shipment.
//!
//! # How it is worked out
//! 1. Every line is checked (all problems at once, at `lines[i].field`): its carton spec
//!    (pieces, gross weight, and the sides or the volume), quantity against its MOQ and
//!    lot, its tier breaks.
//! 2. Packing list per line: `⌈quantity / pieces⌉` cartons; a part-filled last carton is
//!    counted at a full carton's volume and gross weight (what the forwarder measures and
//!    weighs conservatively); CBM and kg are exact.
//! 3. The shipment consolidates every line's cartons. Its freight is the amount given, or
//!    W/M on the consolidated cargo (an LCL tariff's weight ratio and minimum apply), or
//!    the containers it fills (`max(⌈CBM / usable CBM⌉, ⌈kg / payload⌉)` boxes of the
//!    named type at the box rate, with the fill by volume and by weight reported).
//! 4. Freight, each per-shipment fee and each destination charge are allocated to the
//!    lines on the order's [`Allocation`] basis (by volume unless named), in minor units.
//! 5. Each line is a [`b2b::quote`] at its own quantity with its shares, the order's
//!    profit (or the line's own), bank charges, commission, insurance and the payment
//!    term's L/C interest; so every line meets the target on its own rounded price.
//! 6. Order totals: line amounts and their sum; the merged breakdown (every cost line for
//!    the order: rebate, freight, insurance, commission, interest …) summing to the total;
//!    export results for the order from each line's per-unit results as printed (2 dp)
//!    times its quantity: total export cost, net FOB income, 换汇成本, profit and rate.
//! 7. Tier tables: each tier is the line shipped alone at the tier's least quantity
//!    (rounded up to whole lots), with that shipment's own freight (W/M or containers on
//!    its cartons; a freight amount is a shipment's price, so each tier carries it whole,
//!    as it carries the whole per-shipment fees); priced at the profit target there, or at the tier's discount off
//!    the first tier where it gives one (said in the row), then through
//!    [`TierTable::rows`] (the margin floor, warnings where a larger quantity costs more).
//!    They do not depend on the quantity ordered.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    allocate, invalid, merge_breakdowns, under, Allocation, Judge, Measures, Offer, OfferVerdict,
    OrderDiscount, OrderError,
};
use crate::b2b::freight::{Cargo, WmFreight, WmTariff};
use crate::b2b::tiers::{Tier, TierContext, TierPrice, TierRow, TierTable};
use crate::b2b::{
    self, B2bError, B2bFx, B2bQuote, B2bRequest, Basis, DayCount, Destination, FreightCost,
    Incoterm, Insurance, Interest, PurchaseCost, ShipmentFee,
};
use crate::breakdown::{Breakdown, LineKind};
use crate::check::percent as check_percent;
use crate::currency::Currency;
use crate::date::Date;
use crate::error::{FieldError, Overflow, Problem};
use crate::grid::PriceRounding;
use crate::money::{add, div, mul, sum, Money, Rounding};
use crate::percent::Percent;
use crate::profile::{Profile, SellerDetails};

const WHAT: &str = "a wholesale order";

/// The buyer, as the proforma addresses them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Buyer {
    /// Company or person.
    #[serde(default)]
    pub name: String,
    /// Postal address, lines separated by newlines.
    #[serde(default)]
    pub address: String,
    /// Country (alpha-2): its market decides the reply's language and conventions.
    #[serde(default)]
    pub country: String,
    /// The language the buyer's documents (the proforma invoice) are printed in, one of
    /// the reply languages (`en`, `ru`, `pt-BR`, `es`, `fr`, `zh`, or one the profile's
    /// texts add); English when absent, whatever the agent's interface language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_language: Option<String>,
}

impl Buyer {
    /// The documents' language: the one asked for, else English.
    pub fn document_language(&self) -> &str {
        self.document_language.as_deref().map(str::trim).filter(|l| !l.is_empty()).unwrap_or("en")
    }
}

/// How the buyer pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PaymentTerms {
    /// Telegraphic transfer: a deposit with the order, the balance before shipment.
    Tt {
        /// The deposit, % of the order.
        deposit: Percent,
    },
    /// Letter of credit at sight.
    LcSight,
    /// Letter of credit at `days` after sight, discounted by the seller's bank: the
    /// interest is folded into the price (on the price, like commission).
    LcUsance {
        /// Days after sight.
        days: u32,
        /// The bank's annual discount rate.
        annual_rate: Percent,
        /// Day count.
        #[serde(default)]
        basis: DayCount,
    },
}

impl Default for PaymentTerms {
    fn default() -> Self {
        PaymentTerms::Tt { deposit: Percent::new(Decimal::from(30)) }
    }
}

impl PaymentTerms {
    /// The terms in the words a proforma prints: "T/T: 30% deposit, 70% balance before
    /// shipment".
    pub fn describe(self) -> String {
        match self {
            PaymentTerms::Tt { deposit } => {
                let rest = Decimal::ONE_HUNDRED.checked_sub(deposit.points()).unwrap_or_default();
                if deposit.points() >= Decimal::ONE_HUNDRED {
                    "T/T: 100% in advance".to_owned()
                } else if deposit.is_zero() {
                    "T/T: 100% before shipment".to_owned()
                } else {
                    format!(
                        "T/T: {}% deposit, {}% balance before shipment",
                        deposit.points().normalize(),
                        rest.normalize()
                    )
                }
            }
            PaymentTerms::LcSight => "Irrevocable L/C at sight".to_owned(),
            PaymentTerms::LcUsance { days, .. } => {
                format!("Irrevocable L/C at {days} days after sight")
            }
        }
    }

    /// The L/C discount interest the price carries, when any.
    pub fn interest(self) -> Option<Interest> {
        match self {
            PaymentTerms::LcUsance { days, annual_rate, basis } => {
                Some(Interest { annual_rate, days, basis })
            }
            _ => None,
        }
    }
}

/// An export carton: pieces, gross weight, and its sides or its volume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CartonSpec {
    /// Pieces per carton.
    pub pieces: u32,
    /// Gross weight of a full carton, kg.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub gross_kg: Decimal,
    /// Outside length, width, height, cm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_cm: Option<[Decimal; 3]>,
    /// Or the carton's volume, m³, as forwarders and textbooks often give it.
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::serde_dec::option")]
    pub cbm: Option<Decimal>,
}

impl CartonSpec {
    /// One carton's volume, m³: `l × w × h / 10⁶` or as given.
    pub fn volume(&self) -> Result<Decimal, Overflow> {
        match (self.cbm, self.size_cm) {
            (Some(v), _) => Ok(v),
            (None, Some(sides)) => crate::b2b::freight::cbm_of(sides),
            (None, None) => Ok(Decimal::ZERO),
        }
    }
}

/// A quantity break of a line's tier table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TierBreak {
    /// Least quantity.
    pub min_qty: u32,
    /// A discount off the first tier's price that overrides the profit target here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<Percent>,
}

/// One product line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WholesaleLine {
    /// The seller's SKU.
    #[serde(default)]
    pub sku: String,
    /// The description the proforma prints.
    #[serde(default)]
    pub description: String,
    /// HS code.
    #[serde(default)]
    pub hs_code: String,
    /// Purchase cost, VAT and rebate.
    pub cost: PurchaseCost,
    /// The export carton.
    pub carton: CartonSpec,
    /// Units ordered.
    pub quantity: u32,
    /// Minimum order quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moq: Option<u32>,
    /// Quantities are whole lots of this many units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<u32>,
    /// This line's profit on the price, where it differs from the order's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profit: Option<Percent>,
    /// Quantity breaks for the line's tier table.
    #[serde(default)]
    pub tiers: Vec<TierBreak>,
}

/// The shipment's main carriage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Freight {
    /// An amount for the whole shipment (a forwarder's quote).
    Amount {
        /// The amount.
        amount: Money,
    },
    /// W/M (or LCL with the forwarder's weight ratio and minimum) on the consolidated
    /// cargo.
    Wm {
        /// The tariff.
        tariff: WmTariff,
    },
    /// Full containers of one type at a box rate: as many as the cargo fills.
    Fcl {
        /// The container type's name: one of the profile's `containers`, or the built-in
        /// `20GP`, `40GP`, `40HQ`.
        container: String,
        /// Freight per container.
        box_rate: Money,
    },
}

/// A wholesale order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WholesaleOrder {
    /// The buyer.
    #[serde(default)]
    pub buyer: Buyer,
    /// The Incoterm.
    pub term: Incoterm,
    /// Its named place ("Santos", "Hamburg port").
    #[serde(default)]
    pub place: String,
    /// The currency of the prices.
    pub quote_currency: Currency,
    /// How the buyer pays: entered once, used by the price (L/C interest), the proforma
    /// and the letter.
    #[serde(default)]
    pub payment: PaymentTerms,
    /// The quotation's date (the core reads no clock: the front end passes today).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Days the prices hold from `date`.
    #[serde(default = "thirty")]
    pub validity_days: u32,
    /// The proforma's number, when the agent sets it; else `PREFIX-YYYYMMDD-NNN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The day's sequence number in the generated reference.
    #[serde(default = "one")]
    pub sequence: u32,
    /// The product lines.
    pub lines: Vec<WholesaleLine>,
    /// Per-shipment domestic fees (seller currency).
    #[serde(default)]
    pub shipment_fees: Vec<ShipmentFee>,
    /// Main carriage (C- and D-terms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freight: Option<Freight>,
    /// Insurance (CIF, CIP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurance: Option<Insurance>,
    /// Destination charges, duty and import VAT (DAP, DDP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<Destination>,
    /// How freight, fees and destination charges are split between the lines.
    #[serde(default = "by_volume")]
    pub allocation: Allocation,
    /// Profit on the price.
    pub profit: Percent,
    /// Bank charges on the price.
    #[serde(default)]
    pub bank_charges: Percent,
    /// Commission on the price.
    #[serde(default)]
    pub commission: Percent,
    /// Handling fee, % of the purchase cost.
    #[serde(default)]
    pub handling: Percent,
    /// Loan interest on the purchase cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loan: Option<Interest>,
    /// Exchange settings.
    #[serde(default)]
    pub fx: B2bFx,
    /// The price grid.
    #[serde(default)]
    pub price_rounding: PriceRounding,
    /// The least margin a tier, a discount or an offer may leave (0: no loss).
    #[serde(default)]
    pub min_margin: Percent,
    /// The buyer's offer, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<Offer>,
}

fn thirty() -> u32 {
    30
}
fn one() -> u32 {
    1
}
fn by_volume() -> Allocation {
    Allocation::Volume
}

/// A line's packing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Packing {
    /// Cartons.
    pub cartons: u64,
    /// Pieces per full carton.
    pub pieces_per_carton: u32,
    /// Pieces in the last carton when it is not full.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_carton: Option<u32>,
    /// Gross weight, kg.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub gross_kg: Decimal,
    /// Volume, m³.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub cbm: Decimal,
}

/// The containers a shipment fills.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ContainerLoad {
    /// The type.
    pub container: String,
    /// How many.
    pub count: u32,
    /// Cargo volume over the containers' usable volume, %.
    pub volume_fill: Percent,
    /// Cargo weight over their payload, %.
    pub weight_fill: Percent,
    /// "volume" or "weight": which decided the count.
    pub limited_by: String,
}

/// The shipment: consolidated cargo and its freight.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Shipment {
    /// Cartons of every line.
    pub cartons: u64,
    /// Gross weight, kg.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub gross_kg: Decimal,
    /// Volume, m³.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub cbm: Decimal,
    /// The freight for the shipment, when the term carries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freight: Option<Money>,
    /// The W/M working, when the freight is W/M.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wm: Option<WmFreight>,
    /// The containers, when the freight is FCL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub containers: Option<ContainerLoad>,
    /// How shared costs were split: "by volume".
    pub allocation: String,
}

/// A tier row with the rule that priced it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct LineTier {
    /// The row: quantities, unit price, margin.
    #[serde(flatten)]
    pub row: TierRow,
    /// "profit target at 500 units shipped alone", "3% off the first tier".
    pub rule: String,
}

/// A line of the answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct QuotedLine {
    /// SKU.
    pub sku: String,
    /// Description.
    pub description: String,
    /// HS code.
    pub hs_code: String,
    /// Units.
    pub quantity: u32,
    /// Unit price.
    pub unit_price: Money,
    /// Unit price × quantity.
    pub amount: Money,
    /// Its packing.
    pub packing: Packing,
    /// Its share of the freight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freight_share: Option<Money>,
    /// Its share of the per-shipment fees, seller currency.
    pub fees_share: Money,
    /// The line's quote (breakdown per unit, export results).
    pub quote: B2bQuote,
    /// Its tier table, by quantity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<LineTier>,
    /// Warnings from the tier table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tier_warnings: Vec<String>,
}

/// Export results for the whole order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct OrderResults {
    /// Σ total export cost per unit × quantity, seller currency.
    pub total_cost: Money,
    /// Σ net FOB income per unit × quantity.
    pub fob_net_income: Money,
    /// 换汇成本: total cost / net FOB income, half-up to 2 dp.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub fx_cost: Decimal,
    /// Σ profit per unit × quantity, seller currency.
    pub profit: Money,
    /// Profit / total cost.
    pub profit_rate: Option<Percent>,
    /// 退税收入: the export VAT rebate on the whole order, seller currency, half-up.
    pub rebate_income: Money,
}

/// What a proforma invoice prints, besides the lines and totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Proforma {
    /// PI number.
    pub number: String,
    /// Issue date.
    pub date: Date,
    /// Last day the prices hold.
    pub valid_until: Date,
    /// The seller, from the profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller: Option<SellerDetails>,
    /// The buyer.
    pub buyer: Buyer,
    /// "CIF Santos".
    pub terms_of_delivery: String,
    /// "T/T: 30% deposit, 70% balance before shipment".
    pub payment: String,
    /// The payment terms themselves, for a document to word in its language.
    pub payment_terms: PaymentTerms,
    /// The language the documents are printed in (`buyer.document_language`, else `en`).
    pub language: String,
}

/// The answer for a wholesale order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct WholesaleQuote {
    /// "CIF Santos", "FOBC3 Ningbo".
    pub label: String,
    /// The currency of the prices.
    pub currency: Currency,
    /// The lines, in order.
    pub lines: Vec<QuotedLine>,
    /// The shipment.
    pub shipment: Shipment,
    /// Σ line amounts.
    pub total: Money,
    /// The order's breakdown (every cost line for the order); sums to `total`.
    pub breakdown: Breakdown,
    /// Export results for the order.
    pub results: OrderResults,
    /// Profit line / total.
    pub margin: Option<Percent>,
    /// The largest discount on every line that keeps `min_margin`.
    pub max_discount: OrderDiscount,
    /// The verdict on the offer, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<OfferVerdict>,
    /// The proforma's data, when the order has a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proforma: Option<Proforma>,
    /// What the order gave that its term does not use (freight for FOB …), said rather
    /// than dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

fn check(order: &WholesaleOrder, profile: &Profile) -> Vec<FieldError> {
    let mut e = Vec::new();
    let language = order.buyer.document_language();
    if !crate::reply::LANGUAGES.contains(&language) && !profile.replies.contains_key(language) {
        e.push(FieldError::new(
            "buyer.document_language",
            Problem::Invalid {
                message: format!(
                    "no document texts in `{language}` (the languages are {}, and any the profile's texts add)",
                    crate::reply::LANGUAGES.join(", ")
                ),
            },
        ));
    }
    if order.lines.is_empty() {
        e.push(FieldError::new(
            "lines",
            Problem::Invalid { message: "no product line to quote".into() },
        ));
    }
    for (i, l) in order.lines.iter().enumerate() {
        let at = |f: &str| format!("lines[{i}].{f}");
        let c = &l.carton;
        if c.pieces == 0 {
            e.push(FieldError::new(
                at("carton.pieces"),
                Problem::NotPositive { value: Decimal::ZERO },
            ));
        }
        if c.gross_kg <= Decimal::ZERO {
            e.push(FieldError::new(
                at("carton.gross_kg"),
                Problem::NotPositive { value: c.gross_kg },
            ));
        }
        match (c.size_cm, c.cbm) {
            (Some(_), Some(_)) | (None, None) => e.push(FieldError::new(
                at("carton"),
                Problem::Invalid {
                    message: "give the carton's `size_cm` or its `cbm`, one of them".into(),
                },
            )),
            (Some(sides), None) => {
                for (k, v) in sides.iter().enumerate() {
                    if *v <= Decimal::ZERO {
                        e.push(FieldError::new(
                            at(&format!("carton.size_cm[{k}]")),
                            Problem::NotPositive { value: *v },
                        ));
                    }
                }
            }
            (None, Some(v)) => {
                if v <= Decimal::ZERO {
                    e.push(FieldError::new(at("carton.cbm"), Problem::NotPositive { value: v }));
                }
            }
        }
        if l.quantity == 0 {
            e.push(FieldError::new(at("quantity"), Problem::NotPositive { value: Decimal::ZERO }));
        }
        if let Some(moq) = l.moq.filter(|m| l.quantity > 0 && l.quantity < *m) {
            e.push(FieldError::new(
                at("quantity"),
                Problem::Invalid {
                    message: format!("{} is under the line's MOQ of {moq}", l.quantity),
                },
            ));
        }
        match l.lot {
            Some(0) => {
                e.push(FieldError::new(at("lot"), Problem::NotPositive { value: Decimal::ZERO }))
            }
            Some(lot) if l.quantity.checked_rem(lot).is_some_and(|r| r != 0) => {
                let down = l.quantity.checked_div(lot).unwrap_or(0).saturating_mul(lot);
                let up = down.saturating_add(lot);
                e.push(FieldError::new(
                    at("quantity"),
                    Problem::Invalid {
                        message: format!(
                            "{} is not a whole number of lots of {lot} ({}{up})",
                            l.quantity,
                            if down > 0 { format!("{down} or ") } else { String::new() }
                        ),
                    },
                ));
            }
            _ => {}
        }
        if let Some(p) = l.profit {
            check_percent(&mut e, || at("profit"), p, true);
        }
        let mut last = 0u32;
        for (k, t) in l.tiers.iter().enumerate() {
            if t.min_qty == 0 || t.min_qty <= last {
                e.push(FieldError::new(
                    at(&format!("tiers[{k}].min_qty")),
                    Problem::Invalid {
                        message: format!("{} must be above the tier before ({last})", t.min_qty),
                    },
                ));
            }
            last = last.max(t.min_qty);
            if let Some(d) = t.discount {
                check_percent(&mut e, || at(&format!("tiers[{k}].discount")), d, true);
            }
        }
    }
    if let PaymentTerms::Tt { deposit } = order.payment {
        check_percent(&mut e, || "payment.deposit".into(), deposit, false);
        if deposit.points() > Decimal::ONE_HUNDRED {
            e.push(FieldError::new(
                "payment.deposit",
                Problem::Invalid { message: "a deposit is at most 100%".into() },
            ));
        }
    }
    if let PaymentTerms::LcUsance { annual_rate, days, .. } = order.payment {
        check_percent(&mut e, || "payment.annual_rate".into(), annual_rate, true);
        if days == 0 {
            e.push(FieldError::new("payment.days", Problem::NotPositive { value: Decimal::ZERO }));
        }
    }
    if order.validity_days == 0 || order.validity_days > 365 {
        e.push(FieldError::new(
            "validity_days",
            Problem::Invalid {
                message: format!("{} is not a number of days from 1 to 365", order.validity_days),
            },
        ));
    }
    check_percent(&mut e, || "min_margin".into(), order.min_margin, true);
    for (k, f) in order.shipment_fees.iter().enumerate() {
        if f.amount < Decimal::ZERO {
            e.push(FieldError::new(
                format!("shipment_fees[{k}].amount"),
                Problem::Negative { value: f.amount },
            ));
        }
    }
    if let Some(o) = &order.offer {
        super::check_offer(o, order.lines.len(), &mut e);
    }
    if let Some(Freight::Fcl { container, box_rate }) = &order.freight {
        if profile.container(container).is_none() {
            let names: Vec<String> = profile.containers().into_iter().map(|c| c.name).collect();
            e.push(FieldError::new(
                "freight.container",
                Problem::Invalid {
                    message: format!(
                        "no container type `{container}` (there are {})",
                        names.join(", ")
                    ),
                },
            ));
        }
        if box_rate.amount < Decimal::ZERO {
            e.push(FieldError::new(
                "freight.box_rate.amount",
                Problem::Negative { value: box_rate.amount },
            ));
        }
    }
    if let Some(Freight::Amount { amount }) = &order.freight {
        if amount.amount < Decimal::ZERO {
            e.push(FieldError::new(
                "freight.amount.amount",
                Problem::Negative { value: amount.amount },
            ));
        }
    }
    e
}

fn packing(line: &WholesaleLine, quantity: u32) -> Result<Packing, Overflow> {
    let per = line.carton.pieces.max(1);
    let cartons = u64::from(quantity.div_ceil(per));
    let n = Decimal::from(cartons);
    let rest = quantity.checked_rem(per).unwrap_or(0);
    Ok(Packing {
        cartons,
        pieces_per_carton: per,
        last_carton: (rest != 0).then_some(rest),
        gross_kg: mul(line.carton.gross_kg, n, WHAT)?.normalize(),
        cbm: mul(line.carton.volume()?, n, WHAT)?.normalize(),
    })
}

/// A shipment's freight, with the W/M working or the containers behind it.
type FreightOut = (Option<Money>, Option<WmFreight>, Option<ContainerLoad>);

/// The freight of `cargo` (with its working), for the order's freight mode.
fn freight_of(
    order: &WholesaleOrder,
    profile: &Profile,
    cargo: Cargo,
) -> Result<FreightOut, OrderError> {
    Ok(match &order.freight {
        None => (None, None, None),
        Some(Freight::Amount { amount }) => (Some(*amount), None, None),
        Some(Freight::Wm { tariff }) => {
            let w = tariff.freight(cargo).map_err(|e| invalid(under("freight", e.0)))?;
            (Some(w.total), Some(w), None)
        }
        Some(Freight::Fcl { container, box_rate }) => {
            let Some(c) = profile.container(container) else {
                return Err(invalid(vec![FieldError::new(
                    "freight.container",
                    Problem::Invalid { message: format!("no container type `{container}`") },
                )]));
            };
            // `profile::load` checks that container types have a usable volume and payload
            // above zero; a zero in a profile built in code is a typed division error.
            let by_volume = div(cargo.cbm, c.usable_cbm, WHAT)?.ceil();
            let by_weight = div(cargo.kg, c.max_payload_kg, WHAT)?.ceil();
            let (n, limited_by) =
                if by_weight > by_volume { (by_weight, "weight") } else { (by_volume, "volume") };
            let n = n.max(Decimal::ONE);
            let count = u32::try_from(n.mantissa()).map_err(|_| Overflow { what: "containers" })?;
            let pct = |part: Decimal, whole: Decimal| -> Result<Percent, Overflow> {
                Ok(Percent::new(Rounding::HalfUp.round(
                    div(mul(part, Decimal::ONE_HUNDRED, WHAT)?, mul(whole, n, WHAT)?, WHAT)?,
                    2,
                )))
            };
            let load = ContainerLoad {
                container: c.name.clone(),
                count,
                volume_fill: pct(cargo.cbm, c.usable_cbm)?,
                weight_fill: pct(cargo.kg, c.max_payload_kg)?,
                limited_by: limited_by.to_owned(),
            };
            let total = Money::new(
                Rounding::HalfUp
                    .round(mul(box_rate.amount, n, WHAT)?, box_rate.currency.minor_units()),
                box_rate.currency,
            );
            (Some(total), None, Some(load))
        }
    })
}

fn engine_error(prefix: &str, e: B2bError) -> OrderError {
    match e {
        B2bError::Invalid(list) => invalid(
            list.0
                .into_iter()
                .map(|mut f| {
                    // The line's own fields sit under the line; the order's stay at the top.
                    if f.field.starts_with("cost.") || f.field == "quantity" || f.field == "price" {
                        f.field = format!("{prefix}.{}", f.field);
                    }
                    f
                })
                .collect(),
        ),
        B2bError::Overflow(o) => OrderError::Overflow(o),
    }
}

/// The B2B request of one line with its shares of the shipment's costs.
fn line_request(
    order: &WholesaleOrder,
    profile: &Profile,
    line: &WholesaleLine,
    quantity: u32,
    fees: Vec<ShipmentFee>,
    freight: Option<FreightCost>,
    charges: Vec<Money>,
) -> B2bRequest {
    B2bRequest {
        seller_currency: profile.seller_currency,
        quote_currency: order.quote_currency,
        quantity,
        cost: line.cost.clone(),
        shipment_fees: fees,
        handling: order.handling,
        loan: order.loan,
        term: order.term,
        freight,
        insurance: order.insurance,
        destination: order.destination.clone().map(|d| Destination { charges, ..d }),
        profit: line.profit.unwrap_or(order.profit),
        bank_charges: order.bank_charges,
        commission: order.commission,
        lc_discount: order.payment.interest(),
        fx: order.fx,
        price_rounding: order.price_rounding,
    }
}

/// A line's tier table and its warnings.
type Tiers = (Vec<LineTier>, Vec<String>);

/// Tier tables kept between quotes of one order as it is edited (the app quotes the order
/// again on every keystroke). A tier table depends on its line's product (everything but
/// the quantity ordered) and on the order's terms, never on the other lines, so a line
/// whose product and terms are unchanged keeps its table. Keep one memo per profile: a
/// table also depends on the profile's rates and containers, which the memo does not see.
#[derive(Debug, Clone, Default)]
pub struct TierMemo {
    /// The terms the tables were priced on: the order without its lines, buyer, offer and
    /// document fields.
    terms: Option<WholesaleOrder>,
    /// Each line's product (quantity 0) and its table.
    tables: Vec<(WholesaleLine, Tiers)>,
}

impl TierMemo {
    /// What a tier table depends on in `order`.
    fn terms_of(order: &WholesaleOrder) -> WholesaleOrder {
        // Field by field: the lines are not cloned only to be dropped.
        WholesaleOrder {
            buyer: Buyer::default(),
            term: order.term,
            place: String::new(),
            quote_currency: order.quote_currency,
            payment: order.payment,
            date: None,
            validity_days: 0,
            reference: None,
            sequence: 0,
            lines: Vec::new(),
            shipment_fees: order.shipment_fees.clone(),
            freight: order.freight.clone(),
            insurance: order.insurance,
            destination: order.destination.clone(),
            allocation: Allocation::default(),
            profit: order.profit,
            bank_charges: order.bank_charges,
            commission: order.commission,
            handling: order.handling,
            loan: order.loan,
            fx: order.fx,
            price_rounding: order.price_rounding,
            min_margin: order.min_margin,
            offer: None,
        }
    }

    fn product(line: &WholesaleLine) -> WholesaleLine {
        WholesaleLine { quantity: 0, moq: None, ..line.clone() }
    }
}

/// The line's tier table: each tier the line shipped alone at its least quantity.
fn tiers(
    order: &WholesaleOrder,
    profile: &Profile,
    i: usize,
    line: &WholesaleLine,
) -> Result<(Vec<LineTier>, Vec<String>), OrderError> {
    if line.tiers.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let lot = line.lot.unwrap_or(1).max(1);
    let at_qty = |q: u32| -> Result<(Decimal, Decimal), OrderError> {
        let pack = packing(line, q)?;
        // An amount is a shipment's price, taken whole; W/M and containers on the tier's
        // own cartons.
        let (f, _, _) = freight_of(order, profile, Cargo { cbm: pack.cbm, kg: pack.gross_kg })?;
        let freight = f.map(|m| FreightCost { amount: m, per: Basis::Shipment });
        let charges = order.destination.as_ref().map(|d| d.charges.clone()).unwrap_or_default();
        let req =
            line_request(order, profile, line, q, order.shipment_fees.clone(), freight, charges);
        b2b::price_and_landed(&req, &profile.rates)
            .map_err(|e| engine_error(&format!("lines[{i}].tiers"), e))
    };
    let mut table_tiers = Vec::with_capacity(line.tiers.len());
    let mut rules = Vec::with_capacity(line.tiers.len());
    let mut base = Decimal::ZERO;
    for (k, t) in line.tiers.iter().enumerate() {
        let q = t.min_qty.div_ceil(lot).saturating_mul(lot);
        let (price_at_q, landed_at_q) = at_qty(q)?;
        if k == 0 {
            base = price_at_q;
        }
        let (price, rule) = match t.discount.filter(|_| k > 0) {
            Some(d) => {
                (TierPrice::Discount(d), format!("{}% off the first tier", d.points().normalize()))
            }
            None => (
                TierPrice::UnitPrice(price_at_q),
                format!("profit target at {q} units shipped alone"),
            ),
        };
        rules.push(rule);
        table_tiers.push(Tier {
            min_qty: t.min_qty,
            max_qty: line.tiers.get(k.saturating_add(1)).map(|n| n.min_qty.saturating_sub(1)),
            price,
            flat_fee: Decimal::ZERO,
            unit_cost: Some(landed_at_q),
            segment: None,
            valid_from: None,
            valid_to: None,
            priority: 0,
        });
    }
    let table = TierTable {
        currency: order.quote_currency,
        mode: Default::default(),
        base_price: base,
        unit_cost: table_tiers.first().and_then(|t| t.unit_cost).unwrap_or_default(),
        tiers: table_tiers,
        lot_size: line.lot,
        rounding: order.price_rounding,
        min_margin: (!order.min_margin.is_zero()).then_some(order.min_margin),
        max_margin: None,
        allow_rising: false,
    };
    let (rows, warnings) = table.rows(&TierContext::default()).map_err(|e| {
        invalid(vec![FieldError::new(
            format!("lines[{i}].tiers"),
            Problem::Invalid { message: e.to_string() },
        )])
    })?;
    let out = rows
        .into_iter()
        .map(|row| {
            let k = line.tiers.iter().position(|t| t.min_qty == row.min_qty).unwrap_or(0);
            LineTier { rule: rules.get(k).cloned().unwrap_or_default(), row }
        })
        .collect();
    Ok((out, warnings))
}

/// Quotes a wholesale order on the seller's profile.
pub fn quote(order: &WholesaleOrder, profile: &Profile) -> Result<WholesaleQuote, OrderError> {
    quote_with(order, profile, &mut TierMemo::default())
}

/// [`quote`], keeping the tier tables in `memo` for the next quote of the same order: a
/// line whose product and terms did not change takes its table from there. The answer is
/// the same as [`quote`]'s.
pub fn quote_with(
    order: &WholesaleOrder,
    profile: &Profile,
    memo: &mut TierMemo,
) -> Result<WholesaleQuote, OrderError> {
    let errors = check(order, profile);
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let currency = order.quote_currency;
    let seller = profile.seller_currency;

    // Packing and the consolidated shipment.
    let packs: Vec<Packing> =
        order.lines.iter().map(|l| packing(l, l.quantity)).collect::<Result<_, _>>()?;
    let cbm = sum(packs.iter().map(|p| p.cbm), WHAT)?;
    let kg = sum(packs.iter().map(|p| p.gross_kg), WHAT)?;
    let cartons = packs.iter().map(|p| p.cartons).sum();
    let carries_freight = order.term.includes_freight();
    let (freight, wm, loads) = if carries_freight {
        freight_of(order, profile, Cargo { cbm, kg })?
    } else {
        (None, None, None)
    };

    // Allocation.
    let measures: Vec<Measures> = order
        .lines
        .iter()
        .zip(&packs)
        .map(|(l, p)| -> Result<Measures, Overflow> {
            Ok(Measures {
                kg: p.gross_kg,
                cbm: p.cbm,
                value: mul(l.cost.unit_cost, Decimal::from(l.quantity), WHAT)?,
                quantity: l.quantity,
            })
        })
        .collect::<Result<_, _>>()?;
    let n = order.lines.len();
    let freight_shares: Vec<Option<Money>> = match freight {
        Some(f) => allocate(f, &measures, order.allocation)?.into_iter().map(Some).collect(),
        None => vec![None; n],
    };
    let mut fee_shares: Vec<Vec<ShipmentFee>> = vec![Vec::new(); n];
    for f in &order.shipment_fees {
        let shares = allocate(Money::new(f.amount, seller), &measures, order.allocation)?;
        for (line, share) in fee_shares.iter_mut().zip(shares) {
            line.push(ShipmentFee { amount: share.amount, ..f.clone() });
        }
    }
    let mut charge_shares: Vec<Vec<Money>> = vec![Vec::new(); n];
    if let Some(d) = &order.destination {
        for c in &d.charges {
            for (line, share) in
                charge_shares.iter_mut().zip(allocate(*c, &measures, order.allocation)?)
            {
                line.push(share);
            }
        }
    }

    // Each line (its tier table from the memo when its product and the terms are unchanged).
    let terms = TierMemo::terms_of(order);
    if memo.terms.as_ref() != Some(&terms) {
        memo.tables.clear();
    }
    let mut fresh = Vec::with_capacity(n);
    let mut lines = Vec::with_capacity(n);
    let mut requests = Vec::with_capacity(n);
    for (i, line) in order.lines.iter().enumerate() {
        let fees = std::mem::take(&mut fee_shares[i]);
        let fees_share = Money::new(sum(fees.iter().map(|f| f.amount), WHAT)?, seller);
        let freight_share = freight_shares[i];
        let req = line_request(
            order,
            profile,
            line,
            line.quantity,
            fees,
            freight_share.map(|m| FreightCost { amount: m, per: Basis::Shipment }),
            std::mem::take(&mut charge_shares[i]),
        );
        let q = b2b::quote(&req, &profile.rates)
            .map_err(|e| engine_error(&format!("lines[{i}]"), e))?;
        let (tier_rows, tier_warnings) = if line.tiers.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            let product = TierMemo::product(line);
            let kept = memo.tables.iter().find(|(p, _)| *p == product).map(|(_, t)| t.clone());
            let t = match kept {
                Some(t) => t,
                None => tiers(order, profile, i, line)?,
            };
            fresh.push((product, t.clone()));
            t
        };
        lines.push(QuotedLine {
            sku: line.sku.clone(),
            description: line.description.clone(),
            hs_code: line.hs_code.clone(),
            quantity: line.quantity,
            unit_price: q.unit_price,
            amount: q.total,
            packing: packs[i].clone(),
            freight_share,
            fees_share,
            quote: q,
            tiers: tier_rows,
            tier_warnings,
        });
        requests.push(req);
    }
    memo.terms = Some(terms);
    memo.tables = fresh;

    // The order.
    let parts: Vec<(&Breakdown, u32)> =
        lines.iter().map(|l| (&l.quote.order_breakdown, 1)).collect();
    let breakdown = merge_breakdowns(currency, &parts)?;
    let total = breakdown.total;
    let margin = Percent::of_rounded(breakdown.amount(LineKind::Profit), total)?;
    let times = |f: fn(&QuotedLine) -> Decimal| -> Result<Decimal, Overflow> {
        sum(
            lines
                .iter()
                .map(|l| mul(f(l), Decimal::from(l.quantity), WHAT))
                .collect::<Result<Vec<_>, _>>()?,
            WHAT,
        )
    };
    let total_cost = times(|l| l.quote.results.total_cost)?;
    let fob = times(|l| l.quote.results.fob_net_income)?;
    let profit = times(|l| l.quote.results.profit)?;
    let mut rebate = Decimal::ZERO;
    for l in &order.lines {
        let per = div(
            mul(l.cost.unit_cost, l.cost.rebate_rate.fraction(), WHAT)?,
            add(Decimal::ONE, l.cost.vat_rate.fraction(), WHAT)?,
            WHAT,
        )?;
        rebate = add(rebate, mul(per, Decimal::from(l.quantity), WHAT)?, WHAT)?;
    }
    let results = OrderResults {
        total_cost: Money::new(total_cost, seller),
        fob_net_income: Money::new(fob, currency),
        fx_cost: if fob.is_zero() {
            Decimal::ZERO
        } else {
            Rounding::HalfUp.div_round(total_cost, fob, 2, WHAT)?
        },
        profit: Money::new(profit, seller),
        profit_rate: Percent::of_rounded(profit, total_cost)?,
        rebate_income: Money::new(Rounding::HalfUp.round(rebate, seller.minor_units()), seller),
    };

    // Discount and offer on the order as it ships.
    let quoted: Vec<Decimal> = lines.iter().map(|l| l.unit_price.amount).collect();
    let quantities: Vec<u32> = lines.iter().map(|l| l.quantity).collect();
    let pricers = requests
        .iter()
        .zip(&lines)
        .map(|(r, l)| b2b::Pricer::new(r, &l.quote))
        .collect::<Result<Vec<_>, _>>()?;
    let whole = |i: usize, price: i128| pricers.get(i)?.profit_at_minor(price);
    let judge = Judge {
        quantities: &quantities,
        currency,
        profit_at: |i: usize, price: Decimal| -> Result<Decimal, OrderError> {
            match pricers.get(i) {
                Some(p) => Ok(p.profit_at(price)?),
                None => Ok(Decimal::ZERO),
            }
        },
        whole: Some(&whole),
    };
    let max_discount = judge.max_discount(&quoted, order.min_margin)?;
    let offer = match &order.offer {
        None => None,
        Some(o) => Some(judge.verdict(o, &quoted, total, order.min_margin, &max_discount)?),
    };

    let label_term =
        lines.first().map_or_else(|| order.term.code().to_owned(), |l| l.quote.label.clone());
    let label = if order.place.trim().is_empty() {
        label_term
    } else {
        format!("{label_term} {}", order.place.trim())
    };
    let proforma = match order.date {
        None => None,
        Some(date) => {
            let valid_until = date.plus_days(order.validity_days).ok_or_else(|| {
                invalid(vec![FieldError::new(
                    "validity_days",
                    Problem::Invalid { message: "past the calendar".into() },
                )])
            })?;
            let prefix = profile.seller.as_ref().map_or("PI", |s| s.pi_prefix.as_str());
            let number =
                order.reference.clone().filter(|r| !r.trim().is_empty()).unwrap_or_else(|| {
                    format!(
                        "{prefix}-{:04}{:02}{:02}-{:03}",
                        date.year(),
                        date.month(),
                        date.day(),
                        order.sequence
                    )
                });
            Some(Proforma {
                number,
                date,
                valid_until,
                seller: profile.seller.clone(),
                buyer: order.buyer.clone(),
                terms_of_delivery: label.clone(),
                payment: order.payment.describe(),
                payment_terms: order.payment,
                language: order.buyer.document_language().to_owned(),
            })
        }
    };
    let code = order.term.code();
    let mut notes = Vec::new();
    if order.freight.is_some() && !order.term.includes_freight() {
        notes
            .push(format!("{code} does not carry the main freight: the freight given is not used"));
    }
    let insured = order.term.requires_insurance() || order.term.includes_destination();
    if order.insurance.is_some() && !insured {
        notes.push(format!("{code} does not carry insurance: the insurance given is not used"));
    }
    if order.destination.is_some() && !order.term.includes_destination() {
        notes.push(format!(
            "{code} does not carry destination costs: the destination charges, duty and import VAT given are not used"
        ));
    }
    Ok(WholesaleQuote {
        notes,
        label,
        currency,
        lines,
        shipment: Shipment {
            cartons,
            gross_kg: kg.normalize(),
            cbm: cbm.normalize(),
            freight,
            wm,
            containers: loads,
            allocation: order.allocation.describe().to_owned(),
        },
        total: Money::new(total, currency),
        breakdown,
        results,
        margin,
        max_discount,
        offer,
        proforma,
    })
}
