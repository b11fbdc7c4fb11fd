//! Market rules on the built-in profile's markets: number formats, avoided digits, VAT at
//! checkout and the Brazilian instalment line.
#![allow(clippy::unwrap_used)]

use crossquote::grid::Grid;
use crossquote::market::Market;
use crossquote::profile::Profile;
use crossquote::{Currency, Decimal, Money};

fn profile() -> Profile {
    crossquote::defaults::default_profile().unwrap()
}
fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}
fn market(p: &Profile, c: &str) -> Market {
    p.market(c).unwrap().clone()
}
fn money(a: &str, c: &str) -> Money {
    Money::new(d(a), Currency::from_code(c).unwrap())
}

#[test]
fn amounts_follow_each_markets_habits() {
    let p = profile();
    let cases = [
        ("US", "1234.5", "$1,234.50"),
        ("BR", "1234.5", "R$\u{a0}1.234,50"),
        ("RU", "1234.5", "1\u{a0}234,50\u{a0}₽"),
        ("FR", "9.9", "9,90\u{a0}€"),
        ("DE", "1234567.891", "1.234.567,89\u{a0}€"),
        ("NL", "12", "€\u{a0}12,00"),
        ("GB", "0.5", "£0.50"),
        ("JP", "1280", "¥1,280"),
        ("KR", "15900", "₩15,900"),
        ("IN", "1234567.5", "₹12,34,567.50"),
        ("US", "-3.456", "-$3.46"),
    ];
    for (c, amount, want) in cases {
        assert_eq!(market(&p, c).format_money(d(amount)), want, "{c} {amount}");
    }
}

#[test]
fn prices_skip_avoided_digits_and_never_fall_below_the_floor() {
    let p = profile();
    let cents = Grid { step: d("0.01"), ending: d("0") };
    let ninety_nine = Grid { step: d("1"), ending: d("0.99") };
    let yen = Grid { step: d("10"), ending: d("0") };
    // US avoids 13 and 666: 13.99 -> 14.99 on the .99 grid.
    assert_eq!(
        market(&p, "US").adjust_price(d("13.20"), d("12.00"), ninety_nine).unwrap(),
        d("14.99")
    );
    // Japan avoids 4 and 9: 1,940 -> 2,000 (1,950 … 1,990 have a 9, 2,040 a 4).
    assert_eq!(market(&p, "JP").adjust_price(d("1937"), d("0"), yen).unwrap(), d("2000"));
    // Korea avoids 4: 14,000 -> 15,000 would skip every 14,xxx; on a 100 step, 14,000 -> 15,000.
    let hundred = Grid { step: d("100"), ending: d("0") };
    assert_eq!(market(&p, "KR").adjust_price(d("13950"), d("0"), hundred).unwrap(), d("15000"));
    // The floor wins when it is higher than the price.
    assert_eq!(market(&p, "BR").adjust_price(d("10.00"), d("12.34"), cents).unwrap(), d("12.34"));
    // Germany avoids nothing: the price stays.
    assert_eq!(market(&p, "DE").adjust_price(d("13.13"), d("0"), cents).unwrap(), d("13.13"));
    // Russia and France avoid 666: 6.66 -> 6.67.
    assert_eq!(market(&p, "FR").adjust_price(d("6.66"), d("0"), cents).unwrap(), d("6.67"));
}

#[test]
fn vat_is_collected_at_sale_only_under_the_threshold() {
    let p = profile();
    let de = market(&p, "DE");
    // 20.00 EUR order: IOSS, German VAT 19% = 3.80 at checkout.
    let q = de.apply_vat(money("20.00", "EUR"), money("20.00", "EUR"), &p.rates).unwrap();
    assert!(q.collected_at_sale);
    assert_eq!((q.vat.amount, q.price_with_vat.amount), (d("3.80"), d("23.80")));
    // 150.00 EUR is still inside (up to 150 inclusive); 150.01 is over.
    assert!(
        de.apply_vat(money("150.00", "EUR"), money("150.00", "EUR"), &p.rates)
            .unwrap()
            .collected_at_sale
    );
    let over = de.apply_vat(money("150.01", "EUR"), money("150.01", "EUR"), &p.rates).unwrap();
    assert!(!over.collected_at_sale);
    assert!(over.note.contains("the buyer pays import VAT"), "{}", over.note);
    // UK: 20% up to GBP 135.
    let gb = market(&p, "GB");
    let q = gb.apply_vat(money("12.99", "GBP"), money("12.99", "GBP"), &p.rates).unwrap();
    assert_eq!(q.vat.amount, d("2.60")); // 2.598 -> 2.60
    assert!(
        !gb.apply_vat(money("135.01", "GBP"), money("135.01", "GBP"), &p.rates)
            .unwrap()
            .collected_at_sale
    );
    // Poland judges the threshold in EUR: 600 PLN at 1.92 CNY/PLN and 8.20 CNY/EUR is 140.49 EUR.
    assert!(
        market(&p, "PL")
            .apply_vat(money("600", "PLN"), money("600", "PLN"), &p.rates)
            .unwrap()
            .collected_at_sale
    );
    assert!(
        !market(&p, "PL")
            .apply_vat(money("650", "PLN"), money("650", "PLN"), &p.rates)
            .unwrap()
            .collected_at_sale
    );
    // Elsewhere the buyer pays duties.
    let us = market(&p, "US").apply_vat(money("50", "USD"), money("50", "USD"), &p.rates).unwrap();
    assert!(!us.collected_at_sale && us.note.contains("The buyer pays import duties"));
}

