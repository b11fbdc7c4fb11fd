//! Price sheets: a catalog (one row per SKU) priced for each quantity tier and destination
//! zone of one or several shipping services, one line per SKU × service × quantity × zone.
//!
//! A line, in the seller's currency `S` and the sheet's currency `Q`:
//!
//! ```text
//! tier         the tier with the largest min_qty <= qty
//! unit_cost    = cost × tier.cost_factor                               S, exact
//! lot weights  actual = weight × qty; volumetric = l × w × h / divisor × qty
//!              (with a carton spec: cartons = ceil(qty / pieces), each carton's gross
//!              weight and outer size instead)
//! chargeable   by the service's throw rule (greater of the two, half the excess, or actual)
//! shipping     the service's card for the zone on the chargeable weight of the whole lot,
//!              one shipment: weight step, card, surcharges once, fuel; converted to S
//!              and rounded half-up to S's minor unit
//! num          = unit_cost × qty + shipping                            S, exact
//! unit_price   = num × rate / (qty × (1 − Σ fees − margin))            Q, one division
//!              rounded half-up to Q's minor unit
//! line_total   = unit_price × qty
//! ```
//!
//! Fees and the margin are taken on the price, so they sit in the denominator. The one
//! division is exact by default; [`SheetSpec::precision`] can make it keep a fixed number of
//! significant digits first, as a spreadsheet or Python `decimal` script the seller used
//! before did, so that the sheet agrees with it to the cent ([`Precision`]).
//!
//! Columns of the catalog are found by header name ([`Columns`]); the sheet is written row
//! by row ([`Line::write_csv`]), so a caller can stream a catalog of any length through a
//! [`Plan`]. Text cells that a spreadsheet would read as a formula are neutralised.

pub mod record;

use std::borrow::Cow;
use std::fmt;
use std::io::Write as _;

use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{FieldError, Overflow, Problem};
use crate::fx::{ExactRate, RateSide};
use crate::logistics::{Service, Throw, Zone};
use crate::money::{add, mul, Precision, Rounding};
use crate::percent::Percent;
use crate::profile::Profile;
use crate::Decimal;

/// A quantity tier of the sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SheetTier {
    /// Name written in the sheet (`B2C`, `B2B1` …).
    pub name: String,
    /// The least quantity the tier applies to.
    pub min_qty: u32,
    /// Purchase cost multiplier at this volume (0.97 = the factory gives 3% off).
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(default = "one", with = "crate::serde_dec")]
    pub cost_factor: Decimal,
    /// Profit margin on the price.
    pub margin: Percent,
}

fn one() -> Decimal {
    Decimal::ONE
}

/// A fee taken on the price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SheetFee {
    /// Label.
    pub name: String,
    /// Rate on the price.
    pub rate: Percent,
}

/// What to price: the service, fees, tiers, destinations and the sheet's currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SheetSpec {
    /// The profile's shipping service (id), or several: the sheet then has a `service`
    /// column and each SKU is priced on each of them, in order.
    pub service: Services,
    /// The currency of prices in the sheet.
    pub currency: Currency,
    /// Fees on the price.
    #[serde(default)]
    pub fees: Vec<SheetFee>,
    /// A platform of the profile whose fees are added to `fees`; its fees must be plain
    /// percentages (a banded or capped fee, or a fixed fee, is refused: a sheet has no
    /// single order size to apply it to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Quantity tiers.
    pub tiers: Vec<SheetTier>,
    /// Zone names of the service to price; every zone when empty. A catalog with a
    /// `zone` column prices each row for its own zone instead.
    #[serde(default)]
    pub zones: Vec<String>,
    /// Quantities priced for each SKU; each tier's `min_qty` when empty. A catalog with a
    /// `qty` column prices each row for its own quantity instead.
    #[serde(default)]
    pub quantities: Vec<u32>,
    /// Digits kept by the price division before rounding to the minor unit.
    #[serde(default)]
    pub precision: Precision,
    /// The rate side used to convert costs into the sheet's currency.
    #[serde(default)]
    pub rate_side: RateSide,
}

/// One service id or a list of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Services {
    /// One service.
    One(String),
    /// Several, in the order the sheet lists them.
    Many(Vec<String>),
}

impl Services {
    /// The ids, in order.
    pub fn ids(&self) -> Vec<&str> {
        match self {
            Services::One(id) => vec![id.as_str()],
            Services::Many(ids) => ids.iter().map(String::as_str).collect(),
        }
    }
}

/// A tier ready to price with.
#[derive(Debug, Clone)]
struct PlanTier {
    name: String,
    min_qty: u32,
    cost_factor: Decimal,
    /// 1 − Σ fees − margin.
    keep: Decimal,
}

/// The sheet on one service: the spec checked against the profile and made ready.
#[derive(Debug, Clone)]
struct ServicePlan {
    service: Service,
    zones: Vec<(String, Zone)>,
    tiers: Vec<PlanTier>,
    quantities: Vec<u32>,
    fees: Decimal,
    /// Seller's currency → the sheet's.
    rate: ExactRate,
    /// The card's currency → the seller's.
    card_rate: ExactRate,
    seller: Currency,
    currency: Currency,
    precision: Precision,
    /// 1 / the volumetric divisor when that is an exact decimal (1/5000 = 0.0002), so the
    /// volumetric weight is a multiplication.
    per_divisor: Option<Decimal>,
    /// For each of `zones`, its card in integer form when the fast path can price it.
    fast: Vec<Option<StepCard>>,
}

/// A first-weight + additional-step card and the service rules around it, as fixed-point
/// integers, for services the integer path covers: full throw (or no volumetric rule) with
/// an exact 1/divisor, no threshold, limits, surcharges or fuel, priced in the seller's
/// currency. Any other service, and any number that does not fit, takes the `Decimal` path;
/// a property test holds the two equal.
#[derive(Debug, Clone, Copy)]
struct StepCard {
    per_divisor: Option<Fx>,
    weight_step: Fx,
    first_weight: Fx,
    first_price: Fx,
    step: Fx,
    step_price: Fx,
}

/// A fixed-point number `m / 10^s` on a 64-bit mantissa: one machine instruction per
/// checked operation. Anything larger goes to the `Decimal` path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fx {
    m: i64,
    s: u32,
}

