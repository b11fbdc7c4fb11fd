//! The reply writer: snapshots of every scenario in every language (reviewed; rewrite them
//! with `UPDATE_SNAPSHOTS=1 cargo test -p crossquote --test reply`), the numbers it prints,
//! template checks, and replies for awkward names.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use std::path::Path;

use crossquote::reply::{
    self, Buyer, Channel, Layout, ReplyRequest, Scenario, Templates, TierLine,
};
use crossquote::{Currency, Decimal, Money, Percent};

fn m(a: &str, c: &str) -> Money {
    Money::new(Decimal::from_str_exact(a).unwrap(), Currency::from_code(c).unwrap())
}
fn p(a: &str) -> Percent {
    Percent::new(Decimal::from_str_exact(a).unwrap())
}

/// One request per scenario; `cur` is the buyer market's currency.
fn scenarios(cur: &str) -> Vec<(&'static str, Scenario)> {
    vec![
        (
            "bargain_quantity",
            Scenario::BargainQuantity {
                min_quantity: 3,
                discount: p("7"),
                unit_price: m("9.29", cur),
            },
        ),
        ("no_discount_gift", Scenario::NoDiscountGift),
        (
            "no_discount_faster_shipping",
            Scenario::NoDiscountFasterShipping { service: "ePacket".into() },
        ),
        (
            "counter_accept",
            Scenario::CounterAccept {
                quantity: 200,
                unit_price: m("8.60", cur),
                total: m("1720.00", cur),
            },
        ),
        (
            "counter_counter",
            Scenario::CounterCounter {
                offer_price: m("8.00", cur),
                quantity: 200,
                unit_price: m("8.54", cur),
                total: m("1708.00", cur),
            },
        ),
        (
            "counter_decline",
            Scenario::CounterDecline {
                offer_price: m("6.50", cur),
                quantity: 200,
                unit_price: m("8.54", cur),
            },
        ),
        (
            "shipping_free",
            Scenario::ShippingFree {
                unit_price: m("15.98", cur),
                service: "China Post Registered Air Mail".into(),
                days: "15–35".into(),
            },
        ),
        (
            "shipping_discount",
            Scenario::ShippingDiscount {
                service: "Express".into(),
                shipping_price: m("25.50", cur),
                shipping_discounted: m("19.90", cur),
            },
        ),
        (
            "shipping_paid",
            Scenario::ShippingPaid {
                service: "Express".into(),
                shipping_price: m("25.50", cur),
                days: "3–7".into(),
            },
        ),
        (
            "unpaid_reminder",
            Scenario::UnpaidReminder {
                days: 3,
                discount: p("20"),
                total: m("1280.00", cur),
                full_total: m("1600.00", cur),
                stock: 12,
            },
        ),
        (
            "wholesale_letter",
            Scenario::WholesaleLetter {
                term: "CIF".into(),
                tiers: vec![
                    TierLine {
                        min_quantity: 100,
                        max_quantity: Some(499),
                        unit_price: m("20.75", "USD"),
                    },
                    TierLine {
                        min_quantity: 500,
                        max_quantity: Some(999),
                        unit_price: m("20.13", "USD"),
                    },
                    TierLine {
                        min_quantity: 1000,
                        max_quantity: None,
                        unit_price: m("19.72", "USD"),
                    },
                ],
                payment_terms: "tt_30_70".into(),
                payment: None,
                lead_time: 25,
                valid_until: "2026-12-31".parse().unwrap(),
            },
        ),
        ("lots", Scenario::Lots { lot_size: 10, lot_price: m("59.90", cur) }),
        ("payment_methods", Scenario::PaymentMethods),
        ("import_duties", Scenario::ImportDuties),
        ("instalments", Scenario::Instalments { price: m("102.58", "BRL") }),
    ]
}

/// The buyer language, the market used for it, and that market's currency.
const LANGS: [(&str, &str, &str); 5] = [
    ("en", "US", "USD"),
    ("ru", "RU", "RUB"),
    ("pt-BR", "BR", "BRL"),
    ("es", "ES", "EUR"),
    ("fr", "FR", "EUR"),
];

fn request(
    scenario: Scenario,
    country: &str,
    lang: &str,
    channel: Channel,
    layout: Layout,
    buyer: Buyer,
) -> ReplyRequest {
    ReplyRequest {
        scenario,
        country: country.into(),
        language: Some(lang.into()),
        channel,
        layout,
        buyer,
        seller: "Lily, Shenzhen Bright Trading".into(),
    }
}

