//! B2B export quotation, the way foreign-trade textbooks compute it (出口报价核算).
//!
//! # The one-step price, per unit, in the quote currency
//! - Export VAT rebate `R = cost / (1 + VAT) × rebate rate`; net cost `N = cost − R`
//!   (seller currency).
//! - Domestic fees `D`: per-shipment amounts (inland freight, inspection, customs, port and
//!   forwarding) over the quantity, counted from the term that includes their stage; a
//!   handling fee as a % of the purchase cost; loan interest `cost × annual rate × days /
//!   basis` (360 or 365, [`DayCount`]).
//! - Costs go into the quote currency at `r` (seller currency per quote unit; the bank
//!   buying rate by default, as textbooks do): `K = (N + D) / r`.
//! - Freight `F` (C- and D-terms) and destination charges `T` (DAP, DDP) per unit.
//! - Everything taken on the price goes in the denominator: profit `p`, bank charges `b`,
//!   commission `c`, L/C discount interest `l = annual rate × days / basis`, and insurance
//!   `i × cover` (CIF, CIP; cover 110% by default):
//!   `P = (K + F + T) / (1 − p − b − c − l − cover × i)`.
//! - DDP adds import duty on a documented customs value (the CIF or FOB price of the same
//!   costs, [`DutyBase`]) and import VAT on customs value + duty; they are passed through,
//!   not marked up.
//!
//! # Rounding points
//! The price goes **up** to the price grid (`price_rounding`: the minor unit by default,
//! or a step such as 0.05). Breakdown lines are half-up to the minor unit and the profit
//! line is the residual. The export results (换汇成本, 出口盈亏额, 出口盈亏率) are computed
//! from the rounded price, exactly, and shown as textbooks print them: amounts and the
//! FX cost half-up to 2 decimal places, the rate to 0.01 point.

pub mod freight;
pub mod tiers;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::breakdown::{Breakdown, Label, Line, LineKind};
use crate::check::{percent as check_percent, rate};
use crate::currency::Currency;
use crate::error::{FieldError, FieldErrors, Overflow, Problem};
use crate::fx::{RateSide, RateTable};
use crate::grid::{Grid, PriceRounding};
use crate::money::{add, div, mul, sub, sum, Money, Rounding};
use crate::percent::Percent;

/// The Incoterms 2020 rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum Incoterm {
    /// Ex Works.
    Exw,
    /// Free Carrier.
    Fca,
    /// Free On Board.
    Fob,
    /// Cost and Freight.
    Cfr,
    /// Carriage Paid To.
    Cpt,
    /// Cost, Insurance and Freight.
    Cif,
    /// Carriage and Insurance Paid To.
    Cip,
    /// Delivered At Place.
    Dap,
    /// Delivered Duty Paid.
    Ddp,
}

impl Incoterm {
    /// Export clearance and the costs to the port or carrier are the seller's.
    pub fn includes_export(self) -> bool {
        self != Incoterm::Exw
    }
    /// Main carriage is the seller's.
    pub fn includes_freight(self) -> bool {
        matches!(
            self,
            Incoterm::Cfr
                | Incoterm::Cpt
                | Incoterm::Cif
                | Incoterm::Cip
                | Incoterm::Dap
                | Incoterm::Ddp
        )
    }
    /// Insurance is the seller's obligation.
    pub fn requires_insurance(self) -> bool {
        matches!(self, Incoterm::Cif | Incoterm::Cip)
    }
    /// Costs at destination (to the named place) are the seller's.
    pub fn includes_destination(self) -> bool {
        matches!(self, Incoterm::Dap | Incoterm::Ddp)
    }
    /// The three-letter code.
    pub fn code(self) -> &'static str {
        match self {
            Incoterm::Exw => "EXW",
            Incoterm::Fca => "FCA",
            Incoterm::Fob => "FOB",
            Incoterm::Cfr => "CFR",
            Incoterm::Cpt => "CPT",
            Incoterm::Cif => "CIF",
            Incoterm::Cip => "CIP",
            Incoterm::Dap => "DAP",
            Incoterm::Ddp => "DDP",
        }
    }
}

/// Day-count basis for interest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayCount {
    /// Actual days / 360 (the textbooks' and most banks' default).
    #[default]
    Act360,
    /// Actual days / 365.
    Act365,
}

impl DayCount {
    fn days(self) -> Decimal {
        match self {
            DayCount::Act360 => Decimal::from(360),
            DayCount::Act365 => Decimal::from(365),
        }
    }
}

/// Interest at an annual rate for some days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Interest {
    /// Annual rate.
    pub annual_rate: Percent,
    /// Days.
    pub days: u32,
    /// 360 or 365.
    #[serde(default)]
    pub basis: DayCount,
}

