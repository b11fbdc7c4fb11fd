//! Runs the shared golden case files (`tests/golden/` at the repository root).

fn check(outcomes: Vec<crossquote::cases::Outcome>, at_least: usize) {
    assert!(outcomes.len() >= at_least, "only {} cases", outcomes.len());
    let failed: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.mismatches.is_empty())
        .map(|o| format!("{}:\n    {}", o.name, o.mismatches.join("\n    ")))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} golden cases failed:\n{}",
        failed.len(),
        outcomes.len(),
        failed.join("\n")
    );
}

#[test]
fn b2c_golden_cases() {
    check(crossquote::cases::run_b2c(include_str!("../../../tests/golden/b2c.json")).unwrap(), 25);
}

#[test]
fn logistics_golden_cases() {
    let text = include_str!("../../../tests/golden/logistics.json");
    check(crossquote::cases::run_logistics(text).unwrap(), 20);
}

#[test]
fn b2b_golden_cases() {
    check(crossquote::cases::run_b2b(include_str!("../../../tests/golden/b2b.json")).unwrap(), 20);
}

#[test]
fn order_golden_cases() {
    check(
        crossquote::cases::run_orders(include_str!("../../../tests/golden/orders.json")).unwrap(),
        12,
    );
}

#[test]
fn document_golden_cases() {
    check(
        crossquote::cases::run_documents(
            include_str!("../../../tests/golden/orders.json"),
            include_str!("../../../tests/golden/documents.json"),
        )
        .unwrap(),
        6,
    );
}
