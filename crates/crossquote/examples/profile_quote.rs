//! Runs one B2C quote many times, for a profiler: `valgrind --tool=callgrind
//! --toggle-collect=profile_quote::quote_once` counts one quote and dropping it, as the
//! benchmark times them.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, missing_docs)]

use crossquote::b2c::B2cRequest;
use crossquote::fx::RateTable;
use crossquote::Decimal;

#[inline(never)]
fn quote_once(req: &B2cRequest, rates: &RateTable) -> Decimal {
    crossquote::b2c::quote(req, rates).unwrap().sale_price.amount
}

fn main() {
    let rates = crossquote::defaults::default_rates().unwrap();
    let req: B2cRequest =
        crossquote::from_json(include_str!("../../../tests/bench/b2c_request.json")).unwrap();
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let mut total = Decimal::ZERO;
    for _ in 0..n {
        total += quote_once(std::hint::black_box(&req), &rates);
    }
    println!("{total}");
}
