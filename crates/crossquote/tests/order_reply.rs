//! Replies drafted from orders (`order::reply`): each concession is judged on the order as
//! it ships and refused with the largest discount the floor allows; the numbers are the
//! order's; the letter says the order's payment terms and the proforma's validity.
#![allow(clippy::arithmetic_side_effects, clippy::unwrap_used)]

use crossquote::b2c::Decision;
use crossquote::order::reply::{self, Ask};
use crossquote::order::retail::{self, RetailOrder};
use crossquote::order::wholesale::{self, PaymentTerms, WholesaleOrder};
use crossquote::order::OrderError;
use crossquote::profile::Profile;
use crossquote::reply::{Buyer, ReplyRequest, Scenario};
use crossquote::{Decimal, Money, Percent, Rounding};

fn profile() -> Profile {
    crossquote::defaults::default_profile().unwrap()
}

fn example<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = format!("{}/../../schemas/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn basket() -> RetailOrder {
    RetailOrder { offer: None, ..example("order-b2c.json") }
}

fn pct(s: &str) -> Percent {
    Percent::new(s.parse().unwrap())
}

fn field_of(e: &OrderError) -> Vec<(String, String)> {
    match e {
        OrderError::Invalid(list) => {
            list.0.iter().map(|f| (f.field.clone(), f.problem.to_string())).collect()
        }
        other => panic!("not a field error: {other}"),
    }
}

fn discounted(price: Money, d: Percent) -> Money {
    let keep = Decimal::ONE - d.fraction();
    Money::new(Rounding::HalfUp.round(price.amount * keep, 2), price.currency)
}

#[test]
fn a_quantity_discount_is_judged_on_that_many_shipped_together() {
    let p = profile();
    let order = basket();
    let q = retail::quote(&order, &p).unwrap();
    // Five phone cases alone, as they would ship, and the largest discount they allow.
    let five = RetailOrder {
        items: vec![retail::RetailItem { quantity: 5, ..order.items[0].clone() }],
        ..order.clone()
    };
    let alone = retail::quote(&five, &p).unwrap();
    let most = alone.max_discount.discount;
    assert!(most > Percent::ZERO, "the example allows some discount: {most}");
    let ask = Ask::BargainQuantity { min_quantity: 5, discount: most };
    let d = reply::retail(&order, &q, &p, 0, &ask).unwrap();
    let Scenario::BargainQuantity { min_quantity, discount, unit_price } = d.scenario else {
        panic!("not a bargain: {:?}", d.scenario)
    };
    assert_eq!((min_quantity, discount), (5, most));
    assert_eq!(unit_price, discounted(alone.lines[0].quote.sale_price, most));
    assert!(d.margin.unwrap() >= order.floor_margin);
    assert_eq!(d.country, "BR");

    // 0.01 point more is refused, at the discount, naming the largest one.
    let over = Percent::new(most.points() + Decimal::new(1, 2));
    let e =
        reply::retail(&order, &q, &p, 0, &Ask::BargainQuantity { min_quantity: 5, discount: over })
            .unwrap_err();
    let problems = field_of(&e);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "reply.discount");
    assert!(problems[0].1.contains(&format!("the most it allows is {most}")), "{problems:?}");

    // Not a discount at all, or no pieces.
    let e = reply::retail(
        &order,
        &q,
        &p,
        0,
        &Ask::BargainQuantity { min_quantity: 0, discount: pct("5") },
    )
    .unwrap_err();
    assert_eq!(field_of(&e)[0].0, "reply.min_quantity");
    let e = reply::retail(
        &order,
        &q,
        &p,
        0,
        &Ask::BargainQuantity { min_quantity: 3, discount: pct("100") },
    )
    .unwrap_err();
    assert_eq!(field_of(&e)[0].0, "reply.discount");
}

#[test]
fn a_reminder_discounts_the_whole_order() {
    let p = profile();
    let order = basket();
    let q = retail::quote(&order, &p).unwrap();
    let d = pct("3");
    let r =
        reply::retail(&order, &q, &p, 0, &Ask::UnpaidReminder { days: 3, discount: d, stock: 12 })
            .unwrap();
    let Scenario::UnpaidReminder { total, full_total, days, stock, .. } = r.scenario else {
        panic!("not a reminder")
    };
    assert_eq!(full_total, q.total);
    let expected: Decimal = q
        .lines
        .iter()
        .map(|l| discounted(l.quote.sale_price, d).amount * Decimal::from(l.quantity))
        .sum();
    assert_eq!(total.amount, expected);
    assert_eq!((days, stock), (3, 12));
}

