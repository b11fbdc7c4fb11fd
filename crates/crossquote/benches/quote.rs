//! One B2C quote with its breakdown in both currencies, and the baseline it is compared
//! with in the same run: parsing the request's decimals alone.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use crossquote::b2c::{self, B2cRequest};
use crossquote::fx::RateTable;

const REQUEST: &str = include_str!("../../../tests/bench/b2c_request.json");

fn bench(c: &mut Criterion) {
    let rates: RateTable = crossquote::defaults::default_rates().unwrap();
    let req: B2cRequest = crossquote::from_json(REQUEST).unwrap();
    let mut g = c.benchmark_group("b2c");
    g.bench_function("quote_with_breakdown", |b| {
        b.iter(|| b2c::quote(black_box(&req), black_box(&rates)).unwrap())
    });
    g.bench_function("baseline_parse_request_json", |b| {
        b.iter(|| crossquote::from_json::<B2cRequest>(black_box(REQUEST)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
