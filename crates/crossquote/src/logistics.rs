//! Parcel logistics: rate cards as data, chargeable weight, and the price of a parcel or a
//! shipment of cartons on each service.
//!
//! # Rounding points
//! 1. Volumetric weight `L × W × H / divisor` is exact; half throw adds half of the excess
//!    over the actual weight.
//! 2. The chargeable weight goes **up** to the service's weight step (`weight_step_kg`,
//!    default 0.001 kg). A weight exactly on a step boundary stays there: 0.500 kg never
//!    costs a second 0.5 kg step.
//! 3. The base price (per-kg × weight + item fee, or first + additional steps, or the
//!    bracket) is rounded half-up to the card currency's minor unit; surcharges are as
//!    given; the fuel surcharge is `(base + surcharges) × fuel %`, half-up; the total is
//!    their sum.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{FieldError, Overflow, Problem};
use crate::money::{add, div, mul, sub, sum, Rounding};
use crate::percent::Percent;

/// How much of the volumetric excess is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Throw {
    /// The greater of actual and volumetric weight.
    #[default]
    Full,
    /// Actual weight plus half the volumetric excess.
    Half,
    /// Actual weight only.
    None,
}

/// Volumetric weight rule of a service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Volumetric {
    /// cm³ per kg: 5000, 6000, 8000 …
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub divisor: Decimal,
    /// Full, half or no throw.
    #[serde(default)]
    pub throw: Throw,
    /// Applies only when a side is longer than this (cm), e.g. 60; always when absent.
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, with = "crate::serde_dec::option", skip_serializing_if = "Option::is_none")]
    pub threshold_cm: Option<Decimal>,
}

/// Size and weight limits of a service; exceeding one is an error naming it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Heaviest parcel (actual weight), kg.
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, with = "crate::serde_dec::option", skip_serializing_if = "Option::is_none")]
    pub max_weight_kg: Option<Decimal>,
    /// Longest side, cm.
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, with = "crate::serde_dec::option", skip_serializing_if = "Option::is_none")]
    pub max_length_cm: Option<Decimal>,
    /// Length + 2 × (width + height), cm.
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, with = "crate::serde_dec::option", skip_serializing_if = "Option::is_none")]
    pub max_girth_cm: Option<Decimal>,
}

/// Transit time in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Days {
    /// Fastest.
    pub min: u16,
    /// Slowest.
    pub max: u16,
}

/// A fixed surcharge per parcel, in the card's currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Surcharge {
    /// Label.
    pub name: String,
    /// Amount per parcel.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub amount: Decimal,
}

/// First weight and its price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FirstWeight {
    /// Weight covered by the first price, kg.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub weight_kg: Decimal,
    /// Its price.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub price: Decimal,
}

/// Each additional step after the first weight; a partial step counts whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Additional {
    /// Step, kg (0.5, 0.1, 0.01 …).
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub step_kg: Decimal,
    /// Price per step.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub price: Decimal,
}

/// A weight band of a per-kg card: applies up to `up_to_kg` inclusive (no bound when absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KgBand {
    /// Upper weight bound, kg, inclusive.
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, with = "crate::serde_dec::option", skip_serializing_if = "Option::is_none")]
    pub up_to_kg: Option<Decimal>,
    /// Price per kg.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub per_kg: Decimal,
    /// Per-item (registration) fee.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(default, with = "crate::serde_dec")]
    pub item_fee: Decimal,
}

/// A weight bracket: this price up to `up_to_kg` inclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Bracket {
    /// Upper weight bound, kg, inclusive.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub up_to_kg: Decimal,
    /// The price.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub price: Decimal,
}

/// A destination zone: its countries and exactly one way of pricing (first weight +
/// additional; per-kg bands; or brackets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Zone {
    /// ISO 3166 alpha-2 codes.
    pub countries: Vec<String>,
    /// (a) First weight …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<FirstWeight>,
    /// … and each additional step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional: Option<Additional>,
    /// (b) Per-kg plus item fee, by weight band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bands: Option<Vec<KgBand>>,
    /// (b) The least charge.
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, with = "crate::serde_dec::option", skip_serializing_if = "Option::is_none")]
    pub min_charge: Option<Decimal>,
    /// (c) Weight brackets by ascending weight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brackets: Option<Vec<Bracket>>,
    /// Countries (alpha-2) of this zone with postcodes counted remote get the remote
    /// surcharge when the parcel says so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remote_countries: Vec<String>,
}

