//! Ocean freight for B2B quotes: W/M and LCL freight, FCL box rates, and how many cartons a
//! container holds.
//!
//! Rounding: freight amounts are half-up to the currency's minor unit at the end; CBM and
//! tonnes are exact.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{FieldError, FieldErrors, Overflow, Problem};
use crate::money::{add, div, mul, sum, Money, Rounding};
use crate::percent::Percent;

const WHAT: &str = "ocean freight";

/// A shipment's size: cubic metres and gross tonnes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Cargo {
    /// Volume, m³.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub cbm: Decimal,
    /// Gross weight, kg.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub kg: Decimal,
}

/// Freight on W/M: `max(CBM, tonnes × cbm_per_tonne) × rate × (1 + Σ surcharges)`.
/// With the usual 1:1 ratio (1 tonne = 1 m³) it is the greater of CBM and tonnes; an LCL
/// tariff with another weight ratio (e.g. 1 m³ = 500 kg, 2 m³ per tonne) sets it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WmTariff {
    /// Base rate per freight ton.
    pub rate: Money,
    /// Cubic metres one tonne counts as (1 for W/M 1:1).
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(default = "one", with = "crate::serde_dec")]
    pub cbm_per_tonne: Decimal,
    /// Surcharges in % of the base freight (BAF, CAF …).
    #[serde(default)]
    pub surcharges: Vec<Percent>,
    /// The least freight tons charged (LCL minimum, often 1).
    #[cfg_attr(feature = "schemars", schemars(with = "Option<crate::serde_dec::DecimalText>"))]
    #[serde(default, with = "crate::serde_dec::option", skip_serializing_if = "Option::is_none")]
    pub min_freight_tons: Option<Decimal>,
}

fn one() -> Decimal {
    Decimal::ONE
}

/// A W/M freight result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct WmFreight {
    /// Freight tons charged.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub freight_tons: Decimal,
    /// "W" when weight decided, "M" when measurement did.
    pub basis: String,
    /// Base freight.
    pub base: Money,
    /// Surcharges.
    pub surcharges: Money,
    /// Total, half-up to the minor unit.
    pub total: Money,
}

impl WmTariff {
    /// The freight for `cargo`.
    pub fn freight(&self, cargo: Cargo) -> Result<WmFreight, FieldErrors> {
        let mut e = Vec::new();
        if cargo.cbm < Decimal::ZERO {
            e.push(FieldError::new("cargo.cbm", Problem::Negative { value: cargo.cbm }));
        }
        if cargo.kg < Decimal::ZERO {
            e.push(FieldError::new("cargo.kg", Problem::Negative { value: cargo.kg }));
        }
        if self.rate.amount < Decimal::ZERO {
            e.push(FieldError::new(
                "tariff.rate.amount",
                Problem::Negative { value: self.rate.amount },
            ));
        }
        if self.cbm_per_tonne <= Decimal::ZERO {
            e.push(FieldError::new(
                "tariff.cbm_per_tonne",
                Problem::NotPositive { value: self.cbm_per_tonne },
            ));
        }
        for (i, s) in self.surcharges.iter().enumerate() {
            if s.points() < Decimal::ZERO {
                e.push(FieldError::new(
                    format!("tariff.surcharges[{i}]"),
                    Problem::Negative { value: s.points() },
                ));
            }
        }
        if !e.is_empty() {
            return Err(FieldErrors(e));
        }
        let inner = || -> Result<WmFreight, Overflow> {
            let w = mul(div(cargo.kg, Decimal::from(1000), WHAT)?, self.cbm_per_tonne, WHAT)?;
            let (mut tons, basis) = if w > cargo.cbm { (w, "W") } else { (cargo.cbm, "M") };
            if let Some(min) = self.min_freight_tons {
                tons = tons.max(min);
            }
            let base = mul(tons, self.rate.amount, WHAT)?;
            let pct = sum(self.surcharges.iter().map(|s| s.fraction()), WHAT)?;
            let extra = mul(base, pct, WHAT)?;
            let minor = self.rate.currency.minor_units();
            let (base_r, extra_r) =
                (Rounding::HalfUp.round(base, minor), Rounding::HalfUp.round(extra, minor));
            Ok(WmFreight {
                freight_tons: tons.normalize(),
                basis: basis.to_owned(),
                base: Money::new(base_r, self.rate.currency),
                surcharges: Money::new(extra_r, self.rate.currency),
                total: Money::new(add(base_r, extra_r, WHAT)?, self.rate.currency),
            })
        };
        inner().map_err(|o| {
            FieldErrors(vec![FieldError::new("cargo", Problem::Invalid { message: o.to_string() })])
        })
    }
}

/// A container type with its inside size and limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Container {
    /// "20GP", "40GP", "40HQ".
    pub name: String,
    /// Inside length, width, height, cm.
    pub inside_cm: [Decimal; 3],
    /// Volume that loads in practice, m³ (less than length × width × height).
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub usable_cbm: Decimal,
    /// Heaviest payload, kg.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub max_payload_kg: Decimal,
}