#[test]
fn every_scenario_in_every_language_matches_its_snapshot() {
    let profile = crossquote::defaults::default_profile().unwrap();
    let templates = Templates::built_in().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden/replies");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut mismatches = Vec::new();
    let mut count = 0;
    for (lang, country, cur) in LANGS {
        for (name, scenario) in scenarios(cur) {
            // Brazil's instalment habit: the instalment scenario always quotes a BR price.
            let country = if name == "instalments" { "BR" } else { country };
            let formal =
                Buyer { name: "Anna".into(), greeting: "Dear Lily".into(), returning: false };
            let req = request(scenario, country, lang, Channel::Letter, Layout::Block, formal);
            let out = reply::write(&req, &templates, &profile).unwrap();
            let text =
                format!("{}\n---- 中文 (for the agent) ----\n{}\n", out.reply.text, out.agent.text);
            let file = dir.join(format!("{name}.{lang}.txt"));
            count += 1;
            if update {
                std::fs::write(&file, &text).unwrap();
            } else if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
                mismatches.push(format!("{}:\n{text}", file.display()));
            }
        }
    }
    assert_eq!(count, 75);
    assert!(
        mismatches.is_empty(),
        "{} snapshots differ (UPDATE_SNAPSHOTS=1 rewrites them after review):\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn every_printed_number_is_the_quotes_number() {
    let profile = crossquote::defaults::default_profile().unwrap();
    let templates = Templates::built_in().unwrap();
    for (lang, country, cur) in LANGS {
        for (name, scenario) in scenarios(cur) {
            let country = if name == "instalments" { "BR" } else { country };
            for channel in [Channel::Im, Channel::Letter] {
                let buyer =
                    Buyer { name: "Анна".into(), greeting: "Hi".into(), returning: true };
                let req =
                    request(scenario.clone(), country, lang, channel, Layout::Indented, buyer);
                let out = reply::write(&req, &templates, &profile).unwrap();
                let request_json = serde_json::to_value(&req).unwrap();
                for r in [&out.reply, &out.agent] {
                    for n in &r.numbers {
                        // The text at the recorded place is the number as listed ...
                        assert_eq!(&r.text[n.start..n.end], n.text, "{name} {lang}");
                        // ... its digits are the value's, whatever the separators ...
                        let digits =
                            |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
                        let value = Decimal::from_str_exact(&n.value).unwrap();
                        assert!(
                            digits(&n.text).trim_start_matches('0')
                                == digits(&n.value).trim_start_matches('0')
                                || value.is_zero(),
                            "{name} {lang}: {} vs {}",
                            n.text,
                            n.value
                        );
                        // ... and the value is the request's, at its source.
                        if n.name != "instalment_line" {
                            let mut v = &request_json["scenario"];
                            for part in n.source.split('.') {
                                v = match part.split_once('[') {
                                    Some((k, i)) => {
                                        &v[k][i.trim_end_matches(']').parse::<usize>().unwrap()]
                                    }
                                    None => &v[part],
                                };
                            }
                            let from_request = v.get("amount").unwrap_or(v);
                            let from_request = Decimal::from_str_exact(
                                from_request
                                    .as_str()
                                    .map(str::to_owned)
                                    .unwrap_or_else(|| from_request.to_string())
                                    .as_str(),
                            )
                            .unwrap();
                            assert_eq!(from_request, value, "{name} {lang} {}", n.source);
                        }
                    }
                }
                // Every money amount of the request is printed.
                let expected = match &req.scenario {
                    Scenario::CounterCounter { .. } => 4,
                    Scenario::BargainQuantity { .. }
                    | Scenario::CounterAccept { .. }
                    | Scenario::CounterDecline { .. } => 3,
                    Scenario::UnpaidReminder { .. } => 5,
                    Scenario::WholesaleLetter { .. } => 9,
                    _ => 0,
                };
                if expected > 0 {
                    assert_eq!(out.reply.numbers.len(), expected, "{name} {lang}");
                }
            }
        }
    }
}