/// A shipping service and its rate card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Stable id, e.g. `cn-post-registered`.
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// The card's currency.
    pub currency: Currency,
    /// Tracked end to end.
    #[serde(default)]
    pub tracked: bool,
    /// Transit days.
    pub transit_days: Days,
    /// Volumetric rule; none means actual weight only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volumetric: Option<Volumetric>,
    /// Chargeable weight goes up to a multiple of this (kg); 0.001 when absent.
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, with = "crate::serde_dec::option", skip_serializing_if = "Option::is_none")]
    pub weight_step_kg: Option<Decimal>,
    /// Fuel surcharge on base plus surcharges.
    #[serde(default)]
    pub fuel_surcharge: Percent,
    /// Fixed surcharges per parcel.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub surcharges: Vec<Surcharge>,
    /// Remote-area surcharge per parcel.
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, with = "crate::serde_dec::option", skip_serializing_if = "Option::is_none")]
    pub remote_area_surcharge: Option<Decimal>,
    /// Limits.
    #[serde(default)]
    pub limits: Limits,
    /// Zones by name.
    pub zones: BTreeMap<String, Zone>,
    /// Free text, e.g. "sample rates as of 2026-11-20".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One parcel: actual weight and outer dimensions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Parcel {
    /// Actual weight, kg.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub weight_kg: Decimal,
    /// cm.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub length_cm: Decimal,
    /// cm.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub width_cm: Decimal,
    /// cm.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub height_cm: Decimal,
}

/// A carton: pieces per carton, outer size and gross weight when full.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Carton {
    /// Pieces in a full carton.
    pub pieces: u32,
    /// cm.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub length_cm: Decimal,
    /// cm.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub width_cm: Decimal,
    /// cm.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub height_cm: Decimal,
    /// Gross weight of a full carton, kg.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub gross_weight_kg: Decimal,
}

/// Why a service cannot carry a parcel, or a bad input.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ShippingError {
    /// A limit of the service is exceeded.
    #[error("{}", over_limit(&format!("{service}'s"), limit, *value, *max))]
    LimitExceeded {
        /// Service id.
        service: String,
        /// Which limit: `max_weight_kg`, `max_length_cm`, `max_girth_cm`, or the card's
        /// heaviest bracket or band.
        limit: String,
        /// The parcel's value.
        value: Decimal,
        /// The limit.
        max: Decimal,
    },
    /// The service has no zone for the country.
    #[error("{service} does not ship to {country}")]
    NoZone {
        /// Service id.
        service: String,
        /// The country asked for.
        country: String,
    },
    /// Bad input, every problem by field.
    #[error("{}", crate::error::describe_all(.problems))]
    Invalid {
        /// The problems.
        problems: Vec<FieldError>,
    },
    /// A computation overflowed.
    #[error(transparent)]
    Overflow(#[from] Overflow),
}

impl ShippingError {
    /// The service that refused, when one did.
    pub fn service(&self) -> Option<&str> {
        match self {
            ShippingError::LimitExceeded { service, .. }
            | ShippingError::NoZone { service, .. } => Some(service),
            _ => None,
        }
    }
}

/// A limit exceeded, in words, for agents rather than programs: "weight 3 kg is over
/// epacket's limit of 2 kg". `whose` names the service in the possessive; `limit` is a
/// [`ShippingError::LimitExceeded`] limit (`max_weight_kg` …).
pub(crate) fn over_limit(whose: &str, limit: &str, value: Decimal, max: Decimal) -> String {
    let (value, max) = (value.normalize(), max.normalize());
    let (what, unit) = match limit {
        "max_weight_kg" => ("weight", "kg"),
        "max_length_cm" => ("longest side", "cm"),
        "max_girth_cm" => ("length + girth", "cm"),
        HEAVIEST => {
            return format!(
                "chargeable weight {value} kg is over the heaviest on {whose} rate card, {max} kg"
            )
        }
        other => return format!("{other} {value} is over {whose} limit of {max}"),
    };
    format!("{what} {value} {unit} is over {whose} limit of {max} {unit}")
}

