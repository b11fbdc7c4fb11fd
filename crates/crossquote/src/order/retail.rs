//! A retail (B2C) basket: several items, each with its quantity, to one buyer, shipped
//! together and priced as one order.
//!
//! # How it is worked out
//! 1. Every item is checked (all problems at once, at `items[i].field`).
//! 2. Packing, per service: all pieces in one bag ([`logistics::bag`]) when the service
//!    carries it; otherwise the items, heaviest piece first, fill parcels in turn, each
//!    parcel taking as many pieces as still fit the service's weight, length and girth
//!    limits and its rate card (first fit, found by bisection on the count). A piece that
//!    fits no parcel alone makes the service unable to carry the basket, and the limit is
//!    named. Parcels are priced each on its own ([`Pricing::PerParcel`]).
//! 3. The service is the one named, or the cheapest (then fastest) that can carry the
//!    basket; every service's price (or why it cannot) is in the answer.
//! 4. The basket's shipping, converted to the seller's currency at mid, is allocated to
//!    the items on the order's [`Allocation`] basis (by weight unless named), and so are
//!    per-order fixed fees; each item is then a [`b2c::quote`] at its own quantity with
//!    its share folded in as free shipping.
//! 5. The order: line totals (sale price × quantity) and their sum, the merged breakdown
//!    in both currencies, profit and margin, break-even, the market's VAT rule judged on
//!    the order's value, the instalment line, every price shown checked against the
//!    market's avoided numbers, and the largest discount off every item's sale price (in
//!    0.01-point steps, each price half-up to the minor unit) that keeps the floor margin
//!    on the order.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    allocate, invalid, merge_breakdowns, Allocation, Judge, Measures, Offer, OfferVerdict,
    OrderDiscount, OrderError,
};
use crate::b2c::{
    self, B2cQuote, B2cRequest, Coupon, FxSettings, Per, ProfitTarget, QuoteError, Shipping,
    UnitCosts,
};
use crate::breakdown::{Breakdown, LineKind};
use crate::currency::Currency;
use crate::error::{FieldError, Overflow, Problem};
use crate::grid::PriceRounding;
use crate::logistics::{self, Parcel, Pricing, Service, ShippingError, ShippingQuote};
use crate::market::{InstalmentPlan, Market, VatQuote};
use crate::money::{mul, sum, Money};
use crate::percent::Percent;
use crate::profile::Profile;

const WHAT: &str = "a retail order";

/// The most pieces one basket may hold (a larger order is a wholesale one).
pub const MAX_PIECES: u32 = 1000;

/// The service choice meaning "the cheapest that can carry the basket".
pub const CHEAPEST: &str = "cheapest";

fn cheapest() -> String {
    CHEAPEST.to_owned()
}

/// One item of a basket: its costs per piece, one piece's parcel, and how many.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RetailItem {
    /// SKU or name, as the agent knows it.
    #[serde(default)]
    pub name: String,
    /// Purchase cost per piece, seller currency.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub cost: Decimal,
    /// Packaging per piece, seller currency.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(default, with = "crate::serde_dec")]
    pub packaging: Decimal,
    /// Other costs per piece, seller currency.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(default, with = "crate::serde_dec")]
    pub other: Decimal,
    /// One piece, packed: weight and sides.
    pub parcel: Parcel,
    /// Pieces ordered.
    pub quantity: u32,
}

/// A retail order: one platform, one destination, one or more items shipped together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RetailOrder {
    /// The platform whose fee schedule applies (a profile platform id).
    pub platform: String,
    /// The buyer's country (alpha-2; a profile market: currency, VAT, instalments …).
    pub country: String,
    /// The items.
    pub items: Vec<RetailItem>,
    /// A service id, or `cheapest`.
    #[serde(default = "cheapest")]
    pub service: String,
    /// The address is in a remote area of its zone (remote-area surcharge).
    #[serde(default)]
    pub remote: bool,
    /// Margin on the price or markup on cost.
    pub profit: ProfitTarget,
    /// A promotion off the list price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion: Option<Percent>,
    /// Coupons the seller funds.
    #[serde(default)]
    pub coupons: Vec<Coupon>,
    /// Price grid and ending.
    #[serde(default)]
    pub price_rounding: PriceRounding,
    /// Rate side and risk buffer.
    #[serde(default)]
    pub fx: FxSettings,
    /// How the basket's shipping and per-order fees are split between the items.
    #[serde(default)]
    pub allocation: Allocation,
    /// The least margin a discount or an offer may leave on the order (0 by default: no
    /// loss).
    #[serde(default)]
    pub floor_margin: Percent,
    /// The buyer's offer, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<Offer>,
}

