//! Property tests of the B2C engine, 10,000 cases each.
#![allow(clippy::arithmetic_side_effects, clippy::unwrap_used)]

use crossquote::b2c::{
    self, B2cRequest, Coupon, CouponValue, Fee, FeeBand, FeeKind, FeeRule, FxSettings, Per,
    ProfitBasis, ProfitTarget, Shipping, UnitCosts,
};
use crossquote::fx::{RateSide, RateTable};
use crossquote::grid::PriceRounding;
use crossquote::{Currency, Decimal, Money, Percent};
use proptest::prelude::*;

fn rates() -> RateTable {
    crossquote::from_json(
        r#"{"as_of":"2026-11-20","base":"CNY","pairs":[
        {"from":"USD","to":"CNY","mid":"7.2","bank_buying":"7.18","bank_selling":"7.22"},
        {"from":"EUR","to":"CNY","mid":"7.8"},{"from":"BRL","to":"CNY","mid":"1.25"},
        {"from":"CNY","to":"JPY","mid":"20.37"},{"from":"KWD","to":"CNY","mid":"23.5123"}]}"#,
    )
    .unwrap()
}

fn cur(code: &str) -> Currency {
    Currency::from_code(code).unwrap()
}

fn money(max_cents: i64) -> impl Strategy<Value = Decimal> {
    (0..=max_cents).prop_map(|c| Decimal::new(c, 2))
}

fn pct(max_hundredths: i64) -> impl Strategy<Value = Percent> {
    (0..=max_hundredths).prop_map(|p| Percent::new(Decimal::new(p, 2)))
}

prop_compose! {
    fn fee()(kind in 0..3u8, p in pct(1500), p2 in pct(1500), cap in money(500), from in 1..200i64) -> Fee {
        let rule = match kind {
            0 => FeeRule::Percent(p),
            1 => FeeRule::Banded { currency: cur("BRL"), bands: vec![
                FeeBand { from: Decimal::ZERO, percent: p, fixed: Decimal::new(4, 0) },
                FeeBand { from: Decimal::from(from), percent: p2, fixed: Decimal::new(16, 0) },
            ] },
            _ => FeeRule::Capped { percent: p, currency: cur("USD"), min: Some(Decimal::new(30, 2)), cap: Some(cap + Decimal::new(30, 2)) },
        };
        Fee { name: format!("fee {kind}").into(), kind: FeeKind::Commission, rule }
    }
}