/// The limit a parcel passes when it is heavier than the rate card's last bracket or band.
const HEAVIEST: &str = "the heaviest weight on the rate card";

/// The price of shipping one parcel or shipment on one service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ShippingQuote {
    /// Service id.
    pub service: String,
    /// Service name.
    pub name: String,
    /// The zone used.
    pub zone: String,
    /// Parcels priced.
    pub parcels: u32,
    /// Actual weight, kg.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub actual_kg: Decimal,
    /// Volumetric weight, kg (zero when the service has none or the threshold is not met).
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub volumetric_kg: Decimal,
    /// Chargeable weight, kg, after throw and the weight step.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub chargeable_kg: Decimal,
    /// The card's currency.
    pub currency: Currency,
    /// Base price.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub base: Decimal,
    /// Fixed and remote surcharges.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub surcharges: Decimal,
    /// Fuel surcharge.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub fuel: Decimal,
    /// base + surcharges + fuel.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub total: Decimal,
    /// Transit days.
    pub transit_days: Days,
    /// Tracked.
    pub tracked: bool,
}

const KG: &str = "shipping weight";

impl Parcel {
    fn validate(&self, path: &str, errors: &mut Vec<FieldError>) {
        for (name, v) in [
            ("weight_kg", self.weight_kg),
            ("length_cm", self.length_cm),
            ("width_cm", self.width_cm),
            ("height_cm", self.height_cm),
        ] {
            if v <= Decimal::ZERO {
                errors.push(FieldError::new(
                    format!("{path}{name}"),
                    Problem::NotPositive { value: v },
                ));
            }
        }
    }

    fn longest(&self) -> Decimal {
        self.length_cm.max(self.width_cm).max(self.height_cm)
    }

    fn girth(&self) -> Result<Decimal, Overflow> {
        let l = self.longest();
        let all = sum([self.length_cm, self.width_cm, self.height_cm], KG)?;
        // length + 2 × (the other two sides)
        add(l, mul(Decimal::TWO, sub(all, l, KG)?, KG)?, KG)
    }

    fn volume(&self) -> Result<Decimal, Overflow> {
        mul(mul(self.length_cm, self.width_cm, KG)?, self.height_cm, KG)
    }
}

impl Service {
    /// The zone name and zone for `country` (alpha-2, any case).
    pub fn zone_for(&self, country: &str) -> Option<(&str, &Zone)> {
        self.zones
            .iter()
            .find(|(_, z)| z.countries.iter().any(|c| c.eq_ignore_ascii_case(country)))
            .map(|(n, z)| (n.as_str(), z))
    }

    fn check_limits(&self, p: &Parcel) -> Result<(), ShippingError> {
        let over = |limit: &str, value: Decimal, max: Option<Decimal>| match max {
            Some(max) if value > max => Err(ShippingError::LimitExceeded {
                service: self.id.clone(),
                limit: limit.to_owned(),
                value,
                max,
            }),
            _ => Ok(()),
        };
        over("max_weight_kg", p.weight_kg, self.limits.max_weight_kg)?;
        over("max_length_cm", p.longest(), self.limits.max_length_cm)?;
        over("max_girth_cm", p.girth()?, self.limits.max_girth_cm)
    }

    /// `(volumetric, chargeable)` weight of one parcel, kg.
    pub fn chargeable_weight(&self, p: &Parcel) -> Result<(Decimal, Decimal), Overflow> {
        let vol = match &self.volumetric {
            Some(v)
                if v.threshold_cm.is_none_or(|t| p.longest() > t) && v.divisor > Decimal::ZERO =>
            {
                div(p.volume()?, v.divisor, KG)?
            }
            _ => Decimal::ZERO,
        };
        let throw = self.volumetric.as_ref().map_or(Throw::None, |v| v.throw);
        let cw = match throw {
            Throw::Full => p.weight_kg.max(vol),
            Throw::Half if vol > p.weight_kg => {
                add(p.weight_kg, div(sub(vol, p.weight_kg, KG)?, Decimal::TWO, KG)?, KG)?
            }
            Throw::Half | Throw::None => p.weight_kg,
        };
        let step = self.weight_step_kg.unwrap_or(Decimal::new(1, 3));
        Ok((vol, Rounding::Ceiling.round_to_step(cw, step)?.normalize()))
    }