impl Container {
    /// The usual figures: inside 589.8 × 235.2 × 239.3 cm (20GP), 1203.2 × 235.2 × 239.3
    /// (40GP), 1203.2 × 235.2 × 269.8 (40HQ); usable 28 / 58 / 68 m³; payload 21,700 /
    /// 26,500 / 26,300 kg. Carriers' own figures vary: pass yours.
    pub fn standard() -> Vec<Container> {
        let d = |m: i64, s: u32| Decimal::new(m, s);
        vec![
            Container {
                name: "20GP".into(),
                inside_cm: [d(5898, 1), d(2352, 1), d(2393, 1)],
                usable_cbm: d(28, 0),
                max_payload_kg: d(21700, 0),
            },
            Container {
                name: "40GP".into(),
                inside_cm: [d(12032, 1), d(2352, 1), d(2393, 1)],
                usable_cbm: d(58, 0),
                max_payload_kg: d(26500, 0),
            },
            Container {
                name: "40HQ".into(),
                inside_cm: [d(12032, 1), d(2352, 1), d(2698, 1)],
                usable_cbm: d(68, 0),
                max_payload_kg: d(26300, 0),
            },
        ]
    }
}

/// A carton for container loading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportCarton {
    /// Pieces per carton.
    pub pieces: u32,
    /// Outside length, width, height, cm.
    pub size_cm: [Decimal; 3],
    /// Gross weight, kg.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub gross_kg: Decimal,
}

impl ExportCarton {
    /// One carton's volume, m³: length × width × height / 10⁶, exact.
    pub fn cbm(&self) -> Result<Decimal, Overflow> {
        cbm_of(self.size_cm)
    }
}

/// A box's volume in m³ from its outside sides in cm: `l × w × h / 10⁶`, exact.
pub fn cbm_of([l, w, h]: [Decimal; 3]) -> Result<Decimal, Overflow> {
    div(mul(mul(l, w, WHAT)?, h, WHAT)?, Decimal::from(1_000_000), WHAT)
}

/// How many cartons fit a container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Fill {
    /// The container.
    pub container: String,
    /// Whole cartons, the lesser of the volume and the weight limit.
    pub cartons: u64,
    /// Pieces: cartons × pieces per carton (the quantity to quote for a full container).
    pub pieces: u64,
    /// "volume" or "weight": which limit decided.
    pub limited_by: String,
    /// One carton's volume, m³.
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(with = "crate::serde_dec")]
    pub carton_cbm: Decimal,
}

/// Cartons per container under both the volume and the weight limit (whole cartons). A
/// carton that does not fit the container's inside (in any orientation) is an error.
pub fn fill(carton: &ExportCarton, container: &Container) -> Result<Fill, FieldErrors> {
    let mut e = Vec::new();
    for (i, v) in carton.size_cm.iter().enumerate() {
        if *v <= Decimal::ZERO {
            e.push(FieldError::new(
                format!("carton.size_cm[{i}]"),
                Problem::NotPositive { value: *v },
            ));
        }
    }
    if carton.gross_kg <= Decimal::ZERO {
        e.push(FieldError::new("carton.gross_kg", Problem::NotPositive { value: carton.gross_kg }));
    }
    if carton.pieces == 0 {
        e.push(FieldError::new("carton.pieces", Problem::NotPositive { value: Decimal::ZERO }));
    }
    let mut c = carton.size_cm;
    let mut k = container.inside_cm;
    c.sort();
    k.sort();
    if e.is_empty() && c.iter().zip(k.iter()).any(|(a, b)| a > b) {
        e.push(FieldError::new(
            "carton.size_cm",
            Problem::Invalid {
                message: format!(
                    "a {} x {} x {} cm carton does not fit a {} ({} x {} x {} cm inside)",
                    carton.size_cm[0],
                    carton.size_cm[1],
                    carton.size_cm[2],
                    container.name,
                    container.inside_cm[0],
                    container.inside_cm[1],
                    container.inside_cm[2]
                ),
            },
        ));
    }
    if !e.is_empty() {
        return Err(FieldErrors(e));
    }
    let inner = || -> Result<Fill, Overflow> {
        let cbm = carton.cbm()?;
        let by_volume = div(container.usable_cbm, cbm, WHAT)?.floor();
        let by_weight = div(container.max_payload_kg, carton.gross_kg, WHAT)?.floor();
        let (n, limited_by) =
            if by_weight < by_volume { (by_weight, "weight") } else { (by_volume, "volume") };
        let cartons = u64::try_from(n.mantissa()).unwrap_or(0);
        Ok(Fill {
            container: container.name.clone(),
            cartons,
            pieces: cartons.saturating_mul(u64::from(carton.pieces)),
            limited_by: limited_by.to_owned(),
            carton_cbm: cbm.normalize(),
        })
    };
    inner().map_err(|o| {
        FieldErrors(vec![FieldError::new("carton", Problem::Invalid { message: o.to_string() })])
    })
}

/// FCL freight per unit: the box rate over the units the container holds, half-up to 4
/// decimal places (a unit price component, rounded again with the price).
pub fn fcl_per_unit(box_rate: Money, units: u64) -> Result<Money, FieldErrors> {
    if units == 0 {
        return Err(FieldErrors(vec![FieldError::new(
            "units",
            Problem::NotPositive { value: Decimal::ZERO },
        )]));
    }
    Rounding::HalfUp
        .div_round(box_rate.amount, Decimal::from(units), 4, WHAT)
        .map(|a| Money::new(a, box_rate.currency))
        .map_err(|o| {
            FieldErrors(vec![FieldError::new(
                "box_rate",
                Problem::Invalid { message: o.to_string() },
            )])
        })
}

/// The currency of a tariff, for callers that need it.
pub fn currency_of(t: &WmTariff) -> Currency {
    t.rate.currency
}