/// 10^0 to 10^18.
#[allow(clippy::arithmetic_side_effects)] // 10^18 < 2^63
const P10: [i64; 19] = {
    let mut t = [1i64; 19];
    let mut i = 1;
    while i < 19 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

impl Fx {
    fn of(d: Decimal) -> Option<Fx> {
        Some(Fx { m: i64::try_from(d.mantissa()).ok()?, s: d.scale() })
    }
    fn int(n: u32) -> Fx {
        Fx { m: i64::from(n), s: 0 }
    }
    fn at(self, s: u32) -> Option<i64> {
        self.m.checked_mul(*P10.get(s.checked_sub(self.s)? as usize)?)
    }
    fn mul(self, o: Fx) -> Option<Fx> {
        Some(Fx { m: self.m.checked_mul(o.m)?, s: self.s.checked_add(o.s)? })
    }
    fn add(self, o: Fx) -> Option<Fx> {
        let s = self.s.max(o.s);
        Some(Fx { m: self.at(s)?.checked_add(o.at(s)?)?, s })
    }
    fn sub(self, o: Fx) -> Option<Fx> {
        let s = self.s.max(o.s);
        Some(Fx { m: self.at(s)?.checked_sub(o.at(s)?)?, s })
    }
    fn le(self, o: Fx) -> Option<bool> {
        let s = self.s.max(o.s);
        Some(self.at(s)? <= o.at(s)?)
    }
    fn max(self, o: Fx) -> Option<Fx> {
        Some(if self.le(o)? { o } else { self })
    }
    /// ceil(self / step) for self ≥ 0, step > 0.
    fn steps(self, step: Fx) -> Option<i64> {
        let s = self.s.max(step.s);
        let (n, d) = (self.at(s)?, step.at(s)?);
        if n < 0 || d <= 0 {
            return None;
        }
        let q = n.checked_div(d)?;
        Some(if n.checked_rem(d)? == 0 { q } else { q.checked_add(1)? })
    }
    fn dec(self) -> Option<Decimal> {
        Decimal::try_new(self.m, self.s).ok()
    }
    /// [`Rounding::HalfUp`]`.round(self, places)`: half away from zero, at exactly
    /// `places` decimals.
    fn round_half_up(self, places: u32) -> Option<Fx> {
        let Some(cut) = self.s.checked_sub(places).filter(|c| *c > 0) else {
            return Some(Fx { m: self.at(places)?, s: places });
        };
        let p = *P10.get(cut as usize)?;
        let (q, r) = (self.m.checked_div(p)?, self.m.checked_rem(p)?);
        let up = r.unsigned_abs().checked_mul(2)? >= p.unsigned_abs();
        let m = if up { q.checked_add(self.m.signum())? } else { q };
        Some(Fx { m, s: places })
    }
}

impl StepCard {
    fn new(service: &Service, zone: &Zone, per_divisor: Option<Decimal>) -> Option<StepCard> {
        let per_divisor = match &service.volumetric {
            None => None,
            Some(v) if v.throw == Throw::Full && v.threshold_cm.is_none() => {
                Some(Fx::of(per_divisor?)?)
            }
            Some(_) => return None,
        };
        let plain = service.surcharges.is_empty()
            && service.fuel_surcharge.is_zero()
            && service.limits.max_weight_kg.is_none()
            && service.limits.max_length_cm.is_none()
            && service.limits.max_girth_cm.is_none();
        let (first, more) = (zone.first.as_ref()?, zone.additional.as_ref()?);
        plain.then_some(StepCard {
            per_divisor,
            weight_step: Fx::of(service.weight_step_kg.unwrap_or(Decimal::new(1, 3)))?,
            first_weight: Fx::of(first.weight_kg)?,
            first_price: Fx::of(first.price)?,
            step: Fx::of(more.step_kg)?,
            step_price: Fx::of(more.price)?,
        })
    }

    /// (chargeable weight, card price) of a lot of `n` pieces or cartons.
    fn price(&self, weight: Decimal, dims: [Decimal; 3], n: u32) -> Option<(Fx, Fx)> {
        let n = Fx::int(n);
        let actual = Fx::of(weight)?.mul(n)?;
        let cw = match self.per_divisor {
            Some(r) => {
                let volume = Fx::of(dims[0])?.mul(Fx::of(dims[1])?)?.mul(Fx::of(dims[2])?)?;
                actual.max(volume.mul(r)?.mul(n)?)?
            }
            None => actual,
        };
        let stepped = Fx { m: cw.steps(self.weight_step)?, s: 0 }.mul(self.weight_step)?;
        let price = if stepped.le(self.first_weight)? {
            self.first_price
        } else {
            let k = stepped.sub(self.first_weight)?.steps(self.step)?;
            self.first_price.add(Fx { m: k, s: 0 }.mul(self.step_price)?)?
        };
        Some((cw, price))
    }
}

/// Decimals of the unit cost and landed unit cost columns.
pub const COST_PLACES: u32 = 4;
/// Decimals of the chargeable weight column.
pub const WEIGHT_PLACES: u32 = 3;

impl ServicePlan {
    /// Checks `spec` on service `id` against `profile`; every problem with its path in the
    /// spec. `zones_in_any`: the spec lists several services, so each prices those of the
    /// listed zones it has.
    fn new(
        profile: &Profile,
        spec: &SheetSpec,
        id: &str,
        zones_in_any: bool,
    ) -> Result<ServicePlan, Vec<FieldError>> {
        let mut errors = Vec::new();
        let invalid = |field: &str, message: String| {
            FieldError::new(field.to_owned(), Problem::Invalid { message })
        };
        let service = profile.service(id).cloned();
        if service.is_none() {
            errors.push(invalid("service", format!("no service `{id}` in the profile")));
        }
        let mut fees = Decimal::ZERO;
        for (i, f) in spec.fees.iter().enumerate() {
            if f.rate.points() < Decimal::ZERO {
                let field = format!("fees[{i}].rate");
                errors.push(FieldError::new(field, Problem::Negative { value: f.rate.points() }));
            }
            fees = fees.saturating_add(f.rate.fraction());
        }
        if let Some(id) = &spec.platform {
            match profile.platform(id) {
                None => {
                    errors.push(invalid("platform", format!("no platform `{id}` in the profile")))
                }
                Some(p) => {
                    for f in &p.fees {
                        match &f.rule {
                            crate::b2c::FeeRule::Percent(r) => {
                                fees = fees.saturating_add(r.fraction());
                            }
                            _ => errors.push(invalid(
                                "platform",
                                format!(
                                    "`{id}` fee `{}` depends on the price band or a cap; a sheet \
                                     takes plain percentages (list it under `fees`)",
                                    f.name
                                ),
                            )),
                        }
                    }
                    if let Some(f) = p.fixed_fees.first() {
                        errors.push(invalid(
                            "platform",
                            format!(
                                "`{id}` has a fixed fee (`{}`); a sheet takes percentages",
                                f.name
                            ),
                        ));
                    }
                }
            }
        }
        let mut tiers: Vec<PlanTier> = Vec::with_capacity(spec.tiers.len());
        if spec.tiers.is_empty() {
            errors.push(invalid("tiers", "at least one tier is needed".into()));
        }
        for (i, t) in spec.tiers.iter().enumerate() {
            let at = |f: &str| format!("tiers[{i}].{f}");
            if t.min_qty == 0 {
                errors
                    .push(FieldError::new(at("min_qty"), Problem::NotPositive { value: 0.into() }));
            }
            if t.cost_factor <= Decimal::ZERO {
                let p = Problem::NotPositive { value: t.cost_factor };
                errors.push(FieldError::new(at("cost_factor"), p));
            }
            let keep = Decimal::ONE.saturating_sub(fees).saturating_sub(t.margin.fraction());
            if keep <= Decimal::ZERO {
                let p = Problem::FeesTakeWholePrice {
                    fees: fees.saturating_mul(Decimal::ONE_HUNDRED),
                    margin: t.margin.points(),
                };
                errors.push(FieldError::new(at("margin"), p));
            }
            if spec.tiers[..i].iter().any(|o| o.min_qty == t.min_qty) {
                errors.push(invalid(&at("min_qty"), format!("two tiers start at {}", t.min_qty)));
            }
            tiers.push(PlanTier {
                name: t.name.clone(),
                min_qty: t.min_qty,
                cost_factor: t.cost_factor,
                keep,
            });
        }
        tiers.sort_by_key(|t| t.min_qty);
        let rate = profile.rates.exact_rate(profile.seller_currency, spec.currency, spec.rate_side);
        if let Err(e) = &rate {
            errors.push(invalid("currency", e.to_string()));
        }
        let mut zones = Vec::new();
        let mut card_rate = Ok(ExactRate { num: Decimal::ONE, den: Decimal::ONE });
        if let Some(s) = &service {
            card_rate =
                profile.rates.exact_rate(s.currency, profile.seller_currency, RateSide::Mid);
            if let Err(e) = &card_rate {
                errors.push(invalid("service", e.to_string()));
            }
            for (i, z) in spec.zones.iter().enumerate() {
                match s.zones.get(z) {
                    Some(zone) => zones.push((z.clone(), zone.clone())),
                    None if zones_in_any => {}
                    None => errors.push(invalid(
                        &format!("zones[{i}]"),
                        format!("service `{}` has no zone `{z}`", s.id),
                    )),
                }
            }
            if spec.zones.is_empty() {
                zones = s.zones.iter().map(|(n, z)| (n.clone(), z.clone())).collect();
            }
        }
        for (i, q) in spec.quantities.iter().enumerate() {
            if *q == 0 {
                errors.push(FieldError::new(
                    format!("quantities[{i}]"),
                    Problem::NotPositive { value: 0.into() },
                ));
            }
        }
        if let Precision::Significant { digits, .. } = spec.precision {
            if !(1..=28).contains(&digits) {
                errors.push(invalid("precision.digits", format!("must be 1 to 28 (got {digits})")));
            }
        }
        match (service, rate, card_rate) {
            (Some(service), Ok(rate), Ok(card_rate)) if errors.is_empty() => {
                let quantities = if spec.quantities.is_empty() {
                    tiers.iter().map(|t| t.min_qty).collect()
                } else {
                    spec.quantities.clone()
                };
                let per_divisor = service.volumetric.as_ref().and_then(|v| {
                    let r = crate::money::div(Decimal::ONE, v.divisor, "").ok()?;
                    (r.checked_mul(v.divisor) == Some(Decimal::ONE)).then_some(r)
                });
                let fast = zones
                    .iter()
                    .map(|(_, z)| {
                        let same = card_rate.num == card_rate.den;
                        same.then(|| StepCard::new(&service, z, per_divisor)).flatten()
                    })
                    .collect();
                Ok(ServicePlan {
                    fast,
                    per_divisor,
                    service,
                    zones,
                    tiers,
                    quantities,
                    fees,
                    rate,
                    card_rate,
                    seller: profile.seller_currency,
                    currency: spec.currency,
                    precision: spec.precision,
                })
            }
            _ => Err(errors),
        }
    }

    /// Every line of one item on this service: its own zone and quantity when the row gave
    /// them, else each zone (in order) × quantity.
    fn for_each_line<'a>(
        &'a self,
        item: &Item<'a>,
        mut f: impl FnMut(Result<Line<'a>, LineError<'a>>),
    ) {
        let mut zone = |z: &'a str| {
            for &qty in self.quantities_for(item) {
                let line = self.price_with(item, z, qty, true);
                f(line.map_err(|reason| LineError { service: None, zone: z, qty, reason }));
            }
        };
        match item.zone {
            Some(z) => zone(z),
            None => self.zones.iter().for_each(|(n, _)| zone(n)),
        }
    }

    /// The quantities a row is priced at: its own, else the sheet's.
    fn quantities_for<'q>(&'q self, item: &'q Item<'_>) -> &'q [u32] {
        match item.qty {
            Some(_) => item.qty.as_slice(),
            None => &self.quantities,
        }
    }

    /// Where zone `name` is in this sheet's zones.
    fn zone_index(&self, name: &str) -> Option<usize> {
        // Zone names are short: a byte loop beats a call to `memcmp`.
        let same =
            |a: &str| a.len() == name.len() && a.bytes().zip(name.bytes()).all(|(x, y)| x == y);
        self.zones.iter().position(|(n, _)| same(n))
    }

    fn integer_path<'a>(&'a self, item: &Item<'a>, zone: &'a str, qty: u32) -> Option<Line<'a>> {
        let (at, lot) = self.prepare(item, zone, qty).ok()?;
        self.price_fast(at.card?, item, at.tier, at.zone, &lot)
    }

    /// What both paths need before pricing: the zone (with its integer card, if any), the
    /// tier, and the lot with the share of the price that is left after fees and margin.
    fn prepare<'a>(
        &'a self,
        item: &Item<'a>,
        zone: &'a str,
        qty: u32,
    ) -> Result<(Target<'a>, Lot), LineReason> {
        let index = self.zone_index(zone);
        let (name, card) = match index.and_then(|i| self.zones.get(i)) {
            Some((n, z)) => (n.as_str(), z),
            None if self.service.zones.contains_key(zone) => {
                return Err(LineReason::ZoneNotInSheet(zone.to_owned()));
            }
            None => return Err(LineReason::NoZone(zone.to_owned())),
        };
        let tier = self.tiers.iter().rev().find(|t| t.min_qty <= qty).ok_or_else(|| {
            LineReason::BelowLeastQuantity {
                qty,
                least: self.tiers.first().map_or(1, |t| t.min_qty),
            }
        })?;
        if qty == 0 {
            return Err(LineReason::ZeroQuantity);
        }
        let keep = match item.margin {
            Some(m) => {
                let k = Decimal::ONE.saturating_sub(self.fees).saturating_sub(m.fraction());
                if k <= Decimal::ZERO {
                    return Err(LineReason::FeesTakeWholePrice { margin: m.points() });
                }
                k
            }
            None => tier.keep,
        };
        let (weight, dims, pieces) = lot_of(item, qty);
        let fast = index.and_then(|i| self.fast.get(i)).and_then(Option::as_ref);
        let at = Target { zone: name, zone_card: card, card: fast, tier };
        Ok((at, Lot { weight, dims, pieces, qty, keep }))
    }

    fn price_with<'a>(
        &'a self,
        item: &Item<'a>,
        zone: &'a str,
        qty: u32,
        fast: bool,
    ) -> Result<Line<'a>, LineReason> {
        const WHAT: &str = "a sheet line";
        let (at, lot) = self.prepare(item, zone, qty)?;
        if let Some(card) = at.card.filter(|_| fast) {
            if let Some(line) = self.price_fast(card, item, at.tier, at.zone, &lot) {
                return Ok(line);
            }
        }
        let (tier, card, zone_name) = (at.tier, at.zone_card, at.zone);
        let Lot { weight, dims, pieces, keep, .. } = lot;
        let dq = Decimal::from(qty);
        let unit_cost = mul(item.cost, tier.cost_factor, WHAT)?;
        let n = Decimal::from(pieces);
        let longest = || dims[0].max(dims[1]).max(dims[2]);
        if let Some(max) = self.service.limits.max_length_cm {
            let longest = longest();
            if longest > max {
                return Err(LineReason::Limit { limit: "max_length_cm", value: longest, max });
            }
        }
        let actual = mul(weight, n, WHAT)?;
        if let Some(max) = self.service.limits.max_weight_kg {
            if actual > max {
                return Err(LineReason::Limit { limit: "max_weight_kg", value: actual, max });
            }
        }
        let chargeable = match &self.service.volumetric {
            Some(v)
                if v.threshold_cm.is_none_or(|t| longest() > t) && v.divisor > Decimal::ZERO =>
            {
                let volume = mul(mul(dims[0], dims[1], WHAT)?, dims[2], WHAT)?;
                let per_piece = match self.per_divisor {
                    Some(r) => mul(volume, r, WHAT)?,
                    None => crate::money::div(volume, v.divisor, WHAT)?,
                };
                let vol = mul(per_piece, n, WHAT)?;
                match v.throw {
                    Throw::Full => actual.max(vol),
                    Throw::Half if vol > actual => {
                        let excess = crate::money::sub(vol, actual, WHAT)?;
                        add(actual, crate::money::div(excess, Decimal::TWO, WHAT)?, WHAT)?
                    }
                    Throw::Half | Throw::None => actual,
                }
            }
            _ => actual,
        };
        let card_price = self.service.price_chargeable(card, chargeable).map_err(|e| match e {
            crate::logistics::ShippingError::Overflow(o) => LineReason::Overflow(o),
            other => LineReason::Shipping(other.to_string()),
        })?;
        let minor = self.seller.minor_units();
        let shipping = if self.card_rate.num == self.card_rate.den {
            Rounding::HalfUp.round(card_price, minor)
        } else {
            let x = mul(card_price, self.card_rate.num, WHAT)?;
            Rounding::HalfUp.div_round(x, self.card_rate.den, minor, WHAT)?
        };
        let num = add(mul(unit_cost, dq, WHAT)?, shipping, WHAT)?;
        let landed_unit =
            Rounding::HalfUp.div_round_at(num, dq, COST_PLACES, self.precision, WHAT)?;
        let top = if self.rate.num == Decimal::ONE { num } else { mul(num, self.rate.num, WHAT)? };
        let bottom = mul(mul(keep, self.rate.den, WHAT)?, dq, WHAT)?;
        let places = self.currency.minor_units();
        let unit_price =
            Rounding::HalfUp.div_round_at(top, bottom, places, self.precision, WHAT)?;
        let line_total = mul(unit_price, dq, WHAT)?;
        Ok(Line {
            sku: item.sku,
            service: None,
            zone: zone_name,
            qty,
            tier: &tier.name,
            chargeable_kg: Rounding::HalfUp.round(chargeable, WEIGHT_PLACES),
            shipping,
            unit_cost: Rounding::HalfUp.round(unit_cost, COST_PLACES),
            landed_unit,
            unit_price,
            line_total,
        })
    }
}