#[test]
fn salutations_mirror_the_buyer_and_no_reply_promises_too_much() {
    let profile = crossquote::defaults::default_profile().unwrap();
    let templates = Templates::built_in().unwrap();
    let ask = |greeting: &str, lang: &str, country: &str| {
        let buyer = Buyer { name: "Ivan".into(), greeting: greeting.into(), returning: false };
        reply::write(
            &request(
                Scenario::NoDiscountGift,
                country,
                lang,
                Channel::Letter,
                Layout::Block,
                buyer,
            ),
            &templates,
            &profile,
        )
        .unwrap()
        .reply
        .text
    };
    assert!(ask("Dear Lily", "en", "US").starts_with("Dear Ivan,"));
    assert!(ask("Hi Lily", "en", "US").starts_with("Hi Ivan,"));
    assert!(ask("Уважаемая Лили", "ru", "RU").starts_with("Уважаемый(ая) Ivan!"));
    assert!(ask("Привет", "ru", "RU").starts_with("Здравствуйте, Ivan!"));
    let banned = [
        "absolutely",
        "no problem",
        "guarantee",
        "без проблем",
        "гарантир",
        "sem problema",
        "garantimos",
        "sin problema",
        "garantizamos",
        "sans problème",
        "garanti",
        "绝对",
        "没问题",
        "保证",
    ];
    for (lang, country, cur) in LANGS {
        for (_, s) in scenarios(cur) {
            let buyer = Buyer { name: "X".into(), greeting: String::new(), returning: false };
            let out = reply::write(
                &request(
                    s,
                    if country == "US" { "US" } else { country },
                    lang,
                    Channel::Letter,
                    Layout::Block,
                    buyer,
                ),
                &templates,
                &profile,
            );
            let Ok(out) = out else { continue };
            for text in [&out.reply.text, &out.agent.text] {
                let lower = text.to_lowercase();
                for b in banned {
                    assert!(!lower.contains(b), "{lang}: `{b}` in\n{text}");
                }
            }
        }
    }
}

#[test]
fn layouts_and_channels_shape_the_text() {
    let profile = crossquote::defaults::default_profile().unwrap();
    let templates = Templates::built_in().unwrap();
    let buyer = Buyer { name: "Maria".into(), greeting: "Olá".into(), returning: true };
    let s = Scenario::Lots { lot_size: 10, lot_price: m("59.90", "BRL") };
    let im = reply::write(
        &request(s.clone(), "BR", "pt-BR", Channel::Im, Layout::Block, buyer.clone()),
        &templates,
        &profile,
    )
    .unwrap();
    assert_eq!(im.reply.text, "Olá, Maria! Que bom ver você de novo! Vendemos este item em lotes de 10 peças; cada lote custa R$\u{a0}59,90.");
    let indented = reply::write(
        &request(s.clone(), "BR", "pt-BR", Channel::Letter, Layout::Indented, buyer.clone()),
        &templates,
        &profile,
    )
    .unwrap();
    assert!(indented.reply.text.contains("\n\n    Vendemos"), "{}", indented.reply.text);
    assert!(indented.reply.text.ends_with("\n                        Atenciosamente,\n                        Lily, Shenzhen Bright Trading"));
    let semi = reply::write(
        &request(s, "BR", "pt-BR", Channel::Letter, Layout::SemiBlock, buyer),
        &templates,
        &profile,
    )
    .unwrap();
    assert!(semi.reply.text.contains("\n\nVendemos"));
    assert!(semi.reply.text.contains("\n                        Atenciosamente,"));
}

#[test]
fn a_typo_in_a_placeholder_fails_to_load_naming_it() {
    let mut doc: serde_json::Value = serde_json::from_str(reply::BUILT_IN).unwrap();
    doc["languages"]["ru"]["texts"]["lots"] =
        "Лоты по {lot_sise} шт.; лот стоит {lot_price}.".into();
    doc["languages"]["fr"]["texts"]["closing"] = "Merci {name".into();
    let errors = Templates::load(&doc.to_string()).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!((errors[0].language.as_str(), errors[0].template.as_str()), ("fr", "closing"));
    assert_eq!(
        (
            errors[1].language.as_str(),
            errors[1].template.as_str(),
            errors[1].placeholder.as_deref()
        ),
        ("ru", "lots", Some("lot_sise"))
    );
    assert!(errors[1].to_string().contains("unknown placeholder {lot_sise}"), "{}", errors[1]);
    // Seller overrides are checked the same way.
    let t = Templates::built_in().unwrap();
    let mut o = std::collections::BTreeMap::new();
    o.insert(
        "en".to_owned(),
        [("lots".to_owned(), "Lots of {lot_size} at {price}".to_owned())].into_iter().collect(),
    );
    let errors = t.with_overrides(&o).unwrap_err();
    assert_eq!(errors[0].placeholder.as_deref(), Some("price"));
}

