//! `Rounding::div_round_at` against Python `decimal` (tests/golden/quotients.json): a
//! 28-digit half-even division then the final rounding, including the cases a hair off a
//! tie where rounding twice gives another cent than rounding once.

use crossquote::money::{Precision, Rounding};
use crossquote::Decimal;
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    a: String,
    b: String,
    places: u32,
    rounding: Rounding,
    expected: String,
    once: String,
}

#[derive(Deserialize)]
struct File {
    cases: Vec<Case>,
}

#[test]
fn quotients_match_python_decimal() {
    let file: File =
        serde_json::from_str(include_str!("../../../tests/golden/quotients.json")).unwrap();
    let twice = file.cases.iter().filter(|c| c.expected != c.once).count();
    assert!(file.cases.len() >= 500 && twice >= 50, "{} cases, {twice} double", file.cases.len());
    let mut bad = Vec::new();
    for c in &file.cases {
        let (a, b): (Decimal, Decimal) = (c.a.parse().unwrap(), c.b.parse().unwrap());
        let at = |p| c.rounding.div_round_at(a, b, c.places, p, "test").unwrap();
        let (python, exact) = (at(Precision::PYTHON_DECIMAL), at(Precision::Exact));
        // Python writes a negative zero as -0.00; money has no sign on zero.
        let want = |s: &str| s.parse::<Decimal>().unwrap();
        let same = |x: Decimal, s: &str| x == want(s) && x.scale() == c.places;
        if !same(python, &c.expected) || !same(exact, &c.once) {
            bad.push(format!(
                "{} / {} at {} {:?}: python {python} (want {}), exact {exact} (want {})",
                c.a, c.b, c.places, c.rounding, c.expected, c.once
            ));
        }
    }
    assert!(bad.is_empty(), "{} of {} wrong:\n{}", bad.len(), file.cases.len(), bad.join("\n"));
}