#[test]
fn a_lot_is_priced_as_the_lot_ships_and_the_offer_answer_is_the_orders() {
    let p = profile();
    let order = basket();
    let q = retail::quote(&order, &p).unwrap();
    let r = reply::retail(&order, &q, &p, 1, &Ask::Lots { lot_size: 10 }).unwrap();
    let ten = RetailOrder {
        items: vec![retail::RetailItem { quantity: 10, ..order.items[1].clone() }],
        ..order.clone()
    };
    let Scenario::Lots { lot_size, lot_price } = r.scenario else { panic!("not lots") };
    assert_eq!((lot_size, lot_price), (10, retail::quote(&ten, &p).unwrap().total));

    // An offer on a two-item basket cannot be said as one unit price.
    let offered = RetailOrder {
        offer: Some(crossquote::order::Offer {
            unit_prices: None,
            total: Some(q.total.amount),
            max_counter_gap: pct("20"),
        }),
        ..order.clone()
    };
    let oq = retail::quote(&offered, &p).unwrap();
    let e = reply::retail(&offered, &oq, &p, 0, &Ask::CounterOffer).unwrap_err();
    assert_eq!(field_of(&e)[0].0, "offer");

    // Three of one item, offered 65% of the price: the order's verdict, the order's pieces.
    let three = RetailOrder {
        items: vec![retail::RetailItem { quantity: 3, ..order.items[0].clone() }],
        ..order.clone()
    };
    let t = retail::quote(&three, &p).unwrap();
    let offer = Rounding::HalfUp.round(t.lines[0].quote.sale_price.amount * Decimal::new(65, 2), 2);
    let three = RetailOrder {
        offer: Some(crossquote::order::Offer {
            unit_prices: Some(vec![offer]),
            total: None,
            max_counter_gap: pct("20"),
        }),
        ..three
    };
    let t = retail::quote(&three, &p).unwrap();
    let v = t.offer.clone().unwrap();
    let r = reply::retail(&three, &t, &p, 0, &Ask::CounterOffer).unwrap();
    match (v.decision, r.scenario) {
        (Decision::Accept, Scenario::CounterAccept { quantity, unit_price, total }) => {
            assert_eq!((quantity, unit_price.amount, total), (3, offer, v.total));
        }
        (Decision::Counter, Scenario::CounterCounter { quantity, unit_price, total, .. }) => {
            assert_eq!((quantity, unit_price, total), (3, v.floor.unit_prices[0], v.floor.total));
        }
        (Decision::Decline, Scenario::CounterDecline { quantity, unit_price, offer_price }) => {
            assert_eq!(
                (quantity, unit_price, offer_price.amount),
                (3, v.floor.unit_prices[0], offer)
            );
        }
        (d, s) => panic!("verdict {d:?} answered as {s:?}"),
    }
    assert_eq!(r.margin, v.margin);
}

fn letter_text(order: &WholesaleOrder, p: &Profile, language: &str) -> String {
    let q = wholesale::quote(order, p).unwrap();
    let d = reply::letter(order, &q, 0, 25).unwrap();
    let Scenario::WholesaleLetter { valid_until, .. } = &d.scenario else { panic!("not a letter") };
    assert_eq!(Some(*valid_until), q.proforma.as_ref().map(|f| f.valid_until));
    let req = ReplyRequest {
        scenario: d.scenario,
        country: d.country,
        language: Some(language.to_owned()),
        channel: Default::default(),
        layout: Default::default(),
        buyer: Buyer { name: "Ana".into(), greeting: "Hi".into(), returning: false },
        seller: "Lily".into(),
    };
    let r = crossquote::reply::write(&req, &p.templates().unwrap(), p).unwrap();
    format!("{}\n{}", r.reply.text, r.agent.text)
}

#[test]
fn the_letter_says_the_orders_payment_terms_and_the_proformas_validity() {
    let p = profile();
    let order: WholesaleOrder = example("order-b2b.json");
    let text = letter_text(&order, &p, "en");
    assert!(text.contains("Payment terms: irrevocable L/C at sight."), "{text}");
    assert!(text.contains("CIF Santos"), "{text}");
    assert!(text.contains("valid until 31 Dec 2026"), "{text}");
    assert!(text.contains("不可撤销即期信用证"), "{text}");

    let usance = WholesaleOrder {
        payment: PaymentTerms::LcUsance {
            days: 60,
            annual_rate: pct("6"),
            basis: Default::default(),
        },
        ..order.clone()
    };
    let text = letter_text(&usance, &p, "en");
    assert!(text.contains("irrevocable L/C at 60 days after sight"), "{text}");
    assert!(text.contains("见票后 60 天"), "{text}");

    let tt = WholesaleOrder { payment: PaymentTerms::Tt { deposit: pct("40") }, ..order.clone() };
    assert!(letter_text(&tt, &p, "en").contains("T/T, 40% deposit and 60% before shipment"));
    assert!(letter_text(&tt, &p, "pt-BR").contains("T/T, 40% de sinal e 60% antes do embarque"));

    // No buyer's country, no date: both said.
    let bare = WholesaleOrder { buyer: Default::default(), date: None, ..order };
    let q = wholesale::quote(&bare, &p).unwrap();
    let e = reply::letter(&bare, &q, 0, 25).unwrap_err();
    let fields: Vec<String> = field_of(&e).into_iter().map(|f| f.0).collect();
    assert_eq!(fields, ["buyer.country", "date"]);
}
