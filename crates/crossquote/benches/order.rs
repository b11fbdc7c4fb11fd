//! Orders against the single-product quote in the same run: a one-item basket against
//! today's single quote of the same item (its shipping options, the quote, the VAT note
//! and the instalment line), and a 20-line wholesale order (FCL CIF, T/T), without and with
//! tier tables on five of its lines (three tiers each, each tier one more quote).
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use crossquote::b2c::{self, B2cRequest, ProfitBasis, ProfitTarget, UnitCosts};
use crossquote::logistics::{self, Pricing};
use crossquote::order::{retail, wholesale, RetailOrder, WholesaleOrder};
use crossquote::{Decimal, Percent};

const WHOLESALE: &str = include_str!("../../../tests/bench/order_b2b_20_lines.json");

fn bench(c: &mut Criterion) {
    let profile = crossquote::defaults::default_profile().unwrap();
    let one: RetailOrder = crossquote::from_json(
        r#"{"platform": "aliexpress", "country": "US", "profit": {"basis": "margin", "percent": "20"},
            "items": [{"cost": "36.00", "packaging": "1.50",
                       "parcel": {"weight_kg": "0.35", "length_cm": "20", "width_cm": "15", "height_cm": "8"},
                       "quantity": 1}]}"#,
    )
    .unwrap();
    let it = &one.items[0];
    let market = profile.market("US").unwrap();
    let platform = profile.platform("aliexpress").unwrap();
    // Today's single quote: what the retail tab worked out for one product.
    let single = || {
        let (options, _) = logistics::options(
            &profile.services,
            std::slice::from_ref(&it.parcel),
            "US",
            false,
            Pricing::PerParcel,
        );
        let ship = options[0].as_b2c_shipping(profile.seller_currency, &profile.rates).unwrap();
        let req = B2cRequest {
            seller_currency: profile.seller_currency,
            quote_currency: market.currency,
            quantity: 1,
            costs: UnitCosts { purchase: it.cost, packaging: it.packaging, ..UnitCosts::default() },
            shipping: Some(ship),
            fees: platform.fees.clone(),
            fixed_fees: platform.fixed_fees.clone(),
            profit: ProfitTarget {
                basis: ProfitBasis::Margin,
                percent: Percent::new(Decimal::from(20)),
            },
            fx: Default::default(),
            promotion: None,
            coupons: Vec::new(),
            price_rounding: Default::default(),
        };
        let q = b2c::quote(&req, &profile.rates).unwrap();
        let vat = market.apply_vat(q.sale_price, q.sale_price, &profile.rates).unwrap();
        let plan = market.instalment_plan(q.sale_price).unwrap();
        (q, vat, plan)
    };
    let big: WholesaleOrder = crossquote::from_json(WHOLESALE).unwrap();
    // The same order with no tier tables: its 20 line quotes and the shipment alone.
    let mut plain = big.clone();
    plain.lines.iter_mut().for_each(|l| l.tiers.clear());
    let mut g = c.benchmark_group("order");
    g.bench_function("baseline_single_quote", |b| b.iter(|| black_box(single())));
    g.bench_function("retail_one_item", |b| {
        b.iter(|| retail::quote(black_box(&one), black_box(&profile)).unwrap())
    });
    g.bench_function("wholesale_20_lines", |b| {
        b.iter(|| wholesale::quote(black_box(&plain), black_box(&profile)).unwrap())
    });
    g.bench_function("wholesale_20_lines_5_tier_tables", |b| {
        b.iter(|| wholesale::quote(black_box(&big), black_box(&profile)).unwrap())
    });
    // The app's keystroke: the same order again, its tier tables kept in a memo.
    let mut memo = wholesale::TierMemo::default();
    wholesale::quote_with(&big, &profile, &mut memo).unwrap();
    g.bench_function("wholesale_20_lines_5_tier_tables_memo", |b| {
        b.iter(|| wholesale::quote_with(black_box(&big), black_box(&profile), &mut memo).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