#[test]
fn buyer_local_time_suggests_the_channel() {
    let profile = crossquote::defaults::default_profile().unwrap();
    // 14:30 in Shenzhen is 06:30 UTC.
    let br = reply::buyer_time(profile.market("BR").unwrap(), 6 * 60 + 30);
    assert_eq!((br.local.as_str(), br.awake, br.suggest), ("03:30", false, Channel::Letter));
    let ru = reply::buyer_time(profile.market("RU").unwrap(), 6 * 60 + 30);
    assert_eq!((ru.local.as_str(), ru.awake, ru.suggest), ("09:30", true, Channel::Im));
    let india = reply::buyer_time(profile.market("IN").unwrap(), 23 * 60);
    assert_eq!(india.local, "04:30");
}

mod names {
    use super::*;
    use proptest::prelude::*;

    fn awkward_name() -> impl Strategy<Value = String> {
        prop_oneof![
            "[A-Za-zА-Яа-я' \"<>&]{0,20}",
            Just("O'Brien \"Bob\" <bob@x>".to_owned()),
            Just("😀 Ana 🇧🇷".to_owned()),
            Just("محمد علي".to_owned()),
            Just("שלום".to_owned()),
            Just("\u{202e}evil\u{202c}".to_owned()),
            any::<String>().prop_filter("no braces", |s| !s.contains('{') && !s.contains('}')),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

        /// Random quotes and awkward names: no template panics, and no reply keeps a
        /// placeholder.
        #[test]
        fn no_reply_keeps_a_placeholder(name in awkward_name(), greeting in awkward_name(), cents in 0..100_000_000i64,
                                         q in 1..100_000u32, pct in 0..9_999i64, which in 0..15usize, lang in 0..5usize,
                                         im: bool, returning: bool) {
            let profile = crossquote::defaults::default_profile().unwrap();
            let templates = Templates::built_in().unwrap();
            let (l, country, cur) = LANGS[lang];
            let price = Money::new(Decimal::new(cents, 2), Currency::from_code(cur).unwrap());
            let scenario = match scenarios(cur).swap_remove(which).1 {
                Scenario::BargainQuantity { .. } => Scenario::BargainQuantity { min_quantity: q, discount: Percent::new(Decimal::new(pct, 2)), unit_price: price },
                Scenario::CounterAccept { .. } => Scenario::CounterAccept { quantity: q, unit_price: price, total: price },
                Scenario::Lots { .. } => Scenario::Lots { lot_size: q, lot_price: price },
                other => other,
            };
            let buyer = Buyer { name, greeting, returning };
            let channel = if im { Channel::Im } else { Channel::Letter };
            let country = if which == 14 { "BR" } else { country };
            let req = request(scenario, country, l, channel, Layout::Block, buyer);
            if let Ok(out) = reply::write(&req, &templates, &profile) {
                for text in [&out.reply.text, &out.agent.text] {
                    prop_assert!(!text.contains('{') && !text.contains('}'), "{}", text);
                }
            }
        }
    }
}

#[test]
fn scenarios_come_from_verdicts_and_tier_tables() {
    use crossquote::b2c::{self, CounterOffer};
    let cases: serde_json::Value =
        serde_json::from_str(include_str!("../../../tests/golden/b2c.json")).unwrap();
    let rates: crossquote::fx::RateTable = serde_json::from_value(cases["rates"].clone()).unwrap();
    let case = cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "counter_offer_counter")
        .unwrap();
    let req: b2c::B2cRequest = serde_json::from_value(case["request"].clone()).unwrap();
    let offer: CounterOffer = serde_json::from_value(case["args"]["offer"].clone()).unwrap();
    let verdict = b2c::counter_offer(&req, &rates, &offer).unwrap();
    // The golden case: an offer of 8.00 for 10 pieces is countered at the floor price 8.54.
    let s = Scenario::from_verdict(&verdict, offer.quantity).unwrap();
    assert_eq!(
        s,
        Scenario::CounterCounter {
            offer_price: m("8.00", "USD"),
            quantity: 10,
            unit_price: m("8.54", "USD"),
            total: m("85.40", "USD")
        }
    );
    let profile = crossquote::defaults::default_profile().unwrap();
    let templates = profile.templates().unwrap();
    let buyer = Buyer { name: "Tom".into(), greeting: "Hi".into(), returning: false };
    let out = reply::write(
        &request(s, "US", "en", Channel::Im, Layout::Block, buyer),
        &templates,
        &profile,
    )
    .unwrap();
    assert_eq!(out.reply.text, "Hi Tom, Thank you for your offer of $8.00. The best we can do for 10 pieces is $8.54 per piece, $85.40 in total.");
    // A tier row: 20.13 against 20.75 is 2.99% off (the 3% tier after rounding up).
    let row = crossquote::b2b::tiers::TierRow {
        min_qty: 500,
        max_qty: Some(999),
        unit_price: Decimal::from_str_exact("20.13").unwrap(),
        flat_fee: Decimal::ZERO,
        margin: None,
    };
    let s = Scenario::bargain_from_tier(m("20.75", "USD"), &row).unwrap();
    assert_eq!(
        s,
        Scenario::BargainQuantity {
            min_quantity: 500,
            discount: p("2.99"),
            unit_price: m("20.13", "USD")
        }
    );
}