prop_compose! {
    fn request()(
        q in prop::sample::select(vec!["USD", "EUR", "JPY", "KWD", "BRL", "CNY"]),
        qty in 1..500u32,
        purchase in money(200_000), packaging in money(1_000), shipping in money(50_000),
        per_order in any::<bool>(),
        fees in prop::collection::vec(fee(), 0..4),
        markup in any::<bool>(), target in pct(4000),
        bank in any::<bool>(), buffer in pct(500),
        promo in prop::option::of(pct(6000)),
        coupon_amount in prop::option::of(money(500)), coupon_pct in prop::option::of(pct(1500)),
        ending in 0..4u8,
    ) -> B2cRequest {
        let quote = cur(q);
        let mut coupons = Vec::new();
        if let Some(a) = coupon_amount {
            coupons.push(Coupon { name: "amount".into(), value: CouponValue::Amount { amount: Money::new(a, cur("USD")), per: Per::Order } });
        }
        if let Some(p) = coupon_pct {
            coupons.push(Coupon { name: "percent".into(), value: CouponValue::Percent(p) });
        }
        let price_rounding = match (ending, quote.minor_units()) {
            (1, 2) => PriceRounding { step: Some(Decimal::ONE), ending: Decimal::new(99, 2) },
            (2, _) => PriceRounding { step: Some(Decimal::ONE), ending: Decimal::ZERO },
            (3, 0) => PriceRounding { step: Some(Decimal::from(100)), ending: Decimal::from(80) },
            _ => PriceRounding::default(),
        };
        B2cRequest {
            seller_currency: cur("CNY"),
            quote_currency: quote,
            quantity: qty,
            costs: UnitCosts { purchase: purchase + Decimal::new(1, 2), packaging, ..UnitCosts::default() },
            shipping: Some(Shipping { amount: shipping, per: if per_order { Per::Order } else { Per::Unit } }),
            fees,
            fixed_fees: Vec::new(),
            profit: ProfitTarget { basis: if markup { ProfitBasis::Markup } else { ProfitBasis::Margin }, percent: target },
            fx: FxSettings { side: if bank && q != "CNY" && q != "JPY" && q != "KWD" && q != "BRL" && q != "EUR" { RateSide::BankBuying } else { RateSide::Mid }, risk_buffer: buffer },
            promotion: promo,
            coupons,
            price_rounding,
        }
    }
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    /// Both breakdowns' lines sum exactly to their totals.
    #[test]
    fn breakdown_sums_to_the_price(req in request()) {
        if let Ok(q) = b2c::quote(&req, &rates()) {
            for b in [&q.at_price.breakdown, &q.at_price.seller_breakdown] {
                let sum: Decimal = b.lines.iter().map(|l| l.amount).sum();
                prop_assert_eq!(sum, b.total);
            }
            prop_assert_eq!(q.at_price.breakdown.total, q.sale_price.amount);
        }
    }

    /// The quoted price meets the profit target on its own breakdown.
    #[test]
    fn quoted_margin_meets_the_target(req in request()) {
        if let Ok(q) = b2c::quote(&req, &rates()) {
            let e = &q.at_price;
            match req.profit.basis {
                ProfitBasis::Margin => prop_assert!(e.profit.amount >= req.profit.percent.fraction() * e.net_price.amount,
                    "profit {} net {} target {}", e.profit, e.net_price, req.profit.percent),
                ProfitBasis::Markup => {
                    let landed: Decimal = e.breakdown.lines.iter()
                        .filter(|l| matches!(l.kind, crossquote::breakdown::LineKind::Purchase | crossquote::breakdown::LineKind::Packaging | crossquote::breakdown::LineKind::Shipping))
                        .map(|l| l.amount).sum();
                    prop_assert!(e.profit.amount >= req.profit.percent.fraction() * landed);
                }
            }
            prop_assert!(q.list_price.amount >= q.sale_price.amount);
            prop_assert!(q.sale_price.amount >= q.break_even_price.amount || req.promotion.is_some() || !req.coupons.is_empty());
        }
    }

    /// The solver's target checks on whole minor units give the same quote, to the last
    /// line and error, as the same checks on `Decimal`.
    #[test]
    fn minor_unit_checks_match_decimal_checks(req in request()) {
        let rates = rates();
        let fast = b2c::quote(&req, &rates);
        let reference = b2c::quote_on_decimal_path(&req, &rates);
        prop_assert_eq!(format!("{fast:?}"), format!("{reference:?}"));
    }

    /// price_for_margin then the margin at that price gives the target, within one
    /// rounding step: the price meets it, one minor unit less does not.
    #[test]
    fn price_for_margin_round_trips(mut req in request(), m in pct(4000)) {
        req.promotion = None;
        req.coupons.clear();
        req.price_rounding = PriceRounding::default();
        let rates = rates();
        if let Ok(q) = b2c::price_for_margin(&req, &rates, m) {
            let p = q.sale_price.amount;
            let at = b2c::evaluate(&req, &rates, p).unwrap();
            prop_assert!(at.profit.amount >= m.fraction() * at.net_price.amount);
            let step = Money::minor_unit(req.quote_currency);
            if p - step > Decimal::ZERO {
                let below = b2c::evaluate(&req, &rates, p - step).unwrap();
                prop_assert!(below.profit.amount < m.fraction() * below.net_price.amount,
                    "{} also meets {}", p - step, m);
            }
        }
    }
}

fn any_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (any::<u32>(), any::<u32>(), any::<u32>(), any::<bool>(), 0..=28u32)
            .prop_map(|(lo, mid, hi, neg, scale)| Decimal::from_parts(lo, mid, hi, neg, scale)),
        Just(Decimal::MAX),
        Just(Decimal::MIN),
        Just(Decimal::ZERO),
        (-1000..1000i64).prop_map(|c| Decimal::new(c, 2)),
    ]
}

prop_compose! {
    fn wild_request()(
        mut req in request(),
        a in any_decimal(), b in any_decimal(), c in any_decimal(), d in any_decimal(), e in any_decimal(),
        qty in any::<u32>(),
    ) -> (B2cRequest, Decimal) {
        req.costs.purchase = a;
        req.shipping = Some(Shipping { amount: b, per: Per::Order });
        req.profit.percent = Percent::new(c);
        req.fees.push(Fee { name: "wild".into(), kind: FeeKind::Other, rule: FeeRule::Percent(Percent::new(d)) });
        req.quantity = qty;
        (req, e)
    }
}