    fn base_price(&self, zone: &Zone, cw: Decimal) -> Result<Decimal, ShippingError> {
        const WHAT: &str = "a shipping price";
        let too_heavy = |max: Decimal| ShippingError::LimitExceeded {
            service: self.id.clone(),
            limit: HEAVIEST.into(),
            value: cw,
            max,
        };
        let raw =
            if let (Some(first), Some(more)) = (&zone.first, &zone.additional) {
                if cw <= first.weight_kg {
                    first.price
                } else {
                    let over = sub(cw, first.weight_kg, WHAT)?;
                    let steps = Rounding::Ceiling.div_round(over, more.step_kg, 0, WHAT)?;
                    add(first.price, mul(steps, more.price, WHAT)?, WHAT)?
                }
            } else if let Some(bands) = &zone.bands {
                let band =
                    bands.iter().find(|b| b.up_to_kg.is_none_or(|u| cw <= u)).ok_or_else(|| {
                        too_heavy(bands.last().and_then(|b| b.up_to_kg).unwrap_or_default())
                    })?;
                let p = add(mul(cw, band.per_kg, WHAT)?, band.item_fee, WHAT)?;
                zone.min_charge.map_or(p, |m| p.max(m))
            } else if let Some(brackets) = &zone.brackets {
                brackets.iter().find(|b| cw <= b.up_to_kg).map(|b| b.price).ok_or_else(|| {
                    too_heavy(brackets.last().map(|b| b.up_to_kg).unwrap_or_default())
                })?
            } else {
                return Err(ShippingError::Invalid {
                    problems: vec![FieldError::new(
                        format!("services.{}.zones", self.id),
                        Problem::Invalid { message: "the zone has no pricing".into() },
                    )],
                });
            };
        Ok(Rounding::HalfUp.round(raw, self.currency.minor_units()))
    }

    /// The price of one shipment whose chargeable weight is `cw` kg (before the card's
    /// weight step) in `zone`: the step, the card, the per-parcel surcharges once, and fuel
    /// on both, in the card's currency. The price sheet prices a whole lot this way.
    pub fn price_chargeable(&self, zone: &Zone, cw: Decimal) -> Result<Decimal, ShippingError> {
        const WHAT: &str = "a shipping price";
        let step = self.weight_step_kg.unwrap_or(Decimal::new(1, 3));
        let base = self.base_price(zone, Rounding::Ceiling.round_to_step(cw, step)?)?;
        if self.surcharges.is_empty() && self.fuel_surcharge.is_zero() {
            return Ok(base);
        }
        let surcharges = sum(self.surcharges.iter().map(|s| s.amount), WHAT)?;
        let fuel = Rounding::HalfUp.round(
            mul(add(base, surcharges, WHAT)?, self.fuel_surcharge.fraction(), WHAT)?,
            self.currency.minor_units(),
        );
        Ok(sum([base, surcharges, fuel], WHAT)?)
    }

    /// The price of one parcel to `country`.
    pub fn quote_parcel(
        &self,
        p: &Parcel,
        country: &str,
        remote: bool,
    ) -> Result<ShippingQuote, ShippingError> {
        self.quote_parcels(std::slice::from_ref(p), country, remote, Pricing::PerParcel)
    }

