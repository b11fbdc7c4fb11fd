//! Any text as a quote document (an order of either kind, or a single request) quoted on
//! the built-in profile: an answer or a typed error, never a panic; and a retail or
//! wholesale quotation that comes back sums to its total.
#![no_main]

use std::sync::OnceLock;

use crossquote_cli::request::{self, QuoteRequest, Quoted};
use libfuzzer_sys::fuzz_target;

fn profile() -> &'static crossquote::profile::Profile {
    static P: OnceLock<crossquote::profile::Profile> = OnceLock::new();
    P.get_or_init(|| crossquote::defaults::default_profile().unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(req) = QuoteRequest::from_json(text) else { return };
    match request::quote(&req, profile()) {
        Ok(Quoted::Retail(q)) => {
            let lines: crossquote::Decimal = q.lines.iter().map(|l| l.amount.amount).sum();
            assert_eq!(lines, q.total.amount);
        }
        Ok(Quoted::Wholesale(q)) => {
            let lines: crossquote::Decimal = q.lines.iter().map(|l| l.amount.amount).sum();
            assert_eq!(lines, q.total.amount);
        }
        _ => {}
    }
});