/// The lot's unit weight, outer size and count: pieces, or full cartons when the row has a
/// carton spec.
fn lot_of(item: &Item<'_>, qty: u32) -> (Decimal, [Decimal; 3], u32) {
    match &item.carton {
        Some(c) => {
            let cartons = qty.div_ceil(c.pieces.max(1));
            (c.gross_weight_kg, [c.length_cm, c.width_cm, c.height_cm], cartons)
        }
        None => (item.weight_kg, [item.length_cm, item.width_cm, item.height_cm], qty),
    }
}

/// A spec checked against a profile and made ready: one [`ServicePlan`] per service.
#[derive(Debug, Clone)]
pub struct Plan {
    parts: Vec<(String, ServicePlan)>,
    seller: Currency,
    currency: Currency,
}

impl Plan {
    /// Checks `spec` against `profile`; every problem with its path in the spec.
    pub fn new(profile: &Profile, spec: &SheetSpec) -> Result<Plan, Vec<FieldError>> {
        let ids = spec.service.ids();
        let many = ids.len() > 1;
        let mut errors = Vec::new();
        if ids.is_empty() {
            errors.push(FieldError::new(
                "service",
                Problem::Invalid { message: "at least one service is needed".into() },
            ));
        }
        let mut parts = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            match ServicePlan::new(profile, spec, id, many) {
                Ok(p) => parts.push(((*id).to_owned(), p)),
                Err(e) => {
                    for mut fe in e {
                        if many && fe.field == "service" {
                            fe.field = format!("service[{i}]");
                        }
                        if !errors.contains(&fe) {
                            errors.push(fe);
                        }
                    }
                }
            }
        }
        if many && errors.is_empty() {
            for (i, z) in spec.zones.iter().enumerate() {
                if !parts.iter().any(|(_, p)| p.zone_index(z).is_some()) {
                    errors.push(FieldError::new(
                        format!("zones[{i}]"),
                        Problem::Invalid {
                            message: format!("no service of the sheet has zone `{z}`"),
                        },
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(Plan { parts, seller: profile.seller_currency, currency: spec.currency })
        } else {
            Err(errors)
        }
    }

    fn first(&self) -> Option<&ServicePlan> {
        self.parts.first().map(|(_, p)| p)
    }

    fn many(&self) -> bool {
        self.parts.len() > 1
    }

    /// The header of the sheet (`sku,[service,]zone,…,shipping_cny,…,unit_price_usd,…`).
    pub fn header(&self) -> String {
        let s = self.seller.code().to_ascii_lowercase();
        let q = self.currency.code().to_ascii_lowercase();
        let service = if self.many() { "service," } else { "" };
        format!(
            "sku,{service}zone,qty,tier,chargeable_kg,shipping_{s},unit_cost_{s},\
             landed_unit_{s},unit_price_{q},line_total_{q}"
        )
    }

    /// The seller's currency (costs, shipping).
    pub fn seller_currency(&self) -> Currency {
        self.seller
    }

    /// The sheet's currency (prices).
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Calls `f` with every line of one catalog item, in order: for each service, its own
    /// zone and quantity when the row gave them, else each of the service's zones (in
    /// order) × quantities. With several services, a row's zone is priced on those that
    /// have it, and is an error only when none has. A line that cannot be priced comes as
    /// an error naming why.
    pub fn for_each_line<'a>(
        &'a self,
        item: &Item<'a>,
        mut f: impl FnMut(Result<Line<'a>, LineError<'a>>),
    ) {
        if !self.many() {
            if let Some(p) = self.first() {
                p.for_each_line(item, f);
            }
            return;
        }
        let mut priced = false;
        for (id, p) in &self.parts {
            if item.zone.is_some_and(|z| p.zone_index(z).is_none()) {
                continue;
            }
            priced = true;
            p.for_each_line(item, |line| {
                let line = line
                    .map(|mut l| {
                        l.service = Some(id);
                        l
                    })
                    .map_err(|mut e| {
                        e.service = Some(id);
                        e
                    });
                f(line);
            });
        }
        if let (false, Some(z), Some(first)) = (priced, item.zone, self.first()) {
            // Every service takes its quantities from the same spec.
            for &qty in first.quantities_for(item) {
                let reason = LineReason::NoZone(z.to_owned());
                f(Err(LineError { service: None, zone: z, qty, reason }));
            }
        }
    }

    /// Every line of one catalog item ([`Plan::for_each_line`]) in a vector.
    pub fn lines<'a>(&'a self, item: &Item<'a>) -> Vec<Result<Line<'a>, LineError<'a>>> {
        let mut v = Vec::new();
        self.for_each_line(item, |l| v.push(l));
        v
    }

    /// One line on the first service (the only one unless the spec lists several).
    pub fn price<'a>(
        &'a self,
        item: &Item<'a>,
        zone: &'a str,
        qty: u32,
    ) -> Result<Line<'a>, LineReason> {
        self.price_on_first(item, zone, qty, true)
    }

    /// [`Plan::price`] on the `Decimal` path only, for the test that holds the integer
    /// path equal to it.
    #[doc(hidden)]
    pub fn price_on_decimal_path<'a>(
        &'a self,
        item: &Item<'a>,
        zone: &'a str,
        qty: u32,
    ) -> Result<Line<'a>, LineReason> {
        self.price_on_first(item, zone, qty, false)
    }

    fn price_on_first<'a>(
        &'a self,
        item: &Item<'a>,
        zone: &'a str,
        qty: u32,
        fast: bool,
    ) -> Result<Line<'a>, LineReason> {
        match self.first() {
            Some(p) => p.price_with(item, zone, qty, fast),
            None => Err(LineReason::NoZone(zone.to_owned())),
        }
    }

    /// The line on the integer path alone: `None` where [`Plan::price`] would take the
    /// `Decimal` path. For the tests that hold the two paths equal.
    #[doc(hidden)]
    pub fn price_on_integer_path<'a>(
        &'a self,
        item: &Item<'a>,
        zone: &'a str,
        qty: u32,
    ) -> Option<Line<'a>> {
        self.first()?.integer_path(item, zone, qty)
    }
}

