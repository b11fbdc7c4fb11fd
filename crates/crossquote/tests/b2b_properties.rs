//! Property tests of the B2B engine, 10,000 cases each.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use crossquote::b2b::tiers::{Tier, TierContext, TierMode, TierPrice, TierTable};
use crossquote::b2b::{self, Conversion, Incoterm, Insurance};
use crossquote::grid::PriceRounding;
use crossquote::{Currency, Decimal, Percent};
use proptest::prelude::*;

fn usd() -> Currency {
    Currency::from_code("USD").unwrap()
}
fn config() -> ProptestConfig {
    ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() }
}
fn pct(hundredths: i64) -> Percent {
    Percent::new(Decimal::new(hundredths, 2))
}

proptest! {
    #![proptest_config(config())]

    /// FOB -> CIF -> FOB (and the FCA/CIP family) comes back within one rounding step.
    #[test]
    fn fob_cif_fob_round_trips(cents in 1..10_000_000i64, freight in 0..100_000i64, rate in 1..500i64, cover in 100..130i64, fca: bool) {
        let grid = PriceRounding::default().grid(usd());
        let c = Conversion { freight: Decimal::new(freight, 2), insurance: Insurance { rate: pct(rate), cover: Percent::new(Decimal::from(cover)) } };
        let (a, b) = if fca { (Incoterm::Fca, Incoterm::Cip) } else { (Incoterm::Fob, Incoterm::Cif) };
        let fob = Decimal::new(cents, 2);
        let cif = b2b::convert_term(fob, a, b, &c, grid).unwrap();
        let back = b2b::convert_term(cif, b, a, &c, grid).unwrap();
        prop_assert!(back >= fob && back - fob <= grid.step, "{fob} -> {cif} -> {back}");
    }
}

prop_compose! {
    /// A volume table whose discounts grow (or stay) with quantity and whose flat fees do
    /// not grow: it never says a larger quantity should cost more.
    fn falling_table()(
        mins in prop::collection::btree_set(2..5_000u32, 1..6),
        steps in prop::collection::vec(0..300i64, 6),
        fees in prop::collection::vec(0..5_000i64, 6),
        base in 100..100_000i64, cost_share in 10..95i64,
        floor in prop::option::of(0..3_000i64), cap in prop::option::of(3_000..9_000i64),
        step in prop::sample::select(vec!["0.01", "0.05", "1"]),
    ) -> TierTable {
        let mut mins: Vec<u32> = std::iter::once(1).chain(mins).collect();
        mins.dedup();
        let mut discount = 0i64;
        let mut fee = i64::MAX;
        let n = mins.len();
        let tiers = (0..n).map(|i| {
            discount = (discount + steps[i]).min(9_000);
            fee = fee.min(fees[i]);
            Tier {
                min_qty: mins[i],
                max_qty: mins.get(i + 1).map(|m| m - 1),
                price: TierPrice::Discount(pct(discount)),
                flat_fee: Decimal::new(fee, 2),
                unit_cost: None,
                segment: None, valid_from: None, valid_to: None, priority: 0,
            }
        }).collect();
        let base = Decimal::new(base, 2);
        TierTable {
            currency: usd(), mode: TierMode::Volume, base_price: base,
            unit_cost: (base * Decimal::new(cost_share, 2)).round_dp(2),
            tiers, lot_size: None,
            rounding: PriceRounding { step: Some(Decimal::from_str_exact(step).unwrap()), ending: Decimal::ZERO },
            min_margin: floor.map(pct), max_margin: cap.map(pct), allow_rising: false,
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// Unit prices never rise with quantity when the table does not say so.
    #[test]
    fn tier_prices_never_rise_with_quantity(t in falling_table(), a in 1..6_000u32, extra in 1..6_000u32) {
        let ctx = TierContext::default();
        let small = t.price(a, &ctx).unwrap();
        let large = t.price(a + extra, &ctx).unwrap();
        prop_assert!(large.effective_unit_price <= small.effective_unit_price,
            "{} at {} but {} at {}", a, small.effective_unit_price, a + extra, large.effective_unit_price);
    }

    /// The price never falls below the floor margin.
    #[test]
    fn tier_price_keeps_the_floor_margin(t in falling_table(), q in 1..8_000u32) {
        let p = t.price(q, &TierContext::default()).unwrap();
        if let Some(floor) = t.min_margin {
            let cost = t.unit_cost * Decimal::from(q);
            prop_assert!(p.total - cost >= p.total * floor.fraction(), "{} for {q} below {floor}", p.total);
        }
    }
}

fn rates() -> crossquote::fx::RateTable {
    crossquote::from_json(
        r#"{"as_of":"2026-11-20","base":"CNY","pairs":[
        {"from":"USD","to":"CNY","mid":"7.10","bank_buying":"7.08","bank_selling":"7.12"},
        {"from":"EUR","to":"CNY","mid":"7.80","bank_buying":"7.77","bank_selling":"7.83"}]}"#,
    )
    .unwrap()
}

