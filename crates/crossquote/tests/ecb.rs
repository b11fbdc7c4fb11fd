//! ECB reference-rate import on the shared sample files (`tests/golden/ecb/`).
#![allow(clippy::unwrap_used)]

use crossquote::fx::{ecb, RateSide};
use crossquote::{Currency, Decimal};

fn c(code: &str) -> Currency {
    Currency::from_code(code).unwrap()
}
fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

#[test]
fn daily_file_becomes_one_eur_table() {
    let days = ecb::parse(include_str!("../../../tests/golden/ecb/eurofxref-daily.xml")).unwrap();
    assert_eq!(days.len(), 1);
    let t = &days[0];
    assert_eq!(t.as_of.to_string(), "2026-11-20");
    assert_eq!(t.base, c("EUR"));
    assert_eq!(t.pairs.len(), 7);
    assert!(t.validate("").is_empty());
    // Rates stay exact: 0.88040 keeps its digits.
    assert_eq!(t.rate(c("EUR"), c("GBP"), RateSide::Mid).unwrap().to_string(), "0.88040");
    // Cross through EUR: 1 USD = 8.2140 / 1.1550 CNY.
    let exact = t.exact_rate(c("USD"), c("CNY"), RateSide::Mid).unwrap();
    assert_eq!((exact.num, exact.den), (d("8.2140"), d("1.1550")));
    assert_eq!(exact.convert(d("100")).unwrap().round_dp(4), d("711.1688"));
}

#[test]
fn history_file_is_sorted_oldest_first() {
    let days = ecb::parse(include_str!("../../../tests/golden/ecb/eurofxref-hist-3d.xml")).unwrap();
    let dates: Vec<String> = days.iter().map(|t| t.as_of.to_string()).collect();
    assert_eq!(dates, ["2026-11-18", "2026-11-19", "2026-11-20"]);
    assert_eq!(days[0].rate(c("EUR"), c("USD"), RateSide::Mid).unwrap(), d("1.1498"));
}

#[test]
fn errors_name_their_line() {
    let bad_currency =
        "<Cube>\n<Cube time='2026-11-20'>\n<Cube currency='XYZ' rate='1.1'/>\n</Cube></Cube>";
    let e = ecb::parse(bad_currency).unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.message.contains("XYZ"), "{e}");
    let bad_rate =
        "<Cube>\n<Cube time='2026-11-20'>\n<Cube currency='USD' rate='1,1'/>\n</Cube></Cube>";
    let e = ecb::parse(bad_rate).unwrap_err();
    assert_eq!((e.line, e.message.as_str()), (3, "USD rate: `1,1` is not a number"));
    let e = ecb::parse("<Cube><Cube time='2026-13-01'/></Cube>").unwrap_err();
    assert!(e.message.contains("2026-13-01"), "{e}");
    let e = ecb::parse("<Cube><Cube currency='USD' rate='1'/></Cube>").unwrap_err();
    assert!(e.message.contains("outside a dated Cube"), "{e}");
    assert!(ecb::parse("<html><body>not rates</body></html>").is_err());
    let e = ecb::parse("<Cube><Cube time='2026-11-20'>").unwrap_err();
    assert_eq!(e.message, "2026-11-20 has no rates (a truncated file?)");
}

/// A download cut short parses as far as it goes: it is refused, naming the element left
/// open, not taken as a day with the pairs that made it (2 of 7).
#[test]
fn a_truncated_file_is_refused() {
    let full = include_str!("../../../tests/golden/ecb/eurofxref-daily.xml");
    let cut = &full[..full.find("<Cube currency='GBP'").unwrap()];
    let e = ecb::parse(cut).unwrap_err();
    assert_eq!(
        e.to_string(),
        "ECB rates, line 11: the file ends inside <gesmes:Envelope> (opened on line 2): a \
         truncated file (a download cut short?)"
    );
    let cut = &full[..full.find("</gesmes:Envelope>").unwrap()];
    let e = ecb::parse(cut).unwrap_err();
    assert!(e.message.starts_with("the file ends inside <gesmes:Envelope>"), "{e}");
    let hist = include_str!("../../../tests/golden/ecb/eurofxref-hist-3d.xml");
    let cut = &hist[..hist.rfind("</Cube>").unwrap()];
    assert!(ecb::parse(cut).is_err());
}

/// Pairs that mean nothing: EUR against EUR, a rate outside its day, days inside days.
#[test]
fn nonsensical_pairs_are_refused() {
    let day = |inner: &str| format!("<Cube>\n<Cube time='2026-11-20'>\n{inner}\n</Cube>\n</Cube>");
    let e = ecb::parse(&day("<Cube currency='EUR' rate='1'/>")).unwrap_err();
    assert_eq!(
        (e.line, e.message.as_str()),
        (3, "a EUR rate: the file's rates are of EUR against other currencies")
    );
    let after = "<Cube>\n<Cube time='2026-11-20'><Cube currency='USD' rate='1.1'/></Cube>\n\
                 <Cube currency='GBP' rate='0.9'/>\n</Cube>";
    let e = ecb::parse(after).unwrap_err();
    assert_eq!((e.line, e.message.as_str()), (3, "the GBP rate is outside a dated Cube"));
    let e = ecb::parse(&day("<Cube time='2026-11-21'><Cube currency='USD' rate='1.1'/></Cube>"))
        .unwrap_err();
    assert_eq!((e.line, e.message.as_str()), (3, "a dated Cube inside another Cube of rates"));
    let e =
        ecb::parse(&day("<Cube currency='USD' rate='1.1'><Cube currency='GBP' rate='1'/></Cube>"))
            .unwrap_err();
    assert_eq!((e.line, e.message.as_str()), (3, "the GBP rate is outside a dated Cube"));
    let e = ecb::parse(&day("<Cube time='2026-11-21' currency='USD' rate='1.1'/>")).unwrap_err();
    assert_eq!(e.message, "a Cube with both a date and a currency");
}
