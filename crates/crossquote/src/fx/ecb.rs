//! Import of the ECB euro foreign exchange reference rates (the daily file `eurofxref-daily.xml`
//! and the history files `eurofxref-hist.xml`, `eurofxref-hist-90d.xml`).
//!
//! The files nest `Cube` elements: an outer `Cube`, one `Cube time="YYYY-MM-DD"` per day,
//! and in it one `Cube currency="USD" rate="1.0812"` per currency, meaning 1 EUR = 1.0812 USD.
//! Each day becomes a [`RateTable`] with base EUR and pairs `EUR -> X` at mid; rates are
//! parsed as exact decimals.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::currency::Currency;
use crate::date::Date;
use crate::fx::{FxPair, RateTable};

/// A problem in an ECB file, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ECB rates, line {line}: {message}")]
pub struct EcbError {
    /// Line of the file, from 1.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

fn line_of(text: &str, byte: u64) -> usize {
    let end = usize::try_from(byte).unwrap_or(text.len()).min(text.len());
    text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count().saturating_add(1)
}

fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|err| err.to_string())?;
        if a.key.local_name().as_ref() == name.as_bytes() {
            return a.unescape_value().map(|v| Some(v.into_owned())).map_err(|err| err.to_string());
        }
    }
    Ok(None)
}

/// What an open element is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    /// A dated `Cube time="…"`: rate Cubes go in it.
    Day,
    /// A rate `Cube currency="…"`.
    Rate,
    /// Anything else (the envelope, the outer `Cube`).
    Other,
}

/// Every day in the file as a rate table, oldest first. The whole file is checked: any
/// unknown currency, bad rate or bad date is an error naming its line, and so is a file
/// that ends with elements still open (a download cut short), a rate outside a dated
/// `Cube`, a dated `Cube` inside another, and a rate of EUR against EUR.
pub fn parse(xml: &str) -> Result<Vec<RateTable>, EcbError> {
    let mut reader = Reader::from_str(xml);
    let mut days: Vec<RateTable> = Vec::new();
    let mut current: Option<RateTable> = None;
    let eur = crate::currency::known::eur();
    // Open elements: name, line, what.
    let mut open: Vec<(String, usize, Open)> = Vec::new();
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event().map_err(|e| EcbError {
            line: line_of(xml, reader.error_position()),
            message: format!("not well-formed XML: {e}"),
        })?;
        let at = |message: String| EcbError { line: line_of(xml, pos), message };
        let (start, cube) = match &event {
            Event::Start(e) => {
                let cube = e.local_name().as_ref() == b"Cube";
                if !cube {
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    open.push((name, line_of(xml, pos), Open::Other));
                }
                (true, cube)
            }
            Event::Empty(e) => (false, e.local_name().as_ref() == b"Cube"),
            _ => (false, false),
        };
        match event {
            Event::Start(e) | Event::Empty(e) if cube => {
                let time = attr(&e, "time").map_err(&at)?;
                let currency = attr(&e, "currency").map_err(&at)?;
                let rate = attr(&e, "rate").map_err(&at)?;
                let parent = open.last().map(|o| o.2);
                if start {
                    let what = match (&time, &currency) {
                        (Some(_), _) => Open::Day,
                        (None, Some(_)) => Open::Rate,
                        (None, None) => Open::Other,
                    };
                    open.push(("Cube".to_owned(), line_of(xml, pos), what));
                }
                if time.is_some() && currency.is_some() {
                    return Err(at("a Cube with both a date and a currency".into()));
                }
                if time.is_some() && matches!(parent, Some(Open::Day | Open::Rate)) {
                    return Err(at("a dated Cube inside another Cube of rates".into()));
                }
                if let Some(code) = &currency {
                    if parent != Some(Open::Day) {
                        return Err(at(format!("the {code} rate is outside a dated Cube")));
                    }
                }
                if let Some(time) = time {
                    let as_of: Date =
                        time.parse().map_err(|e: crate::date::BadDate| at(e.to_string()))?;
                    if let Some(done) = current.take() {
                        days.push(done);
                    }
                    current = Some(RateTable {
                        as_of,
                        base: eur,
                        pairs: Vec::new(),
                        source: Some("ECB euro foreign exchange reference rates".to_owned()),
                    });
                } else if let Some(code) = currency {
                    let to = Currency::from_code(&code).map_err(|e| at(e.to_string()))?;
                    if to == eur {
                        return Err(at(
                            "a EUR rate: the file's rates are of EUR against other currencies"
                                .into(),
                        ));
                    }
                    let rate =
                        rate.ok_or_else(|| at(format!("the {code} Cube has no rate attribute")))?;
                    let mid = crate::serde_dec::parse(&rate)
                        .map_err(|m| at(format!("{code} rate: {m}")))?;
                    if mid <= rust_decimal::Decimal::ZERO {
                        return Err(at(format!(
                            "{code} rate must be greater than zero (got {mid})"
                        )));
                    }
                    let day = current
                        .as_mut()
                        .ok_or_else(|| at(format!("the {code} rate is outside a dated Cube")))?;
                    if day.pairs.iter().any(|p| p.to == to) {
                        return Err(at(format!("{code} appears twice on {}", day.as_of)));
                    }
                    day.pairs.push(FxPair {
                        from: eur,
                        to,
                        mid,
                        bank_buying: None,
                        bank_selling: None,
                    });
                }
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(done) = current.take() {
        days.push(done);
    }
    if let Some(empty) = days.iter().find(|t| t.pairs.is_empty()) {
        return Err(EcbError {
            line: 1,
            message: format!("{} has no rates (a truncated file?)", empty.as_of),
        });
    }
    if let Some((name, line, _)) = open.first() {
        return Err(EcbError {
            line: line_of(xml, xml.len() as u64),
            message: format!(
                "the file ends inside <{name}> (opened on line {line}): a truncated file \
                 (a download cut short?)"
            ),
        });
    }
    if days.is_empty() {
        return Err(EcbError {
            line: 1,
            message: "no dated Cube element: this is not an ECB rates file".into(),
        });
    }
    days.sort_by_key(|t| t.as_of);
    for pair in days.windows(2) {
        if pair[0].as_of == pair[1].as_of {
            return Err(EcbError { line: 1, message: format!("{} appears twice", pair[0].as_of) });
        }
    }
    Ok(days)
}