proptest! {
    #![proptest_config(config())]

    /// No input makes the core panic: every entry point returns a value or an error (and
    /// the two arithmetic paths of the solver agree on it).
    #[test]
    fn no_input_panics((req, x) in wild_request()) {
        let rates = rates();
        let fast = b2c::quote(&req, &rates);
        let reference = b2c::quote_on_decimal_path(&req, &rates);
        prop_assert_eq!(format!("{fast:?}"), format!("{reference:?}"));
        let _ = b2c::evaluate(&req, &rates, x);
        let _ = b2c::max_discount(&req, &rates, x, Percent::new(Decimal::new(10, 0)));
        let _ = b2c::counter_offer(&req, &rates, &b2c::CounterOffer {
            unit_price: x, quantity: 3, floor_margin: Percent::new(Decimal::new(5, 0)), max_counter_gap: Percent::new(x),
        });
    }
}

/// The generators must mostly make quotable requests, or the properties above say little.
#[test]
fn generated_requests_are_mostly_quotable() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let rates = rates();
    let strategy = request();
    let mut ok = 0;
    for _ in 0..1000 {
        let req = strategy.new_tree(&mut runner).unwrap().current();
        if b2c::quote(&req, &rates).is_ok() {
            ok += 1;
        }
    }
    assert!(ok >= 800, "only {ok} of 1000 generated requests could be quoted");
}

/// A case the generators found: a markup of 7.9 × 10^28 % asks for a price whose fee and
/// margin products pass 96 bits, where `Decimal` arithmetic rounds; the solver's checks on
/// whole minor units must then leave it to the `Decimal` path, not decide more exactly.
#[test]
fn the_two_arithmetic_paths_agree_past_96_bits() {
    let req = B2cRequest {
        seller_currency: cur("CNY"),
        quote_currency: cur("BRL"),
        quantity: 1,
        costs: UnitCosts {
            purchase: Decimal::new(416, 2),
            packaging: Decimal::new(74, 2),
            ..UnitCosts::default()
        },
        shipping: Some(Shipping { amount: Decimal::ZERO, per: Per::Order }),
        fees: vec![Fee {
            name: "wild".into(),
            kind: FeeKind::Other,
            rule: FeeRule::Percent(Percent::new(Decimal::ZERO)),
        }],
        fixed_fees: Vec::new(),
        profit: ProfitTarget { basis: ProfitBasis::Markup, percent: Percent::new(Decimal::MAX) },
        fx: FxSettings { side: RateSide::Mid, risk_buffer: Percent::new(Decimal::ZERO) },
        promotion: None,
        coupons: Vec::new(),
        price_rounding: PriceRounding::default(),
    };
    let rates = rates();
    let fast = b2c::quote(&req, &rates);
    let reference = b2c::quote_on_decimal_path(&req, &rates);
    assert_eq!(format!("{fast:?}"), format!("{reference:?}"));
}

#[cfg(feature = "fast-quote")]
/// `h` hundredths written with `scale` decimals (`3` adds a zero, `0` and `1` drop digits).
fn hundredths(h: i64, scale: u32) -> Decimal {
    match scale {
        0 => Decimal::new(h / 100, 0),
        1 => Decimal::new(h / 10, 1),
        2 => Decimal::new(h, 2),
        _ => Decimal::new(h * 10, 3),
    }
}

#[cfg(feature = "fast-quote")]
prop_compose! {
    /// The requests the whole-minor-unit path takes: percentage fees only, no coupons, fixed
    /// fees in three currencies, every price grid (some of them it hands back).
    fn common_request()(
        q in prop::sample::select(vec!["USD", "EUR", "JPY", "KWD", "BRL", "CNY"]),
        qty in 1..500u32,
        purchase in (0..20_000_000i64, 0..=3u32), packaging in money(1_000), other in money(300),
        shipping in prop::option::of((money(50_000), any::<bool>())),
        fees in prop::collection::vec((0..1200i64, 0..=3u32), 0..4),
        fixed in prop::collection::vec((money(300), prop::sample::select(vec!["USD", "EUR", "JPY", "CNY"]), any::<bool>()), 0..3),
        markup in any::<bool>(), target in (0..6000i64, 0..=2u32),
        bank in any::<bool>(), buffer in prop_oneof![Just(Percent::ZERO), pct(500)],
        promo in prop::option::of((1..7000i64, 0..=2u32)),
        grid in 0..6u8,
    ) -> B2cRequest {
        let quote = cur(q);
        let price_rounding = match (grid, quote.minor_units()) {
            (1, 2) => PriceRounding { step: Some(Decimal::ONE), ending: Decimal::new(99, 2) },
            (2, _) => PriceRounding { step: Some(Decimal::ONE), ending: Decimal::ZERO },
            (3, 0) => PriceRounding { step: Some(Decimal::from(100)), ending: Decimal::from(80) },
            (4, 2) => PriceRounding { step: Some(Decimal::new(5, 2)), ending: Decimal::ZERO },
            (5, 2) => PriceRounding { step: Some(Decimal::new(10, 1)), ending: Decimal::new(950, 3) },
            _ => PriceRounding::default(),
        };
        B2cRequest {
            seller_currency: cur("CNY"),
            quote_currency: quote,
            quantity: qty,
            costs: UnitCosts { purchase: Decimal::new(purchase.0 + 1, purchase.1), packaging, other, ..UnitCosts::default() },
            shipping: shipping.map(|(amount, per_order)| Shipping { amount, per: if per_order { Per::Order } else { Per::Unit } }),
            fees: fees.into_iter().enumerate().map(|(i, (p, s))| Fee {
                name: format!("fee {i}").into(), kind: FeeKind::Commission,
                rule: FeeRule::Percent(Percent::new(hundredths(p, s))),
            }).collect(),
            fixed_fees: fixed.into_iter().map(|(a, c, per_order)| crossquote::b2c::FixedFee {
                name: format!("fixed {c}").into(), kind: FeeKind::Payment,
                amount: Money::new(a, cur(c)), per: if per_order { Per::Order } else { Per::Unit },
            }).collect(),
            profit: ProfitTarget {
                basis: if markup { ProfitBasis::Markup } else { ProfitBasis::Margin },
                percent: Percent::new(hundredths(target.0, target.1)),
            },
            fx: FxSettings { side: if bank && q == "USD" { RateSide::BankBuying } else { RateSide::Mid }, risk_buffer: buffer },
            promotion: promo.map(|(p, s)| Percent::new(hundredths(p, s))),
            coupons: Vec::new(),
            price_rounding,
        }
    }
}