    /// The price of several parcels to `country`: each priced alone and added
    /// ([`Pricing::PerParcel`]), or priced once on the sum of their chargeable weights
    /// ([`Pricing::PerShipment`], as express carriers price multi-piece shipments).
    pub fn quote_parcels(
        &self,
        parcels: &[Parcel],
        country: &str,
        remote: bool,
        pricing: Pricing,
    ) -> Result<ShippingQuote, ShippingError> {
        const WHAT: &str = "a shipping price";
        let mut errors = Vec::new();
        for (i, p) in parcels.iter().enumerate() {
            p.validate(&format!("parcels[{i}]."), &mut errors);
        }
        if parcels.is_empty() {
            errors.push(FieldError::new(
                "parcels",
                Problem::Invalid { message: "no parcel to ship".into() },
            ));
        }
        if !errors.is_empty() {
            return Err(ShippingError::Invalid { problems: errors });
        }
        let (zone_name, zone) = self.zone_for(country).ok_or_else(|| ShippingError::NoZone {
            service: self.id.clone(),
            country: country.to_owned(),
        })?;
        let is_remote =
            remote && zone.remote_countries.iter().any(|c| c.eq_ignore_ascii_case(country));
        let per_parcel_surcharges = sum(
            self.surcharges
                .iter()
                .map(|s| s.amount)
                .chain(is_remote.then_some(self.remote_area_surcharge).flatten()),
            WHAT,
        )?;
        let mut actual = Decimal::ZERO;
        let mut volumetric = Decimal::ZERO;
        let mut chargeable = Decimal::ZERO;
        let mut base = Decimal::ZERO;
        for p in parcels {
            self.check_limits(p)?;
            let (vol, cw) = self.chargeable_weight(p)?;
            actual = add(actual, p.weight_kg, KG)?;
            volumetric = add(volumetric, vol, KG)?;
            chargeable = add(chargeable, cw, KG)?;
            if pricing == Pricing::PerParcel {
                base = add(base, self.base_price(zone, cw)?, WHAT)?;
            }
        }
        let (count, surcharge_count) = match pricing {
            Pricing::PerParcel => (parcels.len(), parcels.len()),
            Pricing::PerShipment => {
                base = self.base_price(zone, chargeable)?;
                (parcels.len(), 1)
            }
        };
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        let surcharges = mul(per_parcel_surcharges, Decimal::from(surcharge_count), WHAT)?;
        let fuel = Rounding::HalfUp.round(
            mul(add(base, surcharges, WHAT)?, self.fuel_surcharge.fraction(), WHAT)?,
            self.currency.minor_units(),
        );
        let total = sum([base, surcharges, fuel], WHAT)?;
        Ok(ShippingQuote {
            service: self.id.clone(),
            name: self.name.clone(),
            zone: zone_name.to_owned(),
            parcels: count,
            actual_kg: actual.normalize(),
            volumetric_kg: volumetric.normalize(),
            chargeable_kg: chargeable.normalize(),
            currency: self.currency,
            base,
            surcharges,
            fuel,
            total,
            transit_days: self.transit_days,
            tracked: self.tracked,
        })
    }

