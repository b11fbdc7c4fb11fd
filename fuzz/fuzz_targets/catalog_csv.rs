//! Any bytes as a catalog through the streamed sheet runner (the benchmark's plan): no
//! panic, and every output record well formed (10 cells a line, 5 a rejected row).
#![no_main]

use std::sync::OnceLock;

use crossquote::sheet::{Plan, SheetSpec};
use crossquote_cli::sheet::{run, CsvSink};
use libfuzzer_sys::fuzz_target;

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let profile = crossquote::profile::load_over(
            crossquote::defaults::DEFAULT_PROFILE_JSON,
            include_str!("../../bench/profile-over.json"),
        )
        .unwrap();
        let spec: SheetSpec = serde_json::from_str(include_str!("../../bench/spec.json")).unwrap();
        Plan::new(&profile, &spec).unwrap()
    })
}

fn records(bytes: &[u8], width: usize) {
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    for rec in r.byte_records() {
        let rec = rec.unwrap();
        assert_eq!(rec.len(), width, "{rec:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let mut sink = CsvSink(Vec::new());
    let mut rejected = Vec::new();
    let input = Box::new(std::io::Cursor::new(data.to_vec()));
    if let Ok(summary) = run(plan(), input, &mut sink, &mut rejected, 2) {
        assert!(summary.counts.rejected_rows <= summary.counts.rows);
        records(&sink.0, 10);
        records(&rejected, 5);
    }
});