/// One parcel of the basket: what is in it and how it was priced.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PackedParcel {
    /// (item index, pieces) in this parcel.
    pub contents: Vec<(usize, u32)>,
    /// The parcel as priced.
    pub parcel: Parcel,
}

/// A service's price for the whole basket.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ShippingOption {
    /// The parcels and the price of all of them.
    pub quote: ShippingQuote,
    /// How the basket was packed for this service.
    pub parcels: Vec<PackedParcel>,
    /// Why it was split, when it was: the first limit one bag broke.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split_because: Option<String>,
}

/// A service that cannot carry the basket, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Refusal {
    /// Service id.
    pub service: String,
    /// Why, in words.
    pub reason: String,
}

/// One item of the answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RetailLine {
    /// The item's name.
    pub name: String,
    /// Pieces.
    pub quantity: u32,
    /// Its share of the basket's shipping, seller currency.
    pub shipping_share: Money,
    /// The item's quote at its quantity (list and sale price per piece, breakdowns).
    pub quote: B2cQuote,
    /// Sale price × quantity.
    pub amount: Money,
}

/// The answer for a retail order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RetailQuote {
    /// The buyer's currency.
    pub currency: Currency,
    /// The items, in order.
    pub lines: Vec<RetailLine>,
    /// The service chosen and its parcels.
    pub shipping: ShippingOption,
    /// The basket's shipping in the seller's currency (mid), as allocated.
    pub shipping_seller: Money,
    /// How shipping and per-order fees were split: "by weight".
    pub allocation: String,
    /// Every service that can carry the basket, cheapest first.
    pub options: Vec<ShippingOption>,
    /// The services that cannot, with the reason.
    pub refused: Vec<Refusal>,
    /// Pieces in the order.
    pub pieces: u32,
    /// Σ list price × quantity.
    pub list_total: Money,
    /// Σ sale price × quantity: what the buyer pays.
    pub total: Money,
    /// The order's breakdown in the buyer's currency; sums to `total`.
    pub breakdown: Breakdown,
    /// The same in the seller's currency.
    pub seller_breakdown: Breakdown,
    /// Profit on the order, buyer's currency.
    pub profit: Money,
    /// Profit / total.
    pub margin: Option<Percent>,
    /// Σ break-even price × quantity.
    pub break_even_total: Money,
    /// The market's VAT rule, judged on the order's value.
    pub vat: VatQuote,
    /// The instalment line for the order total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instalments: Option<InstalmentPlan>,
    /// Prices shown that contain a number the market avoids.
    pub price_warnings: Vec<String>,
    /// The largest discount on the order that keeps `floor_margin`.
    pub max_discount: OrderDiscount,
    /// The verdict on the offer, when the order has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<OfferVerdict>,
}