/// Where a line is priced: its zone (name and card, and the card in integer form when the
/// fast path can take it) and its tier.
struct Target<'a> {
    zone: &'a str,
    zone_card: &'a Zone,
    card: Option<&'a StepCard>,
    tier: &'a PlanTier,
}

/// What the integer path needs of a line besides the item and tier.
struct Lot {
    weight: Decimal,
    dims: [Decimal; 3],
    pieces: u32,
    qty: u32,
    keep: Decimal,
}

impl ServicePlan {
    /// The line on fixed-point integers, or `None` to take the `Decimal` path (a number
    /// that does not fit, or an error the `Decimal` path words).
    fn price_fast<'a>(
        &'a self,
        card: &StepCard,
        item: &Item<'a>,
        tier: &'a PlanTier,
        zone: &'a str,
        lot: &Lot,
    ) -> Option<Line<'a>> {
        const WHAT: &str = "a sheet line";
        let (cw, card_price) = card.price(lot.weight, lot.dims, lot.pieces)?;
        let shipping = card_price.round_half_up(self.seller.minor_units())?;
        let q = Fx::int(lot.qty);
        let unit_cost = Fx::of(item.cost)?.mul(Fx::of(tier.cost_factor)?)?;
        let num = unit_cost.mul(q)?.add(shipping)?;
        let num_d = num.dec()?;
        let at = |a, b, places| Rounding::HalfUp.div_round_at(a, b, places, self.precision, WHAT);
        let landed_unit = at(num_d, Decimal::from(lot.qty), COST_PLACES).ok()?;
        let top = if self.rate.num == Decimal::ONE {
            num_d
        } else {
            num.mul(Fx::of(self.rate.num)?)?.dec()?
        };
        let bottom = Fx::of(lot.keep)?.mul(Fx::of(self.rate.den)?)?.mul(q)?.dec()?;
        let unit_price = at(top, bottom, self.currency.minor_units()).ok()?;
        Some(Line {
            sku: item.sku,
            service: None,
            zone,
            qty: lot.qty,
            tier: &tier.name,
            chargeable_kg: cw.round_half_up(WEIGHT_PLACES)?.dec()?,
            shipping: shipping.dec()?,
            unit_cost: unit_cost.round_half_up(COST_PLACES)?.dec()?,
            landed_unit,
            unit_price,
            line_total: Fx::of(unit_price)?.mul(q)?.dec()?,
        })
    }
}

