//! Profile loading: the built-in default, every mistake of a bad profile reported with its
//! path and line, and a seller's overlay over the default.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use crossquote::defaults::DEFAULT_PROFILE_JSON;
use crossquote::profile::{load, load_over};

const BAD: &str = include_str!("../../../tests/golden/profile/bad_profile.json");
const OVERLAY: &str = include_str!("../../../tests/golden/profile/overlay.json");

/// The line of `BAD` holding `marker` (each marker is on one line only).
fn line_of(text: &str, marker: &str) -> usize {
    let hits: Vec<usize> =
        text.lines().enumerate().filter(|(_, l)| l.contains(marker)).map(|(i, _)| i + 1).collect();
    assert_eq!(hits.len(), 1, "{marker} is on lines {hits:?}");
    hits[0]
}

#[test]
fn every_mistake_is_reported_with_path_and_line() {
    let errors = load(BAD).unwrap_err();
    let got: Vec<(String, Option<usize>)> =
        errors.iter().map(|e| (e.path.clone(), e.line)).collect();
    let expected: Vec<(&str, &str)> = vec![
        ("platforms[1].fixed_fees[0].amount.currency", r#""currency": "XXX""#),
        ("colour", r#""colour""#),
        ("version", r#""version": 2"#),
        ("rates.pairs[0].mid", r#""mid": "0""#),
        ("rates.pairs[1].bank_buying", r#""bank_buying": "7.90""#),
        ("services[0].transit_days", r#""min": 30"#),
        ("services[0].zones.EU.bands[1].per_kg", r#""per_kg": "-5""#),
        ("services[1].volumetric.divisor", r#""divisor": "0""#),
        ("services[1].zones.NA.countries[0]", r#""USA""#),
        ("services[2].zones.X", r#""X": {"#),
        ("services[2].id", r#""Post again""#),
        ("platforms[0].fees[0].rule.percent", r#""percent": "120""#),
        ("platforms[0].fees", r#""id": "ali""#),
        ("markets[0].format.decimal", r#""decimal": ",", "thousands": ",""#),
        ("markets[1].utc_offset_minutes", "9999"),
        ("markets[1].currency", r#""THB""#),
        ("markets[2].instalments.template", r#""{count}x sem juros""#),
        ("markets[3].working_hours", r#""from": 22"#),
        ("markets[3].country", "United States again"),
    ];
    let want: Vec<(String, Option<usize>)> =
        expected.iter().map(|(p, m)| ((*p).to_owned(), Some(line_of(BAD, m)))).collect();
    assert_eq!(
        got,
        want,
        "\n{}",
        errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
    );
    assert!(errors.len() >= 10);
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(text.iter().any(|t| t.contains("unknown currency code `XXX`")), "{text:?}");
    assert!(text.iter().any(|t| t.contains("no exchange rate from THB to CNY")), "{text:?}");
}

#[test]
fn broken_json_names_its_line() {
    let errors = load("{\n  \"version\": 1,\n  \"name\": \n}").unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, Some(4));
}

#[test]
fn an_overlay_changes_only_what_it_names() {
    let base = load(DEFAULT_PROFILE_JSON).unwrap();
    let p = load_over(DEFAULT_PROFILE_JSON, OVERLAY).unwrap();
    assert_eq!(p.name, "My shop");
    assert_eq!(p.services.len(), base.services.len());
    let express = p.service("express").unwrap();
    assert_eq!(express.fuel_surcharge.points().to_string(), "21");
    assert_eq!(express.zones, base.service("express").unwrap().zones);
    let br = p.market("BR").unwrap();
    assert_eq!(br.instalments.as_ref().unwrap().max, 10);
    assert_eq!(br.format, base.market("BR").unwrap().format);
    let usd = p.rates.pairs.iter().find(|x| x.from.code() == "USD").unwrap();
    assert_eq!(usd.mid.to_string(), "7.1050");
    assert_eq!(
        usd.bank_buying,
        base.rates.pairs.iter().find(|x| x.from.code() == "USD").unwrap().bank_buying
    );
    assert_eq!(p.markets.len(), base.markets.len());
}

#[test]
fn overlay_mistakes_name_the_overlay_line() {
    let overlay =
        "{\n  \"services\": [\n    {\"id\": \"express\",\n     \"fuel_surcharge\": \"-3\"}\n  ]\n}";
    let errors = load_over(DEFAULT_PROFILE_JSON, overlay).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, "services[3].fuel_surcharge");
    assert_eq!(errors[0].line, Some(4));
}

#[test]
fn reply_texts_in_the_profile_are_checked_with_their_line() {
    let overlay = "{\n  \"replies\": {\"ru\": {\n    \"lots\": \"Лоты по {lot_sise} шт.\"\n  }}\n}";
    let errors = load_over(DEFAULT_PROFILE_JSON, overlay).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].path.as_str(), errors[0].line), ("replies.ru.lots", Some(3)));
    assert!(errors[0].message.contains("{lot_sise}"), "{}", errors[0].message);
    let good = r#"{"replies": {"en": {"closing": "Talk soon."}}}"#;
    let p = load_over(DEFAULT_PROFILE_JSON, good).unwrap();
    let t = p.templates().unwrap();
    assert_eq!(t.languages["en"].texts["closing"], "Talk soon.");
}

/// serde_json keeps the last of two equal keys without a word: a second
/// `"seller_currency": "USD"` made a CNY profile a USD one. A key given twice in any object
/// (the top, a map such as a service's zones, an overlay) is refused by its path, naming
/// both lines; the document's other problems come after.
#[test]
fn a_key_given_twice_is_refused_with_both_lines() {
    let twice = DEFAULT_PROFILE_JSON.replacen(
        " \"seller_currency\": \"CNY\",\n",
        " \"seller_currency\": \"CNY\",\n \"seller_currency\": \"USD\",\n",
        1,
    );
    let errors = load(&twice).unwrap_err();
    let got: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(got, ["line 5: seller_currency: given twice, on line 4 and line 5: keep one"]);

    // Deeper, with the key spelt with an escape: still the same key to a JSON reader.
    let mut lines: Vec<&str> = DEFAULT_PROFILE_JSON.lines().collect();
    let zones = lines.iter().position(|l| l.contains("\"zones\": {")).unwrap();
    let first_eu = zones + lines[zones..].iter().position(|l| l.contains("\"EU\": {")).unwrap();
    lines.insert(zones + 1, "    \"\\u0045U\": {},");
    let errors = load(&lines.join("\n")).unwrap_err();
    assert_eq!(errors[0].path, "services[0].zones.EU", "{errors:?}");
    assert_eq!(
        errors[0].message,
        format!("given twice, on line {} and line {}: keep one", zones + 2, first_eu + 2)
    );
    assert_eq!(errors.iter().filter(|e| e.message.contains("twice")).count(), 1, "{errors:?}");

    let overlay = "{\n  \"name\": \"A\",\n  \"name\": \"B\"\n}";
    let errors = load_over(DEFAULT_PROFILE_JSON, overlay).unwrap_err();
    let got: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(got, ["line 3: name: given twice, on line 2 and line 3: keep one"]);
}

/// Container types are profile data: a forwarder's own 40HQ replaces the built-in one for
/// an order's containers, a new type is added, and bad figures are refused by path.
#[test]
fn container_types_come_from_the_profile() {
    let over = r#"{"containers": [
        {"name": "40HQ", "inside_cm": ["1203", "235", "269"], "usable_cbm": "60", "max_payload_kg": "26000"},
        {"name": "45HQ", "inside_cm": ["1355", "235", "269"], "usable_cbm": "76", "max_payload_kg": "27000"}]}"#;
    let p = load_over(DEFAULT_PROFILE_JSON, over).unwrap();
    let names: Vec<String> = p.containers().into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["40HQ", "45HQ", "20GP", "40GP"]);
    assert_eq!(p.container("40hq").unwrap().usable_cbm.to_string(), "60");
    // 65 CBM: one built-in 40HQ (68 usable), two of this forwarder's (60 usable).
    let order: crossquote::order::WholesaleOrder = crossquote::from_json(
        r#"{"term": "CFR", "quote_currency": "USD", "profit": "10",
            "freight": {"kind": "fcl", "container": "40HQ", "box_rate": {"amount": "3000", "currency": "USD"}},
            "lines": [{"cost": {"unit_cost": "10"}, "carton": {"pieces": 10, "gross_kg": "8", "cbm": "0.1"}, "quantity": 6500}]}"#,
    )
    .unwrap();
    let built_in = crossquote::defaults::default_profile().unwrap();
    let count = |p| {
        crossquote::order::wholesale::quote(&order, p).unwrap().shipment.containers.unwrap().count
    };
    assert_eq!((count(&built_in), count(&p)), (1, 2));

    let bad = r#"{"containers": [{"name": "20GP", "inside_cm": ["589", "0", "239"], "usable_cbm": "0", "max_payload_kg": "21000"},
                                  {"name": "", "inside_cm": ["1", "1", "1"], "usable_cbm": "1", "max_payload_kg": "1"}]}"#;
    let errors = load_over(DEFAULT_PROFILE_JSON, bad).unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        ["containers[0].inside_cm[1]", "containers[0].usable_cbm", "containers[1].name"]
    );
}