    /// Problems with the service, each with its path under `path`
    /// (`services[2].zones.EU.bands[1].per_kg`).
    pub fn validate(&self, path: &str) -> Vec<FieldError> {
        let mut e = Vec::new();
        let at = |f: &str| format!("{path}.{f}");
        let positive = |e: &mut Vec<FieldError>, f: String, v: Decimal| {
            if v <= Decimal::ZERO {
                e.push(FieldError::new(f, Problem::NotPositive { value: v }));
            }
        };
        let not_negative = |e: &mut Vec<FieldError>, f: String, v: Decimal| {
            if v < Decimal::ZERO {
                e.push(FieldError::new(f, Problem::Negative { value: v }));
            }
        };
        if self.id.trim().is_empty() {
            e.push(FieldError::new(
                at("id"),
                Problem::Invalid { message: "a service needs an id".into() },
            ));
        }
        if self.transit_days.min > self.transit_days.max {
            e.push(FieldError::new(
                at("transit_days"),
                Problem::Invalid { message: "min is above max".into() },
            ));
        }
        if let Some(v) = &self.volumetric {
            positive(&mut e, at("volumetric.divisor"), v.divisor);
            if let Some(t) = v.threshold_cm {
                positive(&mut e, at("volumetric.threshold_cm"), t);
            }
        }
        if let Some(s) = self.weight_step_kg {
            positive(&mut e, at("weight_step_kg"), s);
        }
        if self.fuel_surcharge.points() < Decimal::ZERO {
            e.push(FieldError::new(
                at("fuel_surcharge"),
                Problem::Negative { value: self.fuel_surcharge.points() },
            ));
        }
        for (i, s) in self.surcharges.iter().enumerate() {
            not_negative(&mut e, at(&format!("surcharges[{i}].amount")), s.amount);
        }
        if let Some(r) = self.remote_area_surcharge {
            not_negative(&mut e, at("remote_area_surcharge"), r);
        }
        for (name, v) in [
            ("max_weight_kg", self.limits.max_weight_kg),
            ("max_length_cm", self.limits.max_length_cm),
            ("max_girth_cm", self.limits.max_girth_cm),
        ] {
            if let Some(v) = v {
                positive(&mut e, at(&format!("limits.{name}")), v);
            }
        }
        if self.zones.is_empty() {
            e.push(FieldError::new(
                at("zones"),
                Problem::Invalid { message: "a service needs a zone".into() },
            ));
        }
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (zn, z) in &self.zones {
            let zat = |f: &str| at(&format!("zones.{zn}.{f}"));
            for (i, c) in z.countries.iter().enumerate() {
                if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
                    e.push(FieldError::new(
                        zat(&format!("countries[{i}]")),
                        Problem::Invalid {
                            message: format!("`{c}` is not an ISO 3166 alpha-2 country code"),
                        },
                    ));
                } else if let Some(other) = seen.insert(c.to_ascii_uppercase(), zn) {
                    e.push(FieldError::new(
                        zat(&format!("countries[{i}]")),
                        Problem::Invalid { message: format!("{c} is already in zone {other}") },
                    ));
                }
            }
            let kinds = [
                z.first.is_some() || z.additional.is_some(),
                z.bands.is_some(),
                z.brackets.is_some(),
            ];
            match kinds.iter().filter(|k| **k).count() {
                0 => e.push(FieldError::new(
                    zat("countries").replace(".countries", ""),
                    Problem::Invalid { message: "no pricing: give first + additional, bands, or brackets".into() },
                )),
                1 => {}
                _ => e.push(FieldError::new(
                    zat("countries").replace(".countries", ""),
                    Problem::Invalid { message: "more than one pricing: give only one of first + additional, bands, brackets".into() },
                )),
            }
            match (&z.first, &z.additional) {
                (Some(f), Some(a)) => {
                    positive(&mut e, zat("first.weight_kg"), f.weight_kg);
                    not_negative(&mut e, zat("first.price"), f.price);
                    positive(&mut e, zat("additional.step_kg"), a.step_kg);
                    not_negative(&mut e, zat("additional.price"), a.price);
                }
                (Some(_), None) => e.push(FieldError::new(
                    zat("additional"),
                    Problem::Invalid { message: "first weight needs additional steps".into() },
                )),
                (None, Some(_)) => e.push(FieldError::new(
                    zat("first"),
                    Problem::Invalid { message: "additional steps need a first weight".into() },
                )),
                (None, None) => {}
            }
            if let Some(bands) = &z.bands {
                let mut last: Option<Decimal> = None;
                for (i, b) in bands.iter().enumerate() {
                    let bat = |f: &str| zat(&format!("bands[{i}].{f}"));
                    not_negative(&mut e, bat("per_kg"), b.per_kg);
                    not_negative(&mut e, bat("item_fee"), b.item_fee);
                    match (b.up_to_kg, last) {
                        (Some(u), Some(l)) if u <= l => e.push(FieldError::new(
                            bat("up_to_kg"),
                            Problem::Invalid {
                                message: format!("bands must rise in weight ({u} after {l})"),
                            },
                        )),
                        (None, _) if i.saturating_add(1) != bands.len() => e.push(FieldError::new(
                            bat("up_to_kg"),
                            Problem::Invalid {
                                message: "only the last band may be open-ended".into(),
                            },
                        )),
                        _ => {}
                    }
                    if let Some(u) = b.up_to_kg {
                        positive(&mut e, bat("up_to_kg"), u);
                        last = Some(u);
                    }
                }
                if bands.is_empty() {
                    e.push(FieldError::new(
                        zat("bands"),
                        Problem::Invalid { message: "no bands".into() },
                    ));
                }
            }
            if let Some(m) = z.min_charge {
                not_negative(&mut e, zat("min_charge"), m);
            }
            if let Some(brackets) = &z.brackets {
                for (i, b) in brackets.iter().enumerate() {
                    positive(&mut e, zat(&format!("brackets[{i}].up_to_kg")), b.up_to_kg);
                    not_negative(&mut e, zat(&format!("brackets[{i}].price")), b.price);
                    if i.checked_sub(1)
                        .and_then(|k| brackets.get(k))
                        .is_some_and(|prev| b.up_to_kg <= prev.up_to_kg)
                    {
                        e.push(FieldError::new(
                            zat(&format!("brackets[{i}].up_to_kg")),
                            Problem::Invalid { message: "brackets must rise in weight".into() },
                        ));
                    }
                }
                if brackets.is_empty() {
                    e.push(FieldError::new(
                        zat("brackets"),
                        Problem::Invalid { message: "no brackets".into() },
                    ));
                }
            }
        }
        e
    }
}