fn check(order: &RetailOrder, profile: &Profile) -> Vec<FieldError> {
    let mut e = Vec::new();
    if profile.platform(&order.platform).is_none() {
        e.push(FieldError::new(
            "platform",
            Problem::Invalid {
                message: format!("no platform `{}` in the profile", order.platform),
            },
        ));
    }
    if profile.market(&order.country).is_none() {
        e.push(FieldError::new(
            "country",
            Problem::Invalid {
                message: format!("no market for `{}` in the profile", order.country),
            },
        ));
    }
    if order.service != CHEAPEST && profile.service(&order.service).is_none() {
        e.push(FieldError::new(
            "service",
            Problem::Invalid {
                message: format!("no service `{}` in the profile (or `cheapest`)", order.service),
            },
        ));
    }
    if order.items.is_empty() {
        e.push(FieldError::new("items", Problem::Invalid { message: "no item to quote".into() }));
    }
    let mut pieces: u64 = 0;
    for (i, it) in order.items.iter().enumerate() {
        let at = |f: &str| format!("items[{i}].{f}");
        for (f, v) in [("cost", it.cost), ("packaging", it.packaging), ("other", it.other)] {
            if v < Decimal::ZERO {
                e.push(FieldError::new(at(f), Problem::Negative { value: v }));
            }
        }
        for (f, v) in [
            ("parcel.weight_kg", it.parcel.weight_kg),
            ("parcel.length_cm", it.parcel.length_cm),
            ("parcel.width_cm", it.parcel.width_cm),
            ("parcel.height_cm", it.parcel.height_cm),
        ] {
            if v <= Decimal::ZERO {
                e.push(FieldError::new(at(f), Problem::NotPositive { value: v }));
            }
        }
        if it.quantity == 0 {
            e.push(FieldError::new(at("quantity"), Problem::NotPositive { value: Decimal::ZERO }));
        }
        pieces = pieces.saturating_add(u64::from(it.quantity));
    }
    if pieces > u64::from(MAX_PIECES) {
        e.push(FieldError::new(
            "items",
            Problem::Invalid {
                message: format!(
                    "{pieces} pieces is more than a retail basket of at most {MAX_PIECES}: quote it as a wholesale order"
                ),
            },
        ));
    }
    if order.floor_margin.points() >= Decimal::ONE_HUNDRED {
        e.push(FieldError::new(
            "floor_margin",
            Problem::PercentTooLarge { value: order.floor_margin.points() },
        ));
    }
    if let Some(o) = &order.offer {
        super::check_offer(o, order.items.len(), &mut e);
    }
    e
}

/// Whether `service` carries `parcel` to `country`: its price, or `Err` naming the limit
/// it breaks.
fn carries(
    service: &Service,
    parcel: &Parcel,
    country: &str,
    remote: bool,
) -> Result<ShippingQuote, ShippingError> {
    service.quote_parcel(parcel, country, remote)
}

/// A basket packed for a service: its parcels, the price when one bag was priced already,
/// and why it was split.
type Packed = (Vec<PackedParcel>, Option<ShippingQuote>, Option<String>);