prop_compose! {
    fn b2b_request()(
        cost in 0..1_000_000i64, qty in 1..100_000u32,
        term in prop::sample::select(vec![Incoterm::Exw, Incoterm::Fca, Incoterm::Fob, Incoterm::Cfr, Incoterm::Cpt, Incoterm::Cif, Incoterm::Cip, Incoterm::Dap, Incoterm::Ddp]),
        profit in 0..3_000i64, bank in 0..100i64, commission in 0..800i64, ins in 1..200i64,
        freight in 0..1_000_000i64, fee in 0..500_000i64, quote in prop::sample::select(vec!["USD", "EUR"]),
        step in prop::sample::select(vec!["0.01", "0.05", "0.1"]),
    ) -> b2b::B2bRequest {
        let c = |s: &str| Currency::from_code(s).unwrap();
        b2b::B2bRequest {
            seller_currency: c("CNY"), quote_currency: c(quote), quantity: qty,
            cost: b2b::PurchaseCost { unit_cost: Decimal::new(cost, 2), vat_rate: pct(1300), rebate_rate: pct(900) },
            shipment_fees: vec![b2b::ShipmentFee { name: "Inland".into(), amount: Decimal::new(fee, 2), stage: b2b::Stage::Export }],
            handling: pct(300), loan: Some(b2b::Interest { annual_rate: pct(500), days: 45, basis: b2b::DayCount::Act365 }),
            term,
            freight: Some(b2b::FreightCost { amount: crossquote::Money::new(Decimal::new(freight, 2), c("USD")), per: b2b::Basis::Shipment }),
            insurance: Some(Insurance { rate: pct(ins), cover: Percent::new(Decimal::from(110)) }),
            destination: Some(b2b::Destination { charges: vec![crossquote::Money::new(Decimal::new(fee, 2), c("EUR"))], duty_rate: pct(500), import_vat: pct(2000), duty_base: b2b::DutyBase::Cif }),
            profit: pct(profit), bank_charges: pct(bank), commission: pct(commission),
            lc_discount: Some(b2b::Interest { annual_rate: pct(600), days: 30, basis: b2b::DayCount::Act360 }),
            fx: b2b::B2bFx::default(),
            price_rounding: PriceRounding { step: Some(Decimal::from_str_exact(step).unwrap()), ending: Decimal::ZERO },
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// A B2B breakdown sums exactly to the unit price.
    #[test]
    fn b2b_breakdown_sums_to_the_price(req in b2b_request()) {
        let q = b2b::quote(&req, &rates()).unwrap();
        let sum: Decimal = q.breakdown.lines.iter().map(|l| l.amount).sum();
        prop_assert_eq!(sum, q.unit_price.amount);
        prop_assert_eq!(q.breakdown.total, q.unit_price.amount);
    }

    /// No input makes the B2B engine panic.
    #[test]
    fn b2b_never_panics(mut req in b2b_request(), cost: i64, scale in 0..28u32, qty: u32, p in any::<i64>()) {
        req.cost.unit_cost = Decimal::new(cost, scale);
        req.quantity = qty;
        req.profit = Percent::new(Decimal::new(p, scale));
        let _ = b2b::quote(&req, &rates());
    }
}
