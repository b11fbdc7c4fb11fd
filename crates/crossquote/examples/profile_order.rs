//! Runs the 20-line wholesale order of the benchmark many times, for a profiler:
//! `valgrind --tool=callgrind --toggle-collect=profile_order::quote_once` counts one order
//! and dropping it, as the benchmark times them. `plain` as the second argument clears the
//! tier tables (the benchmark's `wholesale_20_lines`).
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, missing_docs)]

use crossquote::order::WholesaleOrder;
use crossquote::profile::Profile;
use crossquote::Decimal;

#[inline(never)]
fn quote_once(order: &WholesaleOrder, profile: &Profile) -> Decimal {
    crossquote::order::wholesale::quote(order, profile).unwrap().total.amount
}

fn main() {
    let profile = crossquote::defaults::default_profile().unwrap();
    let mut order: WholesaleOrder =
        crossquote::from_json(include_str!("../../../tests/bench/order_b2b_20_lines.json"))
            .unwrap();
    if std::env::args().nth(2).as_deref() == Some("plain") {
        order.lines.iter_mut().for_each(|l| l.tiers.clear());
    }
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let mut total = Decimal::ZERO;
    for _ in 0..n {
        total += quote_once(std::hint::black_box(&order), &profile);
    }
    println!("{total}");
}