impl Interest {
    /// `annual rate × days / basis`, as a fraction.
    pub fn fraction(self) -> Result<Decimal, Overflow> {
        div(
            mul(self.annual_rate.fraction(), Decimal::from(self.days), "interest")?,
            self.basis.days(),
            "interest",
        )
    }
}

/// Where a domestic fee is incurred, which decides the terms that include it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// At the factory (packing, inspection): every term.
    Origin,
    /// Getting the goods exported (inland freight, customs, port and forwarding): FCA/FOB
    /// and later.
    #[default]
    Export,
}

/// A per-shipment domestic fee, in the seller's currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ShipmentFee {
    /// A label, e.g. "Customs declaration".
    pub name: Label,
    /// Amount for the whole shipment.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub amount: Decimal,
    /// Origin or export.
    #[serde(default)]
    pub stage: Stage,
}

/// Purchase cost with VAT and the export rebate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PurchaseCost {
    /// VAT-inclusive purchase cost per unit, seller currency.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub unit_cost: Decimal,
    /// VAT rate included in the cost (13% in China for most goods).
    #[serde(default)]
    pub vat_rate: Percent,
    /// Export rebate rate.
    #[serde(default)]
    pub rebate_rate: Percent,
}

/// Insurance: `rate × cover` of the price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Insurance {
    /// Premium rate.
    pub rate: Percent,
    /// Insured amount as % of the price: 110 by default (CIF + 10%).
    #[serde(default = "cover_110")]
    pub cover: Percent,
}

fn cover_110() -> Percent {
    Percent::new(Decimal::from(110))
}

impl Insurance {
    /// `cover × rate` as a fraction of the price.
    pub fn fraction(self) -> Result<Decimal, Overflow> {
        mul(self.cover.fraction(), self.rate.fraction(), "insurance")
    }
}

/// What the customs value for import duty is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DutyBase {
    /// The CIF price of the goods (EU, most countries).
    #[default]
    Cif,
    /// The FOB price (USA, Canada, Australia).
    Fob,
}

/// Destination costs for DAP and DDP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Destination {
    /// Charges to the named place for the whole shipment, any currency (mid rate).
    #[serde(default)]
    pub charges: Vec<Money>,
    /// Import duty rate (DDP).
    #[serde(default)]
    pub duty_rate: Percent,
    /// Import VAT rate on customs value + duty (DDP).
    #[serde(default)]
    pub import_vat: Percent,
    /// Customs value for the duty.
    #[serde(default)]
    pub duty_base: DutyBase,
}

/// Whether an amount is per unit or for the whole shipment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Each unit.
    Unit,
    /// The whole shipment (spread over the quantity).
    #[default]
    Shipment,
}

/// Main-carriage freight, any currency (mid rate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FreightCost {
    /// The amount.
    pub amount: Money,
    /// Per unit or for the shipment.
    #[serde(default)]
    pub per: Basis,
}

/// Export-quotation exchange settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct B2bFx {
    /// Bank buying rate by default (foreign income sold to the bank).
    #[serde(default = "bank_buying")]
    pub side: RateSide,
    /// Exchange-risk buffer: costs are covered at `r × (1 − buffer)`.
    #[serde(default)]
    pub risk_buffer: Percent,
}

fn bank_buying() -> RateSide {
    RateSide::BankBuying
}

impl Default for B2bFx {
    fn default() -> Self {
        B2bFx { side: RateSide::BankBuying, risk_buffer: Percent::ZERO }
    }
}

/// A B2B export quotation request: one Incoterm, one quantity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct B2bRequest {
    /// The seller's currency (costs).
    pub seller_currency: Currency,
    /// The currency of the price.
    pub quote_currency: Currency,
    /// Units in the shipment.
    pub quantity: u32,
    /// Purchase cost, VAT and rebate.
    pub cost: PurchaseCost,
    /// Per-shipment domestic fees.
    #[serde(default)]
    pub shipment_fees: Vec<ShipmentFee>,
    /// Handling fee (业务定额费) as a % of the purchase cost.
    #[serde(default)]
    pub handling: Percent,
    /// Loan interest on the purchase cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loan: Option<Interest>,
    /// The term quoted.
    pub term: Incoterm,
    /// Main carriage (C- and D-terms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freight: Option<FreightCost>,
    /// Insurance (CIF, CIP; used for DAP and DDP when given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurance: Option<Insurance>,
    /// Destination charges, duty and import VAT (DAP, DDP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<Destination>,
    /// Profit on the price.
    pub profit: Percent,
    /// Bank charges on the price.
    #[serde(default)]
    pub bank_charges: Percent,
    /// Commission on the price (a commission-inclusive price such as CIFC3).
    #[serde(default)]
    pub commission: Percent,
    /// L/C discount interest folded into the price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lc_discount: Option<Interest>,
    /// Exchange settings.
    #[serde(default)]
    pub fx: B2bFx,
    /// How the price is rounded (always up).
    #[serde(default)]
    pub price_rounding: PriceRounding,
}