/// A carton spec of a catalog row: the lot ships in full cartons.
#[derive(Debug, Clone, PartialEq)]
pub struct CartonSpec {
    /// Pieces per carton.
    pub pieces: u32,
    /// Gross weight of a full carton, kg.
    pub gross_weight_kg: Decimal,
    /// cm.
    pub length_cm: Decimal,
    /// cm.
    pub width_cm: Decimal,
    /// cm.
    pub height_cm: Decimal,
}

/// One catalog row, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<'a> {
    /// SKU.
    pub sku: &'a str,
    /// Unit purchase cost in the seller's currency.
    pub cost: Decimal,
    /// Unit weight, kg.
    pub weight_kg: Decimal,
    /// cm.
    pub length_cm: Decimal,
    /// cm.
    pub width_cm: Decimal,
    /// cm.
    pub height_cm: Decimal,
    /// The lot ships in these cartons.
    pub carton: Option<CartonSpec>,
    /// This SKU's margin instead of the tier's.
    pub margin: Option<Percent>,
    /// Price only this quantity.
    pub qty: Option<u32>,
    /// Price only this zone.
    pub zone: Option<&'a str>,
}

/// One priced line of the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    /// SKU.
    pub sku: &'a str,
    /// The service, when the sheet has several.
    pub service: Option<&'a str>,
    /// Zone name.
    pub zone: &'a str,
    /// Quantity.
    pub qty: u32,
    /// Tier name.
    pub tier: &'a str,
    /// Chargeable weight of the lot before the card's step, kg, half-up to 3 places.
    pub chargeable_kg: Decimal,
    /// Shipping of the lot, seller's currency.
    pub shipping: Decimal,
    /// Unit cost at this tier, half-up to 4 places.
    pub unit_cost: Decimal,
    /// (unit cost × qty + shipping) / qty, half-up to 4 places.
    pub landed_unit: Decimal,
    /// Unit price, the sheet's currency.
    pub unit_price: Decimal,
    /// unit price × qty.
    pub line_total: Decimal,
}

impl Line<'_> {
    /// Appends the line as a CSV record (`\n` ending), text cells neutralised and quoted
    /// as needed.
    pub fn write_csv(&self, out: &mut Vec<u8>) {
        // Built on the stack and copied once; a line that does not fit, or a cell that
        // needs quoting or neutralising, is written cell by cell instead.
        let mut r = Record::new();
        r.plain_text(self.sku);
        if let Some(service) = self.service {
            r.put(b",");
            r.plain_text(service);
        }
        r.put(b",");
        r.plain_text(self.zone);
        r.put(b",");
        r.put(itoa::Buffer::new().format(self.qty).as_bytes());
        r.put(b",");
        r.plain_text(self.tier);
        for d in self.numbers() {
            r.put(b",");
            r.decimal(d);
        }
        r.put(b"\n");
        match r.bytes() {
            Some(bytes) => out.extend_from_slice(bytes),
            None => self.write_csv_by_cell(out),
        }
    }

    /// Chargeable kg, shipping, unit cost, landed unit cost, unit price, line total.
    pub fn numbers(&self) -> [Decimal; 6] {
        [
            self.chargeable_kg,
            self.shipping,
            self.unit_cost,
            self.landed_unit,
            self.unit_price,
            self.line_total,
        ]
    }

    fn write_csv_by_cell(&self, out: &mut Vec<u8>) {
        write_text(out, self.sku);
        out.push(b',');
        if let Some(service) = self.service {
            write_text(out, service);
            out.push(b',');
        }
        write_text(out, self.zone);
        out.push(b',');
        out.extend_from_slice(itoa::Buffer::new().format(self.qty).as_bytes());
        out.push(b',');
        write_text(out, self.tier);
        for d in self.numbers() {
            out.push(b',');
            write_decimal(out, d);
        }
        out.push(b'\n');
    }
}

/// Bytes of a [`Record`]: a power of two.
const RECORD: usize = 256;

/// One CSV record on the stack. Once something does not fit (or a cell needs the general
/// writer) it is spoiled and [`Record::bytes`] says so.
struct Record {
    buf: [u8; RECORD],
    len: usize,
    spoiled: bool,
}

impl Record {
    fn new() -> Record {
        Record { buf: [0; RECORD], len: 0, spoiled: false }
    }

    /// The next `n` bytes of the buffer, taken.
    fn take(&mut self, n: usize) -> Option<&mut [u8]> {
        let end = self.len.checked_add(n)?;
        let dst = self.buf.get_mut(self.len..end);
        match dst {
            Some(d) => {
                self.len = end;
                Some(d)
            }
            None => {
                self.spoiled = true;
                None
            }
        }
    }