#[test]
fn a_price_with_an_avoided_digit_is_flagged() {
    let profile = crossquote::defaults::default_profile().unwrap();
    let templates = profile.templates().unwrap();
    let buyer = Buyer { name: "Sato".into(), greeting: "Dear".into(), returning: false };
    let s = Scenario::Lots { lot_size: 10, lot_price: m("1480", "JPY") };
    let out = reply::write(
        &request(s, "JP", "en", Channel::Letter, Layout::Block, buyer.clone()),
        &templates,
        &profile,
    )
    .unwrap();
    assert_eq!(
        out.reply.warnings,
        vec!["¥1,480 (lot_price) has a digit Japan buyers avoid".to_owned()]
    );
    let s = Scenario::Lots { lot_size: 10, lot_price: m("1380", "JPY") };
    let out = reply::write(
        &request(s, "JP", "en", Channel::Letter, Layout::Block, buyer),
        &templates,
        &profile,
    )
    .unwrap();
    assert!(out.reply.warnings.is_empty());
    assert!(out.reply.text.contains("¥1,380"));
}

/// A discount of 100% or below zero, or a quantity of 0, would go into the buyer's text as
/// it is ("a 100% discount: 0.00 ₽ a piece"); each is refused by its field path, all at once.
#[test]
fn numbers_a_buyer_cannot_be_told_are_refused_by_field() {
    let profile = crossquote::defaults::default_profile().unwrap();
    let templates = Templates::built_in().unwrap();
    let buyer =
        || Buyer { name: "Ольга".into(), greeting: "Привет".into(), returning: false };
    let refused = |scenario: Scenario| -> Vec<String> {
        let req = request(scenario, "RU", "ru", Channel::Im, Layout::Block, buyer());
        match reply::write(&req, &templates, &profile) {
            Err(reply::ReplyError::Fields(list)) => list.0.iter().map(|e| e.to_string()).collect(),
            other => panic!("{other:?}"),
        }
    };
    let bargain = |min_quantity, discount: &str| Scenario::BargainQuantity {
        min_quantity,
        discount: p(discount),
        unit_price: m("9.29", "RUB"),
    };
    assert_eq!(
        refused(bargain(3, "100")),
        ["scenario.discount: must be less than 100% (got 100%)"]
    );
    assert_eq!(
        refused(bargain(0, "-5")),
        [
            "scenario.min_quantity: must be greater than zero (got 0)",
            "scenario.discount: must not be negative (got -5)"
        ]
    );
    let reminder = Scenario::UnpaidReminder {
        days: 2,
        discount: p("120"),
        total: m("10", "RUB"),
        full_total: m("12", "RUB"),
        stock: 3,
    };
    assert_eq!(refused(reminder), ["scenario.discount: must be less than 100% (got 120%)"]);
    assert_eq!(
        refused(Scenario::Lots { lot_size: 0, lot_price: m("10", "RUB") }),
        ["scenario.lot_size: must be greater than zero (got 0)"]
    );
    // The edges that are fine: 0% and 99.99%, from 1 piece.
    for (q, d) in [(1, "0"), (3, "99.99")] {
        let req = request(bargain(q, d), "RU", "ru", Channel::Im, Layout::Block, buyer());
        assert!(reply::write(&req, &templates, &profile).is_ok(), "{q} {d}");
    }
}