impl B2bRequest {
    /// Insurance as a fraction of the price (`cover × rate`), when the term carries it
    /// (CIF, CIP; DAP and DDP when given); 0 otherwise.
    fn insurance_on_price(&self) -> Result<Decimal, Overflow> {
        match &self.insurance {
            Some(i) if self.term.requires_insurance() || self.term.includes_destination() => {
                i.fraction()
            }
            _ => Ok(Decimal::ZERO),
        }
    }

    /// L/C discount interest as a fraction of the price; 0 without one.
    fn lc_on_price(&self) -> Result<Decimal, Overflow> {
        self.lc_discount.map_or(Ok(Decimal::ZERO), Interest::fraction)
    }
}

/// Export results: what the quote earns in the seller's currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ExportResults {
    /// Total export cost per unit, seller currency: net cost + domestic fees + bank charges
    /// and L/C interest at the rate.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub total_cost: Decimal,
    /// Net FOB income per unit, quote currency: the price less commission, freight,
    /// insurance and destination costs, duty and VAT.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub fob_net_income: Decimal,
    /// 换汇成本: seller currency spent per unit of net foreign income, 2 dp.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub fx_cost: Decimal,
    /// 出口盈亏额: net income at the rate less total cost, per unit, seller currency.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub profit: Decimal,
    /// 出口盈亏率: profit / total cost.
    pub profit_rate: Option<Percent>,
}

/// The seller-currency costs behind a quote, per unit and per order, half-up to the minor
/// unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CostSummary {
    /// Export VAT rebate per unit.
    pub rebate_per_unit: Money,
    /// Purchase cost less the rebate, per unit.
    pub net_cost_per_unit: Money,
    /// The same for the order.
    pub net_cost_per_order: Money,
    /// Domestic fees per unit (for this term).
    pub domestic_per_unit: Money,
    /// The same for the order.
    pub domestic_per_order: Money,
}

/// A B2B quotation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct B2bQuote {
    /// The term.
    pub term: Incoterm,
    /// As quoted: "FOB", "CIFC3" …
    pub label: String,
    /// Per unit, rounded up to the grid.
    pub unit_price: Money,
    /// The same without commission: `unit_price × (1 − commission)`, 4 dp half-up.
    pub net_price: Money,
    /// Units.
    pub quantity: u32,
    /// `unit_price × quantity`.
    pub total: Money,
    /// Per unit in the quote currency; sums to the unit price.
    pub breakdown: Breakdown,
    /// The same lines for the whole quantity, each worked out on the quantity and then
    /// half-up to the minor unit; sums to the total.
    pub order_breakdown: Breakdown,
    /// Export results.
    pub results: ExportResults,
    /// Seller-currency costs.
    pub costs: CostSummary,
    /// Seller currency per quote unit used for costs (after the risk buffer).
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub rate: Decimal,
    /// How the price was rounded, in words.
    pub rounding: String,
}

/// Why a B2B quote could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum B2bError {
    /// The request has problems; all are listed.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// A computation overflowed.
    #[error(transparent)]
    Overflow(#[from] Overflow),
}

const WHAT: &str = "the B2B quote";

/// The one-step price for the request's term, with its breakdown and export results.
pub fn quote(req: &B2bRequest, rates: &RateTable) -> Result<B2bQuote, B2bError> {
    run(req, rates, None, true)
}

/// The quoted unit price and the landed cost behind it (the price less its profit line),
/// without the order breakdown: what a tier table needs of a quote at each tier.
pub(crate) fn price_and_landed(
    req: &B2bRequest,
    rates: &RateTable,
) -> Result<(Decimal, Decimal), B2bError> {
    let q = run(req, rates, None, false)?;
    let price = q.unit_price.amount;
    Ok((price, sub(price, q.breakdown.amount(LineKind::Profit), WHAT)?))
}

/// The request's figures at a given unit price (a buyer's price, an order's discounted
/// one): the breakdown with the profit line as the residual, and the export results
/// (换汇成本, profit and its rate) at that price. The price is taken as given, not rounded.
pub fn evaluate(req: &B2bRequest, rates: &RateTable, price: Decimal) -> Result<B2bQuote, B2bError> {
    if price < Decimal::ZERO {
        return Err(B2bError::Invalid(FieldErrors(vec![FieldError::new(
            "price",
            Problem::Negative { value: price },
        )])));
    }
    run(req, rates, Some(price), true)
}