#[cfg(feature = "fast-quote")]
proptest! {
    #![proptest_config(config())]

    /// The whole-minor-unit path gives the general engine's quote to the last digit and
    /// scale, wherever it answers.
    #[test]
    fn the_minor_unit_path_matches_the_general_engine(req in common_request()) {
        fast_path_agrees(&req)?;
    }

    /// No input makes the whole-minor-unit path panic, and where it answers, it answers
    /// as the general engine does.
    #[test]
    fn the_minor_unit_path_takes_any_input(req in wild_common_request()) {
        fast_path_agrees(&req)?;
    }
}

/// Where the whole-minor-unit path answers `req`, its quote is the general engine's, digit
/// for digit and scale for scale.
#[cfg(feature = "fast-quote")]
fn fast_path_agrees(req: &B2cRequest) -> Result<(), TestCaseError> {
    let rates = rates();
    if let Some(fast) = b2c::quote_fast_path(req, &rates) {
        let reference = b2c::quote_on_decimal_path(req, &rates);
        prop_assert_eq!(format!("{:?}", Ok::<_, b2c::QuoteError>(fast)), format!("{reference:?}"));
    }
    Ok(())
}

/// The common requests mostly take the whole-minor-unit path, or the property above says
/// little; the golden file's B2C cases that it takes match their expected quotes too (the
/// golden suite runs them through `b2c::quote`).
#[test]
#[cfg(feature = "fast-quote")]
fn common_requests_mostly_take_the_minor_unit_path() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let rates = rates();
    let strategy = common_request();
    let (mut quotable, mut fast) = (0, 0);
    for _ in 0..1000 {
        let req = strategy.new_tree(&mut runner).unwrap().current();
        if b2c::quote_on_decimal_path(&req, &rates).is_ok() {
            quotable += 1;
            fast += usize::from(b2c::quote_fast_path(&req, &rates).is_some());
        }
    }
    assert!(quotable >= 800, "only {quotable} of 1000 generated requests could be quoted");
    assert!(fast * 10 >= quotable * 7, "only {fast} of {quotable} quotable requests took the path");
}

#[cfg(feature = "fast-quote")]
prop_compose! {
    /// Requests the whole-minor-unit path looks at, with any decimals in them.
    fn wild_common_request()(
        mut req in common_request(),
        a in any_decimal(), b in any_decimal(), c in any_decimal(), d in any_decimal(),
        e in any_decimal(), f in any_decimal(), qty in any::<u32>(),
    ) -> B2cRequest {
        req.costs.purchase = a;
        req.shipping = Some(Shipping { amount: b, per: Per::Order });
        req.fixed_fees.push(crossquote::b2c::FixedFee {
            name: "wild".into(), kind: FeeKind::Other, amount: Money::new(c, cur("EUR")), per: Per::Order,
        });
        req.fees.push(Fee { name: "wild".into(), kind: FeeKind::Other, rule: FeeRule::Percent(Percent::new(d)) });
        req.promotion = Some(Percent::new(e));
        req.profit.percent = Percent::new(f);
        req.quantity = qty;
        req
    }
}