#[test]
fn brazil_shows_interest_free_instalments() {
    let p = profile();
    let br = market(&p, "BR");
    let plan = br.instalment_plan(money("118.80", "BRL")).unwrap().unwrap();
    assert_eq!(plan.line, "12x de R$\u{a0}9,90 sem juros");
    // 29.90 allows 5 instalments of at least 5.00: 5.98 each.
    let plan = br.instalment_plan(money("29.90", "BRL")).unwrap().unwrap();
    assert_eq!((plan.count, plan.amount.amount), (5, d("5.98")));
    // Below two minimum instalments there is no offer.
    assert_eq!(br.instalment_plan(money("9.99", "BRL")).unwrap(), None);
    assert_eq!(market(&p, "US").instalment_plan(money("500", "USD")).unwrap(), None);
    let mx = market(&p, "MX").instalment_plan(money("1200", "MXN")).unwrap().unwrap();
    assert_eq!(mx.line, "12 meses sin intereses de $100.00");
}

#[test]
fn free_shipping_folds_the_cheapest_service_into_the_price() {
    use crossquote::b2c::{self, B2cRequest, ProfitBasis, ProfitTarget, UnitCosts};
    use crossquote::logistics::{self, Parcel, Pricing};
    use crossquote::Percent;
    let p = profile();
    let parcel =
        Parcel { weight_kg: d("0.35"), length_cm: d("20"), width_cm: d("15"), height_cm: d("5") };
    let (options, _) = logistics::options(
        &p.services,
        std::slice::from_ref(&parcel),
        "BR",
        false,
        Pricing::PerParcel,
    );
    let cheapest = &options[0];
    // China Post to BR: 0.35 kg x 120 + 14.00 = 56.00 CNY; AliExpress-like standard 78.00;
    // economy air 0.35 x 135 + 25 = 72.25 but its minimum is 40: 72.25.
    assert_eq!((cheapest.service.as_str(), cheapest.total), ("cn-post-registered", d("56.00")));
    assert!(options.windows(2).all(|w| w[0].total <= w[1].total));
    let shipping = cheapest.as_b2c_shipping(p.seller_currency, &p.rates).unwrap();
    let aliexpress = p.platform("aliexpress").unwrap();
    let req = B2cRequest {
        seller_currency: p.seller_currency,
        quote_currency: Currency::from_code("BRL").unwrap(),
        quantity: 1,
        costs: UnitCosts { purchase: d("26.00"), ..UnitCosts::default() },
        shipping: Some(shipping),
        fees: aliexpress.fees.clone(),
        fixed_fees: aliexpress.fixed_fees.clone(),
        profit: ProfitTarget { basis: ProfitBasis::Margin, percent: Percent::new(d("15")) },
        fx: Default::default(),
        promotion: None,
        coupons: Vec::new(),
        price_rounding: Default::default(),
    };
    let q = b2c::quote(&req, &p.rates).unwrap();
    // (26 + 56) CNY / 1.30 = 63.0769 BRL; / (1 - 0.08 - 0.03 - 0.15) = 85.2391. On rounded
    // lines (20.00 + 43.08, fees 6.82 + 2.56) 85.24 leaves 12.78 < 12.786, 85.25 leaves 12.79.
    assert_eq!(q.sale_price.amount, d("85.25"));
    assert_eq!(q.at_price.breakdown.amount(crossquote::breakdown::LineKind::Shipping), d("43.08"));
}
