//! Runs one B2C quote many times, for a profiler (`valgrind --tool=callgrind`).
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, missing_docs)]
fn main() {
    let rates = crossquote::defaults::default_rates().unwrap();
    let req: crossquote::b2c::B2cRequest =
        crossquote::from_json(include_str!("../../../tests/bench/b2c_request.json")).unwrap();
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let mut total = crossquote::Decimal::ZERO;
    for _ in 0..n {
        total += crossquote::b2c::quote(&req, &rates).unwrap().sale_price.amount;
    }
    println!("{total}");
}