impl ShippingQuote {
    /// This shipping cost folded into a B2C quote as free shipping: the whole order's
    /// shipping, in the seller's currency (converted at mid when the card is in another),
    /// spread over the order's pieces by the B2C engine.
    pub fn as_b2c_shipping(
        &self,
        seller: Currency,
        rates: &crate::fx::RateTable,
    ) -> Result<crate::b2c::Shipping, crate::fx::FxError> {
        let amount = rates.convert(
            crate::money::Money::new(self.total, self.currency),
            seller,
            crate::fx::RateSide::Mid,
        )?;
        Ok(crate::b2c::Shipping { amount: amount.amount, per: crate::b2c::Per::Order })
    }
}

/// How a multi-parcel shipment is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Pricing {
    /// Each parcel priced alone, prices added.
    #[default]
    PerParcel,
    /// One price on the summed chargeable weight.
    PerShipment,
}

/// The parcels for `quantity` pieces: one parcel of the whole lot (unit weight and volume
/// times the quantity, the longest side of one unit; for small lots in one bag), or
/// cartons from a carton spec (full cartons at their gross weight, the last one with its
/// share of pieces weighing its share, same size).
pub fn lot_parcels(
    quantity: u32,
    unit: &Parcel,
    carton: Option<&Carton>,
) -> Result<Vec<Parcel>, ShippingError> {
    const WHAT: &str = "a lot";
    let mut errors = Vec::new();
    if quantity == 0 {
        errors.push(FieldError::new("quantity", Problem::NotPositive { value: Decimal::ZERO }));
    }
    match carton {
        None => unit.validate("unit.", &mut errors),
        Some(c) => {
            if c.pieces == 0 {
                errors.push(FieldError::new(
                    "carton.pieces",
                    Problem::NotPositive { value: Decimal::ZERO },
                ));
            }
            Parcel {
                weight_kg: c.gross_weight_kg,
                length_cm: c.length_cm,
                width_cm: c.width_cm,
                height_cm: c.height_cm,
            }
            .validate("carton.", &mut errors);
            let errs: Vec<FieldError> = errors
                .drain(..)
                .map(|mut e| {
                    e.field = e.field.replace("carton.weight_kg", "carton.gross_weight_kg");
                    e
                })
                .collect();
            errors = errs;
        }
    }
    if !errors.is_empty() {
        return Err(ShippingError::Invalid { problems: errors });
    }
    Ok(match carton {
        None => vec![bag(&[(unit, quantity)])?],
        Some(c) => {
            let (full, rest) =
                match (quantity.checked_div(c.pieces), quantity.checked_rem(c.pieces)) {
                    (Some(f), Some(r)) => (f, r),
                    _ => (0, 0), // pieces == 0 was reported above
                };
            if full > MAX_CARTONS {
                return Err(ShippingError::Invalid { problems: vec![FieldError::new(
                    "quantity",
                    Problem::Invalid { message: format!("{quantity} pieces make {full} cartons, more than the {MAX_CARTONS} one shipment may have") },
                )] });
            }
            let mut out = vec![
                Parcel {
                    weight_kg: c.gross_weight_kg,
                    length_cm: c.length_cm,
                    width_cm: c.width_cm,
                    height_cm: c.height_cm
                };
                full as usize
            ];
            if rest > 0 {
                let share = div(
                    mul(c.gross_weight_kg, Decimal::from(rest), WHAT)?,
                    Decimal::from(c.pieces),
                    WHAT,
                )?;
                out.push(Parcel {
                    weight_kg: share,
                    length_cm: c.length_cm,
                    width_cm: c.width_cm,
                    height_cm: c.height_cm,
                });
            }
            out
        }
    })
}