/// The basket packed for `service`: one bag when it carries it, else parcels filled in
/// turn (heaviest pieces first), each as full as the service allows.
fn pack(
    service: &Service,
    items: &[RetailItem],
    country: &str,
    remote: bool,
) -> Result<Packed, ShippingError> {
    let all: Vec<(&Parcel, u32)> = items.iter().map(|i| (&i.parcel, i.quantity)).collect();
    let one = logistics::bag(&all)?;
    let why = match carries(service, &one, country, remote) {
        Ok(quote) => {
            let contents = items.iter().enumerate().map(|(i, it)| (i, it.quantity)).collect();
            return Ok((vec![PackedParcel { contents, parcel: one }], Some(quote), None));
        }
        Err(e @ ShippingError::LimitExceeded { .. }) => e.to_string(),
        Err(e) => return Err(e),
    };
    let mut order: Vec<usize> = (0..items.len()).collect();
    order
        .sort_by(|a, b| items[*b].parcel.weight_kg.cmp(&items[*a].parcel.weight_kg).then(a.cmp(b)));
    let mut parcels: Vec<PackedParcel> = Vec::new();
    let mut open: Vec<(usize, u32)> = Vec::new();
    let bag_of = |contents: &[(usize, u32)]| -> Result<Parcel, Overflow> {
        let list: Vec<(&Parcel, u32)> =
            contents.iter().map(|(i, n)| (&items[*i].parcel, *n)).collect();
        logistics::bag(&list)
    };
    let fits = |contents: &[(usize, u32)]| -> Result<bool, ShippingError> {
        let p = bag_of(contents)?;
        match carries(service, &p, country, remote) {
            Ok(_) => Ok(true),
            Err(ShippingError::LimitExceeded { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    };
    for i in order {
        let mut left = items[i].quantity;
        while left > 0 {
            // The most pieces of item i the open parcel still takes (bisection: more
            // pieces never make a bag lighter or smaller).
            let with = |n: u32| {
                let mut c = open.clone();
                c.push((i, n));
                c
            };
            let (mut lo, mut hi) = (0u32, left);
            if fits(&with(hi))? {
                lo = hi;
            } else {
                while hi.saturating_sub(lo) > 1 {
                    let mid = u32::midpoint(lo, hi);
                    if fits(&with(mid))? {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
            }
            if lo == 0 {
                if open.is_empty() {
                    // One piece alone is too much for the service: say which limit.
                    let p = bag_of(&[(i, 1)])?;
                    carries(service, &p, country, remote)?;
                    return Err(ShippingError::Invalid {
                        problems: vec![FieldError::new(
                            format!("items[{i}]"),
                            Problem::Invalid { message: "one piece cannot be packed".into() },
                        )],
                    });
                }
                let contents = std::mem::take(&mut open);
                parcels.push(PackedParcel { parcel: bag_of(&contents)?, contents });
                continue;
            }
            open.push((i, lo));
            left = left.saturating_sub(lo);
        }
    }
    if !open.is_empty() {
        parcels.push(PackedParcel { parcel: bag_of(&open)?, contents: open });
    }
    Ok((parcels, None, Some(why)))
}

fn option_for(
    service: &Service,
    items: &[RetailItem],
    country: &str,
    remote: bool,
) -> Result<ShippingOption, ShippingError> {
    let (parcels, priced, split_because) = pack(service, items, country, remote)?;
    let quote = match priced {
        Some(q) => q,
        None => {
            let list: Vec<Parcel> = parcels.iter().map(|p| p.parcel.clone()).collect();
            service.quote_parcels(&list, country, remote, Pricing::PerParcel)?
        }
    };
    Ok(ShippingOption { quote, parcels, split_because })
}

/// Every service's price for the basket (cheapest first, then fastest) and why the others
/// cannot carry it.
pub fn shipping_options(
    services: &[Service],
    items: &[RetailItem],
    country: &str,
    remote: bool,
) -> (Vec<ShippingOption>, Vec<Refusal>) {
    let mut ok = Vec::new();
    let mut not = Vec::new();
    for s in services {
        match option_for(s, items, country, remote) {
            Ok(o) => ok.push(o),
            Err(e) => not.push(Refusal { service: s.id.clone(), reason: e.to_string() }),
        }
    }
    ok.sort_by(|a, b| {
        a.quote
            .total
            .cmp(&b.quote.total)
            .then(a.quote.transit_days.max.cmp(&b.quote.transit_days.max))
            .then(a.quote.service.cmp(&b.quote.service))
    });
    (ok, not)
}

/// An item's engine error, at the order document's own paths: the item's costs and
/// quantity under `items[i]`, the platform's fees at `platform`, the fees-and-margin
/// problem at the margin, the folded shipping at `service`; the order's own fields
/// (profit, promotion, coupons, price_rounding, fx) keep their paths.
fn engine_error(i: usize, e: QuoteError) -> OrderError {
    let item = format!("items[{i}]");
    match e {
        QuoteError::Invalid(list) => invalid(
            list.0
                .into_iter()
                .map(|mut f| {
                    f.field = match f.field.as_str() {
                        "quantity" => format!("{item}.quantity"),
                        "costs.purchase" => format!("{item}.cost"),
                        "costs.packaging" => format!("{item}.packaging"),
                        "costs.other" => format!("{item}.other"),
                        "fees" => "profit.percent".to_owned(),
                        p if p.starts_with("fees") || p.starts_with("fixed_fees") => {
                            "platform".to_owned()
                        }
                        p if p.starts_with("shipping") => "service".to_owned(),
                        _ => return f,
                    };
                    f
                })
                .collect(),
        ),
        QuoteError::Overflow(o) => OrderError::Overflow(o),
        other => OrderError::NoPrice { line: item, message: other.to_string() },
    }
}

fn avoided(market: &Market, what: &str, amount: Decimal, out: &mut Vec<String>) {
    if !market.allows(amount) {
        out.push(format!(
            "{what} {} has a number buyers in {} avoid",
            market.format_money(amount),
            market.name
        ));
    }
}

/// Quotes a retail order on the seller's profile.
pub fn quote(order: &RetailOrder, profile: &Profile) -> Result<RetailQuote, OrderError> {
    let errors = check(order, profile);
    let (Some(platform), Some(market)) =
        (profile.platform(&order.platform), profile.market(&order.country))
    else {
        return Err(invalid(errors));
    };
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let country = market.country.as_str();
    let currency = market.currency;
    let seller = profile.seller_currency;

    // Shipping: every service's price for the basket, and the one used.
    let (options, refused) =
        shipping_options(&profile.services, &order.items, country, order.remote);
    let chosen = if order.service == CHEAPEST {
        options.first()
    } else {
        options.iter().find(|o| o.quote.service == order.service)
    };
    let Some(chosen) = chosen.cloned() else {
        let why = refused
            .iter()
            .find(|r| order.service == CHEAPEST || r.service == order.service)
            .map_or_else(
                || "no service can carry this basket there".to_owned(),
                |r| r.reason.clone(),
            );
        let can: Vec<&str> = options.iter().map(|o| o.quote.service.as_str()).collect();
        let message = if can.is_empty() {
            why
        } else {
            format!("{why}; services that can carry it: {}", can.join(", "))
        };
        return Err(invalid(vec![FieldError::new("service", Problem::Invalid { message })]));
    };
    // Folded in as free shipping the way a single quote folds it (seller currency, mid).
    let shipping_seller = chosen
        .quote
        .as_b2c_shipping(seller, &profile.rates)
        .map(|s| Money::new(s.amount, seller))
        .map_err(|e| {
            invalid(vec![FieldError::new("service", Problem::Invalid { message: e.to_string() })])
        })?;

    // Allocation of the basket's shipping and per-order fixed fees.
    let measures: Vec<Measures> = order
        .items
        .iter()
        .map(|it| -> Result<Measures, Overflow> {
            let q = Decimal::from(it.quantity);
            let p = &it.parcel;
            let cbm = mul(mul(mul(p.length_cm, p.width_cm, WHAT)?, p.height_cm, WHAT)?, q, WHAT)?;
            Ok(Measures {
                kg: mul(p.weight_kg, q, WHAT)?,
                cbm,
                value: mul(it.cost, q, WHAT)?,
                quantity: it.quantity,
            })
        })
        .collect::<Result<_, _>>()?;
    let shares = allocate(shipping_seller, &measures, order.allocation)?;
    let mut fixed_per_line: Vec<Vec<crate::b2c::FixedFee>> = vec![Vec::new(); order.items.len()];
    for f in &platform.fixed_fees {
        match f.per {
            Per::Unit => fixed_per_line.iter_mut().for_each(|l| l.push(f.clone())),
            Per::Order => {
                for (l, share) in
                    fixed_per_line.iter_mut().zip(allocate(f.amount, &measures, order.allocation)?)
                {
                    l.push(crate::b2c::FixedFee { amount: share, ..f.clone() });
                }
            }
        }
    }

    // Each item at its quantity with its share.
    let mut requests = Vec::with_capacity(order.items.len());
    let mut lines = Vec::with_capacity(order.items.len());
    for (i, ((it, share), fixed)) in order.items.iter().zip(&shares).zip(fixed_per_line).enumerate()
    {
        let req = B2cRequest {
            seller_currency: seller,
            quote_currency: currency,
            quantity: it.quantity,
            costs: UnitCosts {
                purchase: it.cost,
                packaging: it.packaging,
                other: it.other,
                ..UnitCosts::default()
            },
            shipping: Some(Shipping { amount: share.amount, per: Per::Order }),
            fees: platform.fees.clone(),
            fixed_fees: fixed,
            profit: order.profit,
            fx: order.fx,
            promotion: order.promotion,
            coupons: order.coupons.clone(),
            price_rounding: order.price_rounding,
        };
        let q = b2c::quote(&req, &profile.rates).map_err(|e| engine_error(i, e))?;
        let amount =
            Money::new(mul(q.sale_price.amount, Decimal::from(it.quantity), WHAT)?, currency);
        lines.push(RetailLine {
            name: it.name.clone(),
            quantity: it.quantity,
            shipping_share: *share,
            quote: q,
            amount,
        });
        requests.push(req);
    }

    // The order.
    let parts: Vec<(&Breakdown, u32)> =
        lines.iter().map(|l| (&l.quote.at_price.breakdown, l.quantity)).collect();
    let breakdown = merge_breakdowns(currency, &parts)?;
    let seller_parts: Vec<(&Breakdown, u32)> =
        lines.iter().map(|l| (&l.quote.at_price.seller_breakdown, l.quantity)).collect();
    let seller_breakdown = merge_breakdowns(seller, &seller_parts)?;
    let total = breakdown.total;
    let qty = |l: &RetailLine| Decimal::from(l.quantity);
    let list_total = sum(
        lines
            .iter()
            .map(|l| mul(l.quote.list_price.amount, qty(l), WHAT))
            .collect::<Result<Vec<_>, _>>()?,
        WHAT,
    )?;
    let break_even_total = sum(
        lines
            .iter()
            .map(|l| mul(l.quote.break_even_price.amount, qty(l), WHAT))
            .collect::<Result<Vec<_>, _>>()?,
        WHAT,
    )?;
    let profit = breakdown.amount(LineKind::Profit);
    let margin = Percent::of_rounded(profit, total)?;
    let total_money = Money::new(total, currency);
    let vat = market.apply_vat(total_money, total_money, &profile.rates).map_err(|e| {
        invalid(vec![FieldError::new("country", Problem::Invalid { message: e.to_string() })])
    })?;
    let instalments = market.instalment_plan(total_money)?;
    let mut price_warnings = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let name = if l.name.is_empty() {
            format!("item {}", i.saturating_add(1))
        } else {
            l.name.clone()
        };
        avoided(
            market,
            &format!("{name}: the price"),
            l.quote.sale_price.amount,
            &mut price_warnings,
        );
        if l.quote.list_price != l.quote.sale_price {
            avoided(
                market,
                &format!("{name}: the list price"),
                l.quote.list_price.amount,
                &mut price_warnings,
            );
        }
    }
    if lines.len() > 1 || lines.iter().any(|l| l.quantity > 1) {
        avoided(market, "the order total", total, &mut price_warnings);
    }
    let sales: Vec<Decimal> = lines.iter().map(|l| l.quote.sale_price.amount).collect();
    let quantities: Vec<u32> = lines.iter().map(|l| l.quantity).collect();
    let pricers = requests
        .iter()
        .enumerate()
        .map(|(i, r)| b2c::Pricer::new(r, &profile.rates).map_err(|e| engine_error(i, e)))
        .collect::<Result<Vec<_>, _>>()?;
    let judge = Judge {
        quantities: &quantities,
        currency,
        profit_at: |i: usize, price: Decimal| -> Result<Decimal, OrderError> {
            match pricers.get(i) {
                Some(p) => p.profit_at(price).map_err(|e| engine_error(i, e)),
                None => Ok(Decimal::ZERO),
            }
        },
        whole: None,
    };
    let max_discount = judge.max_discount(&sales, order.floor_margin)?;
    let offer = match &order.offer {
        None => None,
        Some(o) => Some(judge.verdict(o, &sales, total, order.floor_margin, &max_discount)?),
    };
    let pieces = order.items.iter().map(|i| i.quantity).sum();
    Ok(RetailQuote {
        currency,
        lines,
        shipping: chosen,
        shipping_seller,
        allocation: order.allocation.describe().to_owned(),
        options,
        refused,
        pieces,
        list_total: Money::new(list_total, currency),
        total: total_money,
        breakdown,
        seller_breakdown,
        profit: Money::new(profit, currency),
        margin,
        break_even_total: Money::new(break_even_total, currency),
        vat,
        instalments,
        price_warnings,
        max_discount,
        offer,
    })
}