    fn put(&mut self, bytes: &[u8]) {
        if let Some(dst) = self.take(bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    }

    /// A text cell that needs neither neutralising nor quoting; any other spoils.
    fn plain_text(&mut self, text: &str) {
        if is_formula_like(text) || needs_quotes(text) {
            self.spoiled = true;
        } else {
            self.put(text.as_bytes());
        }
    }

    /// [`write_decimal`]'s text; a mantissa beyond 64 bits spoils.
    #[allow(clippy::arithmetic_side_effects, clippy::cast_possible_truncation)] // see below
    fn decimal(&mut self, d: Decimal) {
        /// "00", "01", … "99" (then padding, so that an index masked to 8 bits is in it).
        #[allow(clippy::arithmetic_side_effects)] // i < 100
        const PAIRS: [u8; 256] = {
            let mut t = [0u8; 256];
            let mut i = 0;
            while i < 100 {
                t[2 * i] = b'0' + (i / 10) as u8;
                t[2 * i + 1] = b'0' + (i % 10) as u8;
                i += 1;
            }
            t
        };
        let m = d.mantissa();
        let scale = d.scale() as usize;
        let (Ok(v), Some(&p)) = (u64::try_from(m.unsigned_abs()), P10.get(scale)) else {
            self.spoiled = true;
            return;
        };
        // The usual scales divide by a constant (a multiplication), the rest by 10^scale.
        let (mut whole, mut frac) = match scale {
            0 => (v, 0),
            2 => (v / 100, v % 100),
            3 => (v / 1000, v % 1000),
            4 => (v / 10_000, v % 10_000),
            _ => {
                let p = p.unsigned_abs(); // 10^1 to 10^18
                (v / p, v % p)
            }
        };
        // At most 20 digits, a scale of at most 18, a sign and a point: the width is small,
        // and once `take` has granted it every index below lies inside the buffer (the
        // masks only spare the bounds checks).
        let digits = match whole {
            0..10 => 1,
            10..100 => 2,
            100..1000 => 3,
            1000..10000 => 4,
            _ => whole.ilog10() as usize + 1,
        };
        let width = usize::from(m < 0) + digits + if scale > 0 { scale + 1 } else { 0 };
        let start = self.len;
        if self.take(width).is_none() {
            return;
        }
        let buf = &mut self.buf;
        let mut i = start + width;
        // `n` digits of `v` (the low ones), right to left, ending before `i`.
        let digits_of = |buf: &mut [u8; RECORD], i: &mut usize, v: &mut u64, n: usize| {
            const M: usize = RECORD - 1;
            if n <= 4 {
                // v < 10^4: its two pairs come from one division, not one after the other.
                let (hi, lo) = ((*v / 100) as usize * 2, (*v % 100) as usize * 2); // < 200
                let e = *i;
                if n >= 2 {
                    buf[(e - 2) & M] = PAIRS[lo & 255];
                    buf[(e - 1) & M] = PAIRS[(lo + 1) & 255];
                }
                match n {
                    1 => buf[(e - 1) & M] = PAIRS[(lo + 1) & 255],
                    3 => buf[(e - 3) & M] = PAIRS[(hi + 1) & 255],
                    4 => {
                        buf[(e - 4) & M] = PAIRS[hi & 255];
                        buf[(e - 3) & M] = PAIRS[(hi + 1) & 255];
                    }
                    _ => {}
                }
                *i = e - n;
                return;
            }
            let mut n = n;
            while n >= 2 {
                let r = (*v % 100) as usize * 2; // < 200
                *v /= 100;
                *i -= 2;
                buf[*i & (RECORD - 1)] = PAIRS[r & 255];
                buf[(*i + 1) & (RECORD - 1)] = PAIRS[(r + 1) & 255];
                n -= 2;
            }
            if n == 1 {
                *i -= 1;
                buf[*i & (RECORD - 1)] = b'0' + (*v % 10) as u8; // < 10
                *v /= 10;
            }
        };
        if scale > 0 {
            digits_of(buf, &mut i, &mut frac, scale);
            i -= 1;
            buf[i & (RECORD - 1)] = b'.';
        }
        digits_of(buf, &mut i, &mut whole, digits);
        if m < 0 {
            buf[start & (RECORD - 1)] = b'-';
        }
    }

    /// The record, unless it was spoiled.
    fn bytes(&self) -> Option<&[u8]> {
        if self.spoiled {
            None
        } else {
            self.buf.get(..self.len)
        }
    }
}

/// Writes a decimal in plain fixed point with its scale (`5.00`, `-0.50`; zero has no
/// sign): what `Decimal`'s `Display` writes, several times faster.
#[allow(clippy::arithmetic_side_effects)] // digits.len() > scale is checked
pub fn write_decimal(out: &mut Vec<u8>, d: Decimal) {
    let mut r = Record::new();
    r.decimal(d);
    if let Some(bytes) = r.bytes() {
        out.extend_from_slice(bytes);
        return;
    }
    // A mantissa beyond 64 bits: all its digits, then the point `scale` digits from the
    // right.
    let (m, scale) = (d.mantissa(), d.scale() as usize);
    if m < 0 {
        out.push(b'-');
    }
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(m.unsigned_abs()).as_bytes();
    if scale == 0 {
        out.extend_from_slice(digits);
    } else if let Some(whole) = digits.len().checked_sub(scale).filter(|w| *w > 0) {
        out.extend_from_slice(&digits[..whole]);
        out.push(b'.');
        out.extend_from_slice(&digits[whole..]);
    } else {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', scale - digits.len()));
        out.extend_from_slice(digits);
    }
}

/// Does a spreadsheet read this cell as a formula? (`=`, `+`, `-`, `@`, tab or carriage
/// return first.)
pub fn is_formula_like(text: &str) -> bool {
    matches!(text.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
}

/// The cell as written to a sheet: formula-like text gets a leading `'`, which a
/// spreadsheet shows as text.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if is_formula_like(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Does a CSV cell with this text need quotes (a comma, quote or line end in it)?
fn needs_quotes(text: &str) -> bool {
    text.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

/// Appends a text cell: neutralised, then quoted when it holds a comma, quote or line end.
pub fn write_text(out: &mut Vec<u8>, text: &str) {
    let text = neutralise(text);
    if needs_quotes(&text) {
        out.push(b'"');
        for b in text.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(text.as_bytes());
    }
}

/// Why one line of a row could not be priced.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LineReason {
    /// The row's zone is not a zone of the service.
    #[error("the service has no zone `{0}`")]
    NoZone(String),
    /// The row's zone is one of the service's but not one the sheet prices.
    #[error("zone `{0}` is not among the sheet's zones")]
    ZoneNotInSheet(String),
    /// Below the first tier.
    #[error("quantity {qty} is below the least quantity {least}")]
    BelowLeastQuantity {
        /// Asked.
        qty: u32,
        /// The first tier's.
        least: u32,
    },
    /// A quantity of 0.
    #[error("quantity must be at least 1")]
    ZeroQuantity,
    /// The row's own margin leaves nothing.
    #[error("fees and the row's margin of {margin}% take the whole price")]
    FeesTakeWholePrice {
        /// The row's margin, percent.
        margin: Decimal,
    },
    /// The lot exceeds a limit of the service.
    #[error("{}", crate::logistics::over_limit("the service's", limit, *value, *max))]
    Limit {
        /// Which.
        limit: &'static str,
        /// The lot's or piece's.
        value: Decimal,
        /// The service's.
        max: Decimal,
    },
    /// The card cannot price the lot (too heavy for its brackets …).
    #[error("{0}")]
    Shipping(String),
    /// A number out of range.
    #[error(transparent)]
    Overflow(#[from] Overflow),
}

/// A line that could not be priced.
#[derive(Debug, Clone, PartialEq)]
pub struct LineError<'a> {
    /// The service, when the sheet has several.
    pub service: Option<&'a str>,
    /// The zone.
    pub zone: &'a str,
    /// The quantity.
    pub qty: u32,
    /// Why.
    pub reason: LineReason,
}

/// Where each known column of a catalog is, by header name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Columns {
    sku: usize,
    cost: usize,
    weight: usize,
    length: usize,
    width: usize,
    height: usize,
    qty: Option<usize>,
    zone: Option<usize>,
    margin: Option<usize>,
    carton: Option<[usize; 5]>,
    ignored: Vec<String>,
    width_min: usize,
    /// The header's fields: a row with more has cells no column names, and its columns
    /// may be shifted.
    header_len: usize,
}

/// A catalog header that lacks a column or names one twice.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("catalog header (row 1): {}", .problems.join("; "))]
pub struct HeaderError {
    /// Each problem.
    pub problems: Vec<String>,
}

impl Columns {
    /// Reads the header row. Required: `sku`, `cost` (or `cost_<currency>`), `weight_kg`,
    /// `length_cm`, `width_cm`, `height_cm`. Optional: `qty`, `zone`, `margin` (percent),
    /// and a carton spec as all of `carton_pieces`, `carton_weight_kg`, `carton_length_cm`,
    /// `carton_width_cm`, `carton_height_cm`. Other columns are ignored and listed
    /// ([`Columns::ignored`]).
    pub fn from_header<'h>(
        header: impl IntoIterator<Item = &'h str>,
    ) -> Result<Columns, HeaderError> {
        let names: Vec<&str> = header.into_iter().map(str::trim).collect();
        let mut problems = Vec::new();
        let mut find = |want: &[&str], required: bool| -> Option<usize> {
            let hits: Vec<usize> = names
                .iter()
                .enumerate()
                .filter(|(_, n)| {
                    want.iter().any(|w| {
                        // `cost_` matches `cost_` and a currency code: `cost_cny`.
                        let (n, w) = (n.as_bytes(), w.as_bytes());
                        n.eq_ignore_ascii_case(w)
                            || (w.ends_with(b"_")
                                && n.len() == w.len().saturating_add(3)
                                && n[..w.len()].eq_ignore_ascii_case(w)
                                && n[w.len()..].iter().all(u8::is_ascii_alphabetic))
                    })
                })
                .map(|(i, _)| i)
                .collect();
            match hits.as_slice() {
                [] if required => {
                    problems.push(format!("no `{}` column", want[0].trim_end_matches('_')));
                    None
                }
                [] => None,
                [one] => Some(*one),
                [first, ..] => {
                    problems.push(format!("`{}` appears {} times", names[*first], hits.len()));
                    None
                }
            }
        };
        let sku = find(&["sku"], true);
        let cost = find(&["cost", "cost_"], true);
        let weight = find(&["weight_kg"], true);
        let length = find(&["length_cm"], true);
        let width = find(&["width_cm"], true);
        let height = find(&["height_cm"], true);
        let qty = find(&["qty", "quantity"], false);
        let zone = find(&["zone"], false);
        let margin = find(&["margin"], false);
        let carton_cols = [
            find(&["carton_pieces"], false),
            find(&["carton_weight_kg"], false),
            find(&["carton_length_cm"], false),
            find(&["carton_width_cm"], false),
            find(&["carton_height_cm"], false),
        ];
        let carton = match carton_cols {
            [Some(a), Some(b), Some(c), Some(d), Some(e)] => Some([a, b, c, d, e]),
            [None, None, None, None, None] => None,
            _ => {
                problems.push(
                    "a carton spec needs all of carton_pieces, carton_weight_kg, \
                     carton_length_cm, carton_width_cm, carton_height_cm"
                        .into(),
                );
                None
            }
        };
        match (sku, cost, weight, length, width, height) {
            (Some(sku), Some(cost), Some(weight), Some(length), Some(width), Some(height))
                if problems.is_empty() =>
            {
                let mut used = vec![sku, cost, weight, length, width, height];
                used.extend([qty, zone, margin].into_iter().flatten());
                used.extend(carton.into_iter().flatten());
                let width_min = used.iter().max().map_or(0, |m| m.saturating_add(1));
                let ignored = names
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !used.contains(i))
                    .map(|(_, n)| (*n).to_owned())
                    .collect();
                Ok(Columns {
                    sku,
                    cost,
                    weight,
                    length,
                    width,
                    height,
                    qty,
                    zone,
                    margin,
                    carton,
                    ignored,
                    width_min,
                    header_len: names.len(),
                })
            }
            _ => Err(HeaderError { problems }),
        }
    }

    /// Header columns the sheet does not read.
    pub fn ignored(&self) -> &[String] {
        &self.ignored
    }

    /// Does the catalog give each row its own quantity?
    pub fn has_qty(&self) -> bool {
        self.qty.is_some()
    }

    /// Reads one record from its fields (numbers are read as ASCII, the SKU and zone must
    /// be UTF-8). Every bad cell is named. A record with more fields than the header is
    /// refused whole (its cells may be shifted: `MUG,02,12.50,…` is not a cost of 02); one
    /// with fewer is read when it has every column the sheet uses.
    pub fn item<'a, C: Cell<'a>>(&self, fields: &[C]) -> Result<Item<'a>, RowError> {
        let mut problems = Vec::new();
        if fields.len() > self.header_len {
            return Err(RowError {
                sku: fields.get(self.sku).map(|s| String::from_utf8_lossy(s.bytes()).into_owned()),
                problems: vec![format!(
                    "{} fields, the header has {}: a cell holds an unquoted comma, or the \
                     columns are shifted",
                    fields.len(),
                    self.header_len
                )],
            });
        }
        if fields.len() < self.width_min {
            return Err(RowError {
                sku: fields.get(self.sku).map(|s| String::from_utf8_lossy(s.bytes()).into_owned()),
                problems: vec![format!(
                    "{} fields, the header has at least {}",
                    fields.len(),
                    self.width_min
                )],
            });
        }
        let cell = |i: usize| fields.get(i).map_or(&b""[..], |c| c.bytes());
        let show = |i: usize| String::from_utf8_lossy(cell(i));
        let text = |i: usize, name: &str, problems: &mut Vec<String>| -> &'a str {
            match fields.get(i).map_or(Some(""), |c| c.text()) {
                Some(t) => trim(t),
                None => {
                    problems.push(format!("{name}: not UTF-8 text"));
                    ""
                }
            }
        };
        let sku = text(self.sku, "sku", &mut problems);
        if sku.is_empty() && problems.is_empty() {
            problems.push("sku: empty".to_owned());
        }
        let mut dec = |i: usize, name: &str, positive: bool| -> Decimal {
            match parse_decimal_bytes(cell(i)) {
                Some(v) if v.is_sign_negative() && !v.is_zero() || (positive && v.is_zero()) => {
                    let want = if positive { "be greater than zero" } else { "not be negative" };
                    problems.push(format!("{name}: must {want} (got {v})"));
                    Decimal::ZERO
                }
                Some(v) => v,
                None => {
                    problems.push(format!("{name}: `{}` is not a number", show(i)));
                    Decimal::ZERO
                }
            }
        };
        let cost = dec(self.cost, "cost", false);
        let weight_kg = dec(self.weight, "weight_kg", false);
        let length_cm = dec(self.length, "length_cm", false);
        let width_cm = dec(self.width, "width_cm", false);
        let height_cm = dec(self.height, "height_cm", false);
        let carton = self.carton.map(|[p, w, l, wd, h]| {
            CartonSpec {
                pieces: 0,
                gross_weight_kg: dec(w, "carton_weight_kg", true),
                length_cm: dec(l, "carton_length_cm", false),
                width_cm: dec(wd, "carton_width_cm", false),
                height_cm: dec(h, "carton_height_cm", false),
            }
            .with_pieces(&show(p))
        });
        let carton = match carton {
            Some(Ok(c)) => Some(c),
            Some(Err(p)) => {
                problems.push(p);
                None
            }
            None => None,
        };
        let margin = self.margin.and_then(|i| {
            let shown = show(i);
            let text = shown.trim().trim_end_matches('%');
            if text.is_empty() {
                return None;
            }
            match parse_decimal(text) {
                Some(v) if v >= Decimal::ZERO && v < Decimal::ONE_HUNDRED => Some(Percent::new(v)),
                _ => {
                    problems
                        .push(format!("margin: `{}` is not a percentage from 0 to 100", show(i)));
                    None
                }
            }
        });
        let qty = self.qty.and_then(|i| match parse_count(cell(i)) {
            Some(q) if q > 0 => Some(q),
            _ => {
                problems.push(format!("qty: `{}` is not a whole number of at least 1", show(i)));
                None
            }
        });
        let zone = self.zone.map(|i| text(i, "zone", &mut problems)).filter(|z| {
            if z.is_empty() {
                problems.push("zone: empty".to_owned());
            }
            !z.is_empty()
        });
        if !problems.is_empty() {
            return Err(RowError { sku: (!sku.is_empty()).then(|| sku.to_owned()), problems });
        }
        Ok(Item { sku, cost, weight_kg, length_cm, width_cm, height_cm, carton, margin, qty, zone })
    }
}

