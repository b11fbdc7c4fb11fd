//! Property tests of the rate-card engine on the services of the shared logistics golden
//! file, 10,000 cases each.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use crossquote::logistics::{Parcel, Service, ShippingError};
use crossquote::Decimal;
use proptest::prelude::*;

fn services() -> Vec<Service> {
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("../../../tests/golden/logistics.json")).unwrap();
    serde_json::from_value(doc["services"].clone()).unwrap()
}

fn parcel(grams: i64, l: i64, w: i64, h: i64) -> Parcel {
    Parcel {
        weight_kg: Decimal::new(grams, 3),
        length_cm: Decimal::from(l),
        width_cm: Decimal::from(w),
        height_cm: Decimal::from(h),
    }
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    /// More weight never costs less, on every service and zone.
    #[test]
    fn price_never_falls_as_weight_grows(
        i in 0..5usize, country in prop::sample::select(vec!["US", "DE", "BR", "GB", "CA"]),
        g1 in 1..40_000i64, extra in 0..5_000i64, l in 1..130i64, w in 1..60i64, h in 1..60i64, remote: bool,
    ) {
        let s = &services()[i];
        let light = s.quote_parcel(&parcel(g1, l, w, h), country, remote);
        let heavy = s.quote_parcel(&parcel(g1 + extra, l, w, h), country, remote);
        match (light, heavy) {
            (Ok(a), Ok(b)) => prop_assert!(b.total >= a.total, "{} kg {} > {} kg {}", a.actual_kg, a.total, b.actual_kg, b.total),
            (Err(_), Ok(b)) => prop_assert!(false, "lighter parcel refused, heavier priced {}", b.total),
            _ => {}
        }
    }

    /// The chargeable weight is never below the actual weight.
    #[test]
    fn chargeable_weight_is_at_least_actual(i in 0..5usize, g in 1..40_000i64, l in 1..130i64, w in 1..60i64, h in 1..60i64) {
        let s = &services()[i];
        let (_, cw) = s.chargeable_weight(&parcel(g, l, w, h)).unwrap();
        prop_assert!(cw >= Decimal::new(g, 3));
    }

    /// A weight exactly on a service's weight step stays there: the chargeable weight of
    /// k × step is k × step, never the next step.
    #[test]
    fn boundary_weight_is_not_rounded_up(i in 0..5usize, k in 1..400i64) {
        let s = &services()[i];
        let step = s.weight_step_kg.unwrap_or(Decimal::new(1, 3));
        let w = step * Decimal::from(k);
        let p = Parcel { weight_kg: w, length_cm: Decimal::ONE, width_cm: Decimal::ONE, height_cm: Decimal::ONE };
        let (_, cw) = s.chargeable_weight(&p).unwrap();
        prop_assert_eq!(cw, w.normalize());
    }
}

/// First weight plus n steps costs the first price plus n step prices; one gram more costs
/// one step more (every n the 2 kg limit allows, both zones).
#[test]
fn boundary_weight_costs_no_extra_step() {
    let s = services().into_iter().find(|s| s.id == "post-registered").unwrap();
    for country in ["US", "DE"] {
        let (_, zone) = s.zone_for(country).unwrap();
        let (first, add) = (zone.first.clone().unwrap(), zone.additional.clone().unwrap());
        for n in 0..3i64 {
            let kg = first.weight_kg + add.step_kg * Decimal::from(n);
            let grams: i64 = (kg * Decimal::from(1000)).normalize().to_string().parse().unwrap();
            let at = s.quote_parcel(&parcel(grams, 20, 15, 5), country, false).unwrap();
            assert_eq!(at.total, first.price + add.price * Decimal::from(n), "{country} {kg} kg");
            let past = s.quote_parcel(&parcel(grams + 1, 20, 15, 5), country, false).unwrap();
            assert_eq!(
                past.total,
                first.price + add.price * Decimal::from(n + 1),
                "{country} {kg} kg + 1 g"
            );
        }
    }
}

#[test]
fn limits_are_named() {
    let s = services().into_iter().find(|s| s.id == "post-registered").unwrap();
    let e = s.quote_parcel(&parcel(2_500, 20, 15, 5), "US", false).unwrap_err();
    assert!(
        matches!(&e, ShippingError::LimitExceeded { limit, .. } if limit == "max_weight_kg"),
        "{e}"
    );
    assert_eq!(e.to_string(), "weight 2.5 kg is over post-registered's limit of 2 kg");
    // 61 cm long; then 55 + 2 x (20 + 20) = 135 cm of length + girth against 90.
    let e = s.quote_parcel(&parcel(1_000, 61, 15, 5), "US", false).unwrap_err();
    assert_eq!(e.to_string(), "longest side 61 cm is over post-registered's limit of 60 cm");
    let e = s.quote_parcel(&parcel(1_000, 55, 20, 20), "US", false).unwrap_err();
    assert_eq!(e.to_string(), "length + girth 135 cm is over post-registered's limit of 90 cm");
    // Past the last band of a per-kg card.
    let s = services().into_iter().find(|s| s.id == "economy-perkg").unwrap();
    let e = s.quote_parcel(&parcel(2_500, 30, 20, 10), "DE", false).unwrap_err();
    assert_eq!(
        e.to_string(),
        "chargeable weight 2.5 kg is over the heaviest on economy-perkg's rate card, 2 kg"
    );
}