/// A quote's request ready for many prices: the order desk asks a line's profit at every
/// step of a discount search and at the buyer's offer. The lines that do not depend on the
/// price (costs, rebate, fees, freight, destination, duty) are the quote's; the ones taken
/// on the price (insurance, bank charges, commission, L/C interest) are worked out again,
/// half-up to the minor unit as [`quote`] does, and the profit is the residual.
#[derive(Debug, Clone, PartialEq)]
pub struct Pricer {
    constant: Decimal,
    on_price: Vec<Decimal>,
    minor: u32,
    /// The same in whole numbers, when they fit: the constant in minor units, each rate
    /// on the price as `numerator / 10^scale`. A price in minor units is then priced in
    /// integers, to the same result as the decimal path.
    whole: Option<WholePricer>,
}

#[derive(Debug, Clone, PartialEq)]
struct WholePricer {
    constant: i128,
    on_price: Vec<(i128, i128)>,
}

impl WholePricer {
    fn new(constant: Decimal, on_price: &[Decimal], minor: u32) -> Option<WholePricer> {
        let to_minor = |d: Decimal| -> Option<i128> {
            let up = minor.checked_sub(d.scale())?;
            d.mantissa().checked_mul(*crate::money::POW10.get(up as usize)?)
        };
        let on_price = on_price
            .iter()
            // Small numerators: the products stay in range for any price a quote has.
            .filter(|f| f.scale() <= 18 && f.mantissa().unsigned_abs() < 1 << 30)
            .map(|f| Some((f.mantissa(), *crate::money::POW10.get(f.scale() as usize)?)))
            .collect::<Option<Vec<_>>>()?;
        Some(WholePricer { constant: to_minor(constant)?, on_price })
    }

    /// Profit per unit in minor units at `price` minor units; `None` past 126 bits.
    fn profit_at(&self, price: i128) -> Option<i128> {
        let mut profit = price.checked_sub(self.constant)?;
        for (n, d) in &self.on_price {
            let on = price.checked_mul(*n).filter(|x| x.unsigned_abs() < 1 << 126)?;
            profit = profit.checked_sub(Rounding::HalfUp.divide(on, *d))?;
        }
        Some(profit)
    }
}

impl Pricer {
    /// The pricer of `req`, from its quote.
    pub fn new(req: &B2bRequest, quote: &B2bQuote) -> Result<Pricer, Overflow> {
        let constant = sum(
            quote
                .breakdown
                .lines
                .iter()
                .filter(|l| !matches!(l.kind, LineKind::Fee | LineKind::Profit))
                .map(|l| l.amount),
            WHAT,
        )?;
        let on_price = [
            req.insurance_on_price()?,
            req.bank_charges.fraction(),
            req.commission.fraction(),
            req.lc_on_price()?,
        ]
        .into_iter()
        .filter(|f| !f.is_zero())
        .collect::<Vec<_>>();
        let minor = req.quote_currency.minor_units();
        let whole = WholePricer::new(constant, &on_price, minor)
            .filter(|w| w.on_price.len() == on_price.len());
        Ok(Pricer { constant, on_price, minor, whole })
    }

    /// The breakdown's profit line per unit at `price`.
    pub fn profit_at(&self, price: Decimal) -> Result<Decimal, Overflow> {
        // A price in minor units (every price the desk tries): in integers.
        if let (Some(w), true) = (&self.whole, price.scale() <= self.minor) {
            let up = crate::money::POW10.get(self.minor.saturating_sub(price.scale()) as usize);
            // The decimal path's scale: the price's and the constant's, or the minor
            // unit's once a rounded rate is taken off.
            let scale = if self.on_price.is_empty() {
                price.scale().max(self.constant.scale())
            } else {
                self.minor
            };
            let profit = up
                .and_then(|u| price.mantissa().checked_mul(*u))
                .and_then(|p| w.profit_at(p))
                .and_then(|p| Decimal::try_from_i128_with_scale(p, self.minor).ok());
            if let Some(mut p) = profit {
                p.rescale(scale);
                return Ok(p);
            }
        }
        self.profit_at_decimal(price)
    }

    /// [`Pricer::profit_at`] in minor units, for a price in minor units: `None` where the
    /// rates or a number are not whole enough (the decimal path then answers).
    pub(crate) fn profit_at_minor(&self, price: i128) -> Option<i128> {
        self.whole.as_ref()?.profit_at(price)
    }