impl CartonSpec {
    fn with_pieces(mut self, text: &str) -> Result<CartonSpec, String> {
        match text.trim().parse::<u32>() {
            Ok(p) if p > 0 => {
                self.pieces = p;
                Ok(self)
            }
            _ => Err(format!("carton_pieces: `{text}` is not a whole number of at least 1")),
        }
    }
}

/// What a price sheet counted: rows read, lines priced, and what was rejected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SheetCounts {
    /// Catalog rows read (not the header).
    pub rows: u64,
    /// Lines priced.
    pub lines: u64,
    /// Rows rejected whole (a bad cell).
    pub rejected_rows: u64,
    /// Lines of good rows that could not be priced.
    pub rejected_lines: u64,
}

impl SheetCounts {
    /// Adds the counts of another part of the same sheet.
    pub fn add(&mut self, other: SheetCounts) {
        self.rows = self.rows.saturating_add(other.rows);
        self.lines = self.lines.saturating_add(other.lines);
        self.rejected_rows = self.rejected_rows.saturating_add(other.rejected_rows);
        self.rejected_lines = self.rejected_lines.saturating_add(other.rejected_lines);
    }

    /// Whether any row or line was rejected.
    pub fn any_rejected(&self) -> bool {
        self.rejected_rows > 0 || self.rejected_lines > 0
    }
}