/// Pieces packed together in one bag: their summed weight; one piece keeps its own sides
/// (longest first); several make a bag as long as the longest piece's longest side with a
/// square section of the pieces' summed volume over that length (width × height = Σ
/// volume / length, the side to 12 decimal places). `pieces` are (unit parcel, count);
/// the caller has checked every unit's sides are positive.
pub fn bag(pieces: &[(&Parcel, u32)]) -> Result<Parcel, Overflow> {
    const WHAT: &str = "a bag of pieces";
    let count: u64 = pieces.iter().map(|(_, n)| u64::from(*n)).sum();
    if count == 1 {
        if let Some((unit, _)) = pieces.iter().find(|(_, n)| *n == 1) {
            let mut sides = [unit.length_cm, unit.width_cm, unit.height_cm];
            sides.sort();
            return Ok(Parcel {
                weight_kg: unit.weight_kg,
                length_cm: unit.longest(),
                width_cm: sides[1],
                height_cm: sides[0],
            });
        }
    }
    let mut weight = Decimal::ZERO;
    let mut volume = Decimal::ZERO;
    let mut longest = Decimal::ZERO;
    for (unit, n) in pieces {
        let n = Decimal::from(*n);
        weight = add(weight, mul(unit.weight_kg, n, WHAT)?, WHAT)?;
        volume = add(volume, mul(unit.volume()?, n, WHAT)?, WHAT)?;
        longest = longest.max(unit.longest());
    }
    let side = if longest.is_zero() { Decimal::ZERO } else { sqrt(div(volume, longest, WHAT)?)? };
    Ok(Parcel { weight_kg: weight, length_cm: longest, width_cm: side, height_cm: side })
}

/// The most cartons one shipment may have (a guard against a typo'd quantity).
pub const MAX_CARTONS: u32 = 100_000;

/// Square root to 12 decimal places by Newton's method on decimals (for a bag's section).
fn sqrt(x: Decimal) -> Result<Decimal, Overflow> {
    const WHAT: &str = "a square root";
    if x <= Decimal::ZERO {
        return Ok(Decimal::ZERO);
    }
    let mut g = if x > Decimal::ONE { div(x, Decimal::TWO, WHAT)? } else { Decimal::ONE };
    for _ in 0..100 {
        let next = div(add(g, div(x, g, WHAT)?, WHAT)?, Decimal::TWO, WHAT)?;
        if sub(next, g, WHAT)?.abs() < Decimal::new(1, 14) {
            return Ok(next.round_dp(12));
        }
        g = next;
    }
    Ok(g.round_dp(12))
}

/// Every service that can carry the parcels to `country`, cheapest first (then fastest),
/// and why each other service cannot.
pub fn options(
    services: &[Service],
    parcels: &[Parcel],
    country: &str,
    remote: bool,
    pricing: Pricing,
) -> (Vec<ShippingQuote>, Vec<ShippingError>) {
    let mut ok = Vec::new();
    let mut not = Vec::new();
    for s in services {
        match s.quote_parcels(parcels, country, remote, pricing) {
            Ok(q) => ok.push(q),
            Err(e) => not.push(e),
        }
    }
    ok.sort_by(|a, b| {
        a.total
            .cmp(&b.total)
            .then(a.transit_days.max.cmp(&b.transit_days.max))
            .then(a.service.cmp(&b.service))
    });
    (ok, not)
}

/// The fastest of `options` (by slowest transit day, then price).
pub fn fastest(options: &[ShippingQuote]) -> Option<&ShippingQuote> {
    options.iter().min_by(|a, b| {
        a.transit_days
            .max
            .cmp(&b.transit_days.max)
            .then(a.transit_days.min.cmp(&b.transit_days.min))
            .then(a.total.cmp(&b.total))
    })
}
