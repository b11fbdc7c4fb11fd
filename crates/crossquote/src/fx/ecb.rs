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

/// Every day in the file as a rate table, oldest first. The whole file is checked: any
/// unknown currency, bad rate or bad date is an error naming its line.
pub fn parse(xml: &str) -> Result<Vec<RateTable>, EcbError> {
    let mut reader = Reader::from_str(xml);
    let mut days: Vec<RateTable> = Vec::new();
    let mut current: Option<RateTable> = None;
    let eur = crate::currency::known::eur();
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event().map_err(|e| EcbError {
            line: line_of(xml, reader.error_position()),
            message: format!("not well-formed XML: {e}"),
        })?;
        let at = |message: String| EcbError { line: line_of(xml, pos), message };
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Cube" => {
                let time = attr(&e, "time").map_err(&at)?;
                let currency = attr(&e, "currency").map_err(&at)?;
                let rate = attr(&e, "rate").map_err(&at)?;
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
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(done) = current.take() {
        days.push(done);
    }
    if days.is_empty() {
        return Err(EcbError {
            line: 1,
            message: "no dated Cube element: this is not an ECB rates file".into(),
        });
    }
    if let Some(empty) = days.iter().find(|t| t.pairs.is_empty()) {
        return Err(EcbError {
            line: 1,
            message: format!("{} has no rates (a truncated file?)", empty.as_of),
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