    /// [`Pricer::profit_at`] in decimals: any price.
    fn profit_at_decimal(&self, price: Decimal) -> Result<Decimal, Overflow> {
        let mut profit = sub(price, self.constant, WHAT)?;
        for f in &self.on_price {
            profit = sub(profit, Rounding::HalfUp.round(mul(price, *f, WHAT)?, self.minor), WHAT)?;
        }
        Ok(profit)
    }
}

/// The quote at the grid price (or at `given`); `full`: with the order breakdown.
fn run(
    req: &B2bRequest,
    rates: &RateTable,
    given: Option<Decimal>,
    full: bool,
) -> Result<B2bQuote, B2bError> {
    let mut errors = Vec::new();
    let q = req.quote_currency;
    let s = req.seller_currency;
    if req.quantity == 0 {
        errors.push(FieldError::new("quantity", Problem::NotPositive { value: Decimal::ZERO }));
    }
    if req.cost.unit_cost < Decimal::ZERO {
        errors.push(FieldError::new(
            "cost.unit_cost",
            Problem::Negative { value: req.cost.unit_cost },
        ));
    }
    check_percent(&mut errors, || "cost.vat_rate".into(), req.cost.vat_rate, false);
    check_percent(&mut errors, || "cost.rebate_rate".into(), req.cost.rebate_rate, false);
    if req.cost.rebate_rate > req.cost.vat_rate {
        errors.push(FieldError::new(
            "cost.rebate_rate",
            Problem::Invalid {
                message: format!(
                    "the rebate rate {} is above the VAT rate {}",
                    req.cost.rebate_rate, req.cost.vat_rate
                ),
            },
        ));
    }
    for (i, f) in req.shipment_fees.iter().enumerate() {
        if f.amount < Decimal::ZERO {
            errors.push(FieldError::new(
                format!("shipment_fees[{i}].amount"),
                Problem::Negative { value: f.amount },
            ));
        }
    }
    check_percent(&mut errors, || "handling".into(), req.handling, false);
    if let Some(l) = &req.loan {
        check_percent(&mut errors, || "loan.annual_rate".into(), l.annual_rate, false);
    }
    check_percent(&mut errors, || "profit".into(), req.profit, true);
    check_percent(&mut errors, || "bank_charges".into(), req.bank_charges, true);
    check_percent(&mut errors, || "commission".into(), req.commission, true);
    if let Some(l) = &req.lc_discount {
        check_percent(&mut errors, || "lc_discount.annual_rate".into(), l.annual_rate, false);
    }
    check_percent(&mut errors, || "fx.risk_buffer".into(), req.fx.risk_buffer, true);
    errors.extend(req.price_rounding.validate(q, "price_rounding"));

    let term = req.term;
    if term.includes_freight() && req.freight.is_none() {
        errors.push(FieldError::new(
            "freight",
            Problem::Invalid { message: format!("{} needs the freight", term.code()) },
        ));
    }
    if term.requires_insurance() && req.insurance.is_none() {
        errors.push(FieldError::new(
            "insurance",
            Problem::Invalid { message: format!("{} needs the insurance rate", term.code()) },
        ));
    }
    if term == Incoterm::Ddp && req.destination.is_none() {
        errors.push(FieldError::new(
            "destination",
            Problem::Invalid { message: "DDP needs the duty and import VAT rates".into() },
        ));
    }
    if let (Some(ins), true) =
        (&req.insurance, term.requires_insurance() || term.includes_destination())
    {
        check_percent(&mut errors, || "insurance.rate".into(), ins.rate, true);
        check_percent(&mut errors, || "insurance.cover".into(), ins.cover, false);
    }
    let insurance = req.insurance_on_price()?;
    let r = rate(&mut errors, rates, || "quote_currency".into(), q, s, req.fx.side)?;
    let r = r.scaled(sub(Decimal::ONE, req.fx.risk_buffer.fraction(), WHAT)?)?;
    let qty = Decimal::from(req.quantity.max(1));
    let per_unit = |m: Decimal, basis: Basis| -> Result<Decimal, Overflow> {
        match basis {
            Basis::Unit => Ok(m),
            Basis::Shipment => div(m, qty, WHAT),
        }
    };
    let freight = match (&req.freight, term.includes_freight()) {
        (Some(f), true) => {
            if f.amount.amount < Decimal::ZERO {
                errors.push(FieldError::new(
                    "freight.amount.amount",
                    Problem::Negative { value: f.amount.amount },
                ));
            }
            let fr = rate(
                &mut errors,
                rates,
                || "freight.amount.currency".into(),
                f.amount.currency,
                q,
                RateSide::Mid,
            )?;
            per_unit(fr.convert(f.amount.amount)?, f.per)?
        }
        _ => Decimal::ZERO,
    };
    let mut destination = Decimal::ZERO;
    if let (Some(d), true) = (&req.destination, term.includes_destination()) {
        for (i, c) in d.charges.iter().enumerate() {
            if c.amount < Decimal::ZERO {
                errors.push(FieldError::new(
                    format!("destination.charges[{i}].amount"),
                    Problem::Negative { value: c.amount },
                ));
            }
            let cr = rate(
                &mut errors,
                rates,
                || format!("destination.charges[{i}].currency"),
                c.currency,
                q,
                RateSide::Mid,
            )?;
            destination =
                add(destination, per_unit(cr.convert(c.amount)?, Basis::Shipment)?, WHAT)?;
        }
        check_percent(&mut errors, || "destination.duty_rate".into(), d.duty_rate, false);
        check_percent(&mut errors, || "destination.import_vat".into(), d.import_vat, false);
    }
    let lc = req.lc_on_price()?;
    let on_price = sum(
        [
            req.profit.fraction(),
            req.bank_charges.fraction(),
            req.commission.fraction(),
            lc,
            insurance,
        ],
        WHAT,
    )?;
    if on_price >= Decimal::ONE {
        errors.push(FieldError::new(
            "profit",
            Problem::Invalid {
                message: format!(
                    "profit, commission, bank charges and insurance take the whole price: {}% >= 100%",
                    mul(on_price, Decimal::ONE_HUNDRED, WHAT)?.normalize()
                ),
            },
        ));
    }
    if !errors.is_empty() {
        return Err(B2bError::Invalid(FieldErrors(errors)));
    }

    // Seller-currency costs per unit.
    let cost = req.cost.unit_cost;
    let rebate = div(
        mul(cost, req.cost.rebate_rate.fraction(), WHAT)?,
        add(Decimal::ONE, req.cost.vat_rate.fraction(), WHAT)?,
        WHAT,
    )?;
    let mut domestic: Vec<(Label, Decimal)> = Vec::new();
    for f in &req.shipment_fees {
        if f.stage == Stage::Origin || term.includes_export() {
            domestic.push((f.name.clone(), div(f.amount, qty, WHAT)?));
        }
    }
    if !req.handling.is_zero() {
        domestic.push((Label::Fixed("Handling fee"), mul(cost, req.handling.fraction(), WHAT)?));
    }
    if let Some(l) = &req.loan {
        domestic.push((Label::Fixed("Loan interest"), mul(cost, l.fraction()?, WHAT)?));
    }
    let domestic_total = sum(domestic.iter().map(|d| d.1), WHAT)?;
    let net_cost = sub(cost, rebate, WHAT)?;
    let k = r.convert_back(add(net_cost, domestic_total, WHAT)?)?;

    let den = sub(Decimal::ONE, on_price, WHAT)?;
    let exact = div(add(add(k, freight, WHAT)?, destination, WHAT)?, den, WHAT)?;
    let (duty, import_vat) = match (&req.destination, term) {
        (Some(d), Incoterm::Ddp) => {
            let value = match d.duty_base {
                DutyBase::Cif => div(add(k, freight, WHAT)?, den, WHAT)?,
                // The FOB price of the same costs: no freight, no insurance in the denominator.
                DutyBase::Fob => div(k, add(den, insurance, WHAT)?, WHAT)?,
            };
            let duty = mul(value, d.duty_rate.fraction(), WHAT)?;
            (duty, mul(add(value, duty, WHAT)?, d.import_vat.fraction(), WHAT)?)
        }
        _ => (Decimal::ZERO, Decimal::ZERO),
    };
    let exact = sum([exact, duty, import_vat], WHAT)?;
    let grid: Grid = req.price_rounding.grid(q);
    let price = match given {
        Some(p) => p,
        None => grid.ceil(exact)?,
    };

    // Breakdown per unit, quote currency.
    let minor = q.minor_units();
    // The lines for `m` units, each half-up to the minor unit: per unit (m = 1) and for
    // the whole quantity, so order totals are not per-unit roundings times the quantity.
    // Seller-currency costs in the quote currency, converted once for both breakdowns.
    let cost_q = r.convert_back(cost)?;
    let rebate_q = r.convert_back(rebate)?;
    let domestic_q = domestic
        .iter()
        .map(|(n, v)| Ok((n, r.convert_back(*v)?)))
        .collect::<Result<Vec<_>, Overflow>>()?;
    let lines_for = |m: Decimal| -> Result<Vec<Line>, Overflow> {
        let hu = |x: Decimal| -> Result<Decimal, Overflow> {
            Ok(Rounding::HalfUp.round(mul(x, m, WHAT)?, minor))
        };
        // The purchase, the rebate, the domestic fees and at most eight more: one allocation.
        let mut lines = Vec::with_capacity(domestic_q.len().saturating_add(10));
        lines.push(Line {
            kind: LineKind::Purchase,
            label: Label::Fixed("Purchase cost (VAT incl.)"),
            amount: hu(cost_q)?,
        });
        if !rebate.is_zero() {
            lines.push(Line {
                kind: LineKind::OtherCost,
                label: Label::Fixed("Export VAT rebate"),
                amount: sub(Decimal::ZERO, hu(rebate_q)?, WHAT)?,
            });
        }
        for (name, v) in &domestic_q {
            lines.push(Line { kind: LineKind::OtherCost, label: (*name).clone(), amount: hu(*v)? });
        }
        let on = |f: Decimal| -> Result<Decimal, Overflow> { hu(mul(price, f, WHAT)?) };
        let mut push = |kind, label: &'static str, amount: Decimal| {
            if !amount.is_zero() {
                lines.push(Line { kind, label: Label::Fixed(label), amount });
            }
        };
        push(LineKind::Shipping, "Freight", hu(freight)?);
        push(LineKind::Fee, "Insurance", on(insurance)?);
        push(LineKind::OtherCost, "Destination charges", hu(destination)?);
        push(LineKind::OtherCost, "Import duty", hu(duty)?);
        push(LineKind::OtherCost, "Import VAT", hu(import_vat)?);
        push(LineKind::Fee, "Bank charges", on(req.bank_charges.fraction())?);
        push(LineKind::Fee, "Commission", on(req.commission.fraction())?);
        push(LineKind::Fee, "L/C discount interest", on(lc)?);
        Ok(lines)
    };
    let breakdown = Breakdown::with_residual_profit(q, price, lines_for(Decimal::ONE)?)?;
    let order_breakdown = if full {
        Breakdown::with_residual_profit(q, mul(price, qty, WHAT)?, lines_for(qty)?)?
    } else {
        // Only the price and the per-unit lines are read (see `price_and_landed`).
        Breakdown { currency: q, total: mul(price, qty, WHAT)?, lines: Vec::new() }
    };

    // Export results at the rounded price.
    let commission = mul(price, req.commission.fraction(), WHAT)?;
    let fob_net = sub(
        price,
        sum(
            [commission, freight, mul(price, insurance, WHAT)?, destination, duty, import_vat],
            WHAT,
        )?,
        WHAT,
    )?;
    let price_costs = r.convert(mul(price, add(req.bank_charges.fraction(), lc, WHAT)?, WHAT)?)?;
    let total_cost = sum([net_cost, domestic_total, price_costs], WHAT)?;
    let income = r.convert(fob_net)?;
    let profit = sub(income, total_cost, WHAT)?;
    let fx_cost = if fob_net.is_zero() {
        Decimal::ZERO
    } else {
        Rounding::HalfUp.div_round(total_cost, fob_net, 2, WHAT)?
    };
    let results = ExportResults {
        total_cost: Rounding::HalfUp.round(total_cost, 2),
        fob_net_income: Rounding::HalfUp.round(fob_net, 2),
        fx_cost,
        profit: Rounding::HalfUp.round(profit, 2),
        profit_rate: Percent::of_rounded(profit, total_cost)?,
    };
    let label = if req.commission.is_zero() {
        term.code().to_owned()
    } else {
        format!("{}C{}", term.code(), req.commission.points().normalize())
    };
    let sm = |x: Decimal| -> Result<Money, Overflow> {
        Ok(Money::new(Rounding::HalfUp.round(x, s.minor_units()), s))
    };
    let costs = CostSummary {
        rebate_per_unit: sm(rebate)?,
        net_cost_per_unit: sm(net_cost)?,
        net_cost_per_order: sm(mul(net_cost, qty, WHAT)?)?,
        domestic_per_unit: sm(domestic_total)?,
        domestic_per_order: sm(mul(domestic_total, qty, WHAT)?)?,
    };
    Ok(B2bQuote {
        term,
        costs,
        label,
        unit_price: Money::new(price, q),
        net_price: Money::new(
            Rounding::HalfUp
                .round(mul(price, sub(Decimal::ONE, req.commission.fraction(), WHAT)?, WHAT)?, 4),
            q,
        ),
        quantity: req.quantity,
        total: Money::new(mul(price, qty, WHAT)?, q),
        breakdown,
        order_breakdown,
        results,
        rate: r.value()?,
        rounding: match given {
            Some(_) => "the price as given".to_owned(),
            None => format!(
                "rounded up to a multiple of {} {q}{}",
                grid.step,
                if grid.ending.is_zero() {
                    String::new()
                } else {
                    format!(" ending in {}", grid.ending)
                }
            ),
        },
    })
}