/// What pricing catalog records left besides the good lines: the rejected rows and lines
/// as CSV records (see [`REJECTED_HEADER`]) and the counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Rejected rows and lines, CSV records without the header.
    pub rejected: Vec<u8>,
    /// The counts.
    pub counts: SheetCounts,
}

impl Tally {
    /// A row that could not be read at all (the CSV reader's own error).
    pub fn unreadable(&mut self, row: u64, reason: &str) {
        self.counts.rows = self.counts.rows.saturating_add(1);
        self.reject_row(row, "", reason);
    }

    /// A row (already counted) rejected whole.
    fn reject_row(&mut self, row: u64, sku: &str, reason: &str) {
        self.counts.rejected_rows = self.counts.rejected_rows.saturating_add(1);
        write_rejected(&mut self.rejected, row, sku, None, None, reason);
    }
}

impl Plan {
    /// Prices catalog row `row` (its cells) into `good` for each priced line; a bad row or
    /// line goes to `tally` with its row number and reason.
    pub fn price_record<'a, C: Cell<'a>>(
        &self,
        columns: &Columns,
        row: u64,
        fields: &[C],
        tally: &mut Tally,
        mut good: impl FnMut(&Line<'_>),
    ) {
        tally.counts.rows = tally.counts.rows.saturating_add(1);
        let item = match columns.item(fields) {
            Ok(item) => item,
            Err(e) => {
                tally.reject_row(row, e.sku.as_deref().unwrap_or(""), &e.to_string());
                return;
            }
        };
        self.for_each_line(&item, |line| match line {
            Ok(l) => {
                tally.counts.lines = tally.counts.lines.saturating_add(1);
                good(&l);
            }
            Err(e) => {
                tally.counts.rejected_lines = tally.counts.rejected_lines.saturating_add(1);
                let reason = match e.service {
                    Some(service) => format!("{service}: {}", e.reason),
                    None => e.reason.to_string(),
                };
                write_rejected(
                    &mut tally.rejected,
                    row,
                    item.sku,
                    Some(e.zone),
                    Some(e.qty),
                    &reason,
                );
            }
        });
    }
}

/// A catalog cell as read: bytes that may not be UTF-8, or text already checked (a
/// whole block checked at once is cheaper than each cell on its own).
pub trait Cell<'a>: Copy {
    /// The cell's bytes.
    fn bytes(self) -> &'a [u8];
    /// The cell as text, if it is UTF-8.
    fn text(self) -> Option<&'a str>;
}

impl<'a> Cell<'a> for &'a [u8] {
    fn bytes(self) -> &'a [u8] {
        self
    }
    fn text(self) -> Option<&'a str> {
        std::str::from_utf8(self).ok()
    }
}

impl<'a> Cell<'a> for &'a str {
    fn bytes(self) -> &'a [u8] {
        self.as_bytes()
    }
    fn text(self) -> Option<&'a str> {
        Some(self)
    }
}

/// `text.trim()`, quickly when there is nothing to trim.
fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// Parses a plain decimal (`12`, `12.50`, `-0.5`, spaces around allowed), never through a
/// float. Up to 18 digits are read directly; longer or unusual text goes through
/// `Decimal::from_str_exact`.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    parse_decimal_bytes(text.as_bytes())
}

/// A whole number of at least 0 in ASCII digits (spaces around allowed).
fn parse_count(b: &[u8]) -> Option<u32> {
    let b = b.trim_ascii();
    if b.is_empty() {
        return None;
    }
    b.iter().try_fold(0u32, |n, &c| {
        let digit = c.checked_sub(b'0').filter(|d| *d < 10)?;
        n.checked_mul(10)?.checked_add(u32::from(digit))
    })
}

/// [`parse_decimal`] on bytes (ASCII).
#[allow(clippy::arithmetic_side_effects)] // at most 18 digits: m < 10^18
pub fn parse_decimal_bytes(b: &[u8]) -> Option<Decimal> {
    let (negative, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    // At most 18 characters: at most 18 digits, so the mantissa fits an i64.
    if digits.is_empty() || digits.len() > 18 {
        return parse_slow(b);
    }
    let mut m = 0i64;
    let mut i = 0;
    while let Some(d) = digits.get(i).map(|c| c.wrapping_sub(b'0')).filter(|d| *d < 10) {
        m = m * 10 + i64::from(d);
        i += 1;
    }
    let whole = i;
    if let Some(&c) = digits.get(i) {
        if c != b'.' {
            return parse_slow(b);
        }
        i += 1;
        for &c in &digits[i..] {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                return parse_slow(b);
            }
            m = m * 10 + i64::from(d);
        }
    }
    let scale = digits.len().saturating_sub(i);
    if whole == 0 || (i > whole && scale == 0) {
        // `.5`, `5.`: let the general parser decide.
        return parse_slow(b);
    }
    Some(Decimal::new(if negative { -m } else { m }, scale as u32))
}

fn parse_slow(b: &[u8]) -> Option<Decimal> {
    let t = std::str::from_utf8(b).ok()?.trim();
    if t.is_empty() {
        return None;
    }
    Decimal::from_str_exact(t).ok()
}

/// A catalog row that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// Its SKU, when it has one.
    pub sku: Option<String>,
    /// Every problem, `column: what`.
    pub problems: Vec<String>,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problems.join("; "))
    }
}

/// The header of the rejected-rows file.
pub const REJECTED_HEADER: &str = "row,sku,zone,qty,reason";

/// Appends one rejected record: the catalog row number (the header is row 1), the SKU,
/// the zone and quantity when one line of the row failed, and the reason.
pub fn write_rejected(
    out: &mut Vec<u8>,
    row: u64,
    sku: &str,
    zone: Option<&str>,
    qty: Option<u32>,
    reason: &str,
) {
    let _ = write!(out, "{row},");
    write_text(out, sku);
    out.push(b',');
    write_text(out, zone.unwrap_or(""));
    out.push(b',');
    if let Some(q) = qty {
        let _ = write!(out, "{q}");
    }
    out.push(b',');
    write_text(out, reason);
    out.push(b'\n');
}
