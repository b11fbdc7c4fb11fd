//! Runs the shared golden case files (`tests/golden/` at the repository root).

#[test]
fn b2c_golden_cases() {
    let outcomes =
        crossquote::cases::run_b2c(include_str!("../../../tests/golden/b2c.json")).unwrap();
    assert!(outcomes.len() >= 25, "only {} cases", outcomes.len());
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