/// Term conversion inputs: the freight per unit and the insurance, in the price's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Conversion {
    /// Freight per unit.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub freight: Decimal,
    /// Insurance rate and cover.
    pub insurance: Insurance,
}

fn family(t: Incoterm) -> Option<u8> {
    match t {
        Incoterm::Fob | Incoterm::Fca => Some(0),
        Incoterm::Cfr | Incoterm::Cpt => Some(1),
        Incoterm::Cif | Incoterm::Cip => Some(2),
        _ => None,
    }
}

/// Converts a net price between FOB/FCA, CFR/CPT and CIF/CIP:
/// `CFR = FOB + F`, `CIF = CFR / (1 − cover × i)`, and back
/// `FOB = CIF × (1 − cover × i) − F`. The result is rounded **up** to `grid`.
pub fn convert_term(
    price: Decimal,
    from: Incoterm,
    to: Incoterm,
    c: &Conversion,
    grid: Grid,
) -> Result<Decimal, B2bError> {
    let (Some(a), Some(b)) = (family(from), family(to)) else {
        return Err(B2bError::Invalid(FieldErrors(vec![FieldError::new(
            "term",
            Problem::Invalid {
                message: format!(
                    "{} to {} is not a FOB/CFR/CIF (FCA/CPT/CIP) conversion",
                    from.code(),
                    to.code()
                ),
            },
        )])));
    };
    let keep = sub(Decimal::ONE, c.insurance.fraction()?, WHAT)?;
    if keep <= Decimal::ZERO {
        return Err(B2bError::Invalid(FieldErrors(vec![FieldError::new(
            "insurance",
            Problem::PercentTooLarge { value: c.insurance.rate.points() },
        )])));
    }
    // Down to FOB, then up to the target.
    let mut p = price;
    if a == 2 {
        p = mul(p, keep, WHAT)?;
    }
    if a >= 1 {
        p = sub(p, c.freight, WHAT)?;
    }
    if b >= 1 {
        p = add(p, c.freight, WHAT)?;
    }
    if b == 2 {
        p = div(p, keep, WHAT)?;
    }
    Ok(grid.ceil(p)?)
}

/// A commission-inclusive price from a net one: `net / (1 − c)`, rounded up to `grid`.
pub fn with_commission(net: Decimal, commission: Percent, grid: Grid) -> Result<Decimal, B2bError> {
    let keep = sub(Decimal::ONE, commission.fraction(), WHAT)?;
    if keep <= Decimal::ZERO || commission.points() < Decimal::ZERO {
        return Err(B2bError::Invalid(FieldErrors(vec![FieldError::new(
            "commission",
            Problem::PercentTooLarge { value: commission.points() },
        )])));
    }
    Ok(grid.ceil(div(net, keep, WHAT)?)?)
}

/// The commission amount and the net price of a commission-inclusive price, both half-up
/// to `places`: `(gross × c, gross − gross × c)`.
pub fn split_commission(
    gross: Decimal,
    commission: Percent,
    places: u32,
) -> Result<(Decimal, Decimal), B2bError> {
    let amount = Rounding::HalfUp.round(mul(gross, commission.fraction(), WHAT)?, places);
    Ok((amount, sub(gross, amount, WHAT)?))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: 10_000, failure_persistence: None, ..Default::default() })]
        /// A price in minor units priced in integers gives the decimal path's profit, to
        /// the scale.
        #[test]
        fn whole_pricer_matches_the_decimal_one(
            constant in -10_000_000i64..10_000_000, cs in 0..=2u32,
            rates in proptest::collection::vec((0i64..50_000, 0..=6u32), 0..5),
            price in 0i64..100_000_000, ps in 0..=2u32, minor in 0..=3u32,
        ) {
            let constant = Decimal::new(constant, cs.min(minor));
            let on_price: Vec<Decimal> = rates.into_iter().map(|(m, s)| Decimal::new(m, s)).filter(|f| !f.is_zero()).collect();
            let whole = WholePricer::new(constant, &on_price, minor);
            proptest::prop_assert!(whole.is_some());
            let pricer = Pricer { constant, on_price, minor, whole };
            let price = Decimal::new(price, ps.min(minor));
            let fast = pricer.profit_at(price).unwrap();
            let slow = pricer.profit_at_decimal(price).unwrap();
            proptest::prop_assert_eq!(fast.to_string(), slow.to_string());
        }
    }
}
