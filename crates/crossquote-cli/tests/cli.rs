//! The `crossquote` binary on the shared golden files and on bad input.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn crossquote(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crossquote"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn golden_cases_pass_through_the_cli() {
    for file in [
        "tests/golden/b2c.json",
        "tests/golden/logistics.json",
        "tests/golden/b2b.json",
        "tests/golden/orders.json",
        "tests/golden/documents.json",
    ] {
        let out = crossquote(&["cases", file], "");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{file}: {stdout}");
        assert!(stdout.ends_with(" passed, 0 failed\n"), "{file}: {stdout}");
        assert!(!stdout.contains("FAIL"), "{stdout}");
    }
}

#[test]
fn quote_reads_standard_input() {
    let req = r#"{"seller_currency":"CNY","quote_currency":"CNY","costs":{"purchase":"80"},
                 "fees":[{"name":"Commission","kind":"commission","rule":{"percent":"10"}}],
                 "profit":{"basis":"margin","percent":"10"}}"#;
    let out = crossquote(&["quote"], req);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // 80 / (1 - 0.10 - 0.10) = 100.00 CNY exactly.
    assert_eq!(v["sale_price"]["amount"], "100.00");
}

#[test]
fn bad_input_names_the_field_and_exits_2() {
    let out = crossquote(
        &["quote"],
        r#"{"seller_currency":"CNY","quote_currency":"USD","costs":{"purchase":"ten"},"profit":{"basis":"margin","percent":"20"}}"#,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("costs.purchase: `ten` is not a number"), "{stderr}");
    let out = crossquote(
        &["quote"],
        r#"{"seller_currency":"CNY","quote_currency":"USD","costs":{"purchase":"10"},"profit":{"basis":"margin","percent":"99"},"fees":[{"name":"c","kind":"commission","rule":{"percent":"8"}}]}"#,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("fees: fees and margin take the whole price: fees 8% + margin 99% >= 100%"),
        "{stderr}"
    );
}

#[test]
fn ecb_import_gives_the_latest_table() {
    let out = crossquote(
        &["rates", "import-ecb", "tests/golden/ecb/eurofxref-hist-3d.xml", "--latest"],
        "",
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["as_of"], "2026-11-20");
    assert_eq!(v["pairs"][1]["to"], "CNY");
    assert_eq!(v["pairs"][1]["mid"], "8.2140");
}

#[test]
fn profile_check_reports_every_problem() {
    let out = crossquote(&["profile", "check", "tests/golden/profile/bad_profile.json"], "");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("bad_profile.json: line 22: services[0].zones.EU.bands[1].per_kg: must not be negative (got -5)"), "{stderr}");
    assert!(stderr.contains("crossquote: 19 problems in"), "{stderr}");
    let out = crossquote(&["profile", "check", "--over", "tests/golden/profile/overlay.json"], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout).unwrap().starts_with("ok: My shop"));
    let out = crossquote(&["profile", "default"], "");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
}

#[test]
fn quote_takes_a_b2b_request() {
    let req = r#"{"seller_currency":"CNY","quote_currency":"USD","quantity":1000,
        "cost":{"unit_cost":"113.00","vat_rate":"13","rebate_rate":"9"},
        "shipment_fees":[{"name":"Fees","amount":"2500"}],"handling":"5",
        "loan":{"annual_rate":"6","days":60},"term":"FOB","profit":"10","bank_charges":"0.5"}"#;
    let out = crossquote(&["quote"], req);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The built-in sample table buys USD at 7.0850: 113.28 / 7.085 / 0.895 = 17.8645 -> 17.87.
    assert_eq!(v["unit_price"]["amount"], "17.87");
    assert_eq!(v["label"], "FOB");
}

#[test]
fn reply_writes_the_buyers_language_and_chinese() {
    let req = r#"{"scenario":{"kind":"bargain_quantity","min_quantity":3,"discount":"7",
        "unit_price":{"amount":"9.29","currency":"RUB"}},"country":"RU","channel":"im",
        "buyer":{"name":"Ольга","greeting":"Привет"}}"#;
    let out = crossquote(&["reply"], req);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Здравствуйте, Ольга! При заказе от 3 шт. мы можем дать скидку 7%: 9,29\u{a0}₽ за штуку."), "{text}");
    assert!(text.contains("---- 中文 ----\nОльга 您好："), "{text}");
    let out = crossquote(
        &["reply"],
        r#"{"scenario":{"kind":"instalments","price":{"amount":"50","currency":"USD"}},"country":"US","buyer":{"name":"A"}}"#,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("no instalment offer"));
    let out = crossquote(
        &["reply"],
        r#"{"scenario":{"kind":"lots","lot_size":10,"lot_prise":"1"},"country":"US","buyer":{"name":"A"}}"#,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("scenario: unknown field `lot_prise`"));
}

#[test]
fn quote_prints_a_readable_table() {
    let req = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schemas/examples/quote-b2c.json"
    ))
    .unwrap();
    let out = crossquote(&["quote", "--table"], &req);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    // (36.00 + 1.50 + 14.40) CNY / 7.10 = 7.3099 USD; / (1 − 8% − 3% − 20%) = 10.594, and
    // on lines rounded to the cent 10.60 is the least price that keeps a 20% margin.
    assert!(text.starts_with("list price"), "{text}");
    assert!(text.contains("sale price                10.60 USD\n"), "{text}");
    assert!(text.contains("\nbreakdown (USD)\n"), "{text}");
    assert!(text.contains("\nbreakdown (CNY)\n"), "{text}");
    assert!(text.contains("total                         10.60\n"), "{text}");
    assert!(text.contains("margin                       20.00%\n"), "{text}");
}

/// `crossquote quote … | head` and `crossquote sheet … | head`: the reader closes the pipe,
/// and the command stops quietly with status 0 (it panicked with 101).
#[test]
fn a_closed_output_pipe_is_not_an_error() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let dir = std::env::temp_dir().join(format!("crossquote-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rejected = dir.join("r.csv");
    let catalog = std::fs::read(format!("{root}/tests/golden/sheet/catalog.csv")).unwrap();
    let request = std::fs::read(format!("{root}/schemas/examples/quote-b2c.json")).unwrap();
    let runs: [(&[&str], Vec<u8>); 3] = [
        (&["quote"], request.clone()),
        (&["quote", "--table"], request),
        (
            &[
                "sheet",
                "-",
                "--spec",
                "bench/spec.json",
                "--profile-over",
                "bench/profile-over.json",
                "--rejected",
                rejected.to_str().unwrap(),
            ],
            catalog,
        ),
    ];
    for (args, input) in runs {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crossquote"))
            .args(args)
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // closed before anything is written
        child.stdin.take().unwrap().write_all(&input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every golden order quoted by `crossquote quote` itself (standard input to JSON), and the
/// examples as JSON and as a table.
#[test]
fn golden_orders_through_quote() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/golden/orders.json"
    ))
    .unwrap();
    let (_, cases) = crossquote::cases::order_cases(&text).unwrap();
    let mut failed = Vec::new();
    let mut errors = 0;
    for (name, _, request, expect) in &cases {
        let out = crossquote(&["quote"], &request.to_string());
        if expect.keys().any(|k| k.starts_with("error")) {
            // Bad input: exit 2, and every expected field named on standard error.
            errors += 1;
            assert_eq!(out.status.code(), Some(2), "{name}");
            let stderr = String::from_utf8(out.stderr).unwrap();
            for (k, v) in expect.iter().filter(|(k, _)| k.starts_with("error.field")) {
                assert!(stderr.contains(v.as_str().unwrap()), "{name}: {k} {v} not in {stderr}");
            }
            continue;
        }
        assert_eq!(out.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let o = crossquote::cases::compare_answer(name, answer, expect);
        if !o.mismatches.is_empty() {
            failed.push(format!("{name}: {}", o.mismatches.join("; ")));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert!(errors >= 2 && cases.len() >= 12);

    let out = crossquote(&["quote", "schemas/examples/order-b2c.json"], "");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["lines"].as_array().unwrap().len(), 2);
    assert_eq!(v["total"]["amount"], "128.99");
    let out = crossquote(&["quote", "--table", "schemas/examples/order-b2b.json"], "");
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("A-100 × 2000") && table.contains("B-200 × 800"), "{table}");
    assert!(table.contains("CIF Santos total") && table.contains("7476.00 USD"), "{table}");
}

/// Every golden document written by `crossquote proforma --json` (standard input), the
/// plain text without `--json`, and a language with no texts refused at its field.
#[test]
fn golden_documents_through_proforma() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden");
    let orders = std::fs::read_to_string(format!("{root}/orders.json")).unwrap();
    let documents = std::fs::read_to_string(format!("{root}/documents.json")).unwrap();
    let (_, cases) = crossquote::cases::document_cases(&orders, &documents).unwrap();
    assert!(cases.len() >= 6);
    let mut failed = Vec::new();
    let mut errors = 0;
    for (name, request, expect) in &cases {
        let out = crossquote(&["proforma", "--json"], &request.to_string());
        if expect.keys().any(|k| k.starts_with("error")) {
            errors += 1;
            assert_eq!(out.status.code(), Some(2), "{name}");
            let stderr = String::from_utf8(out.stderr).unwrap();
            for (k, v) in expect.iter().filter(|(k, _)| !k.starts_with("error.kind")) {
                assert!(stderr.contains(v.as_str().unwrap()), "{name}: {k} {v} not in {stderr}");
            }
            continue;
        }
        assert_eq!(out.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let o = crossquote::cases::compare_answer(name, answer.clone(), expect);
        if !o.mismatches.is_empty() {
            failed.push(format!("{name}: {}", o.mismatches.join("; ")));
        }
        // Without --json: the same document as plain text.
        let plain = crossquote(&["proforma", "-"], &request.to_string());
        assert_eq!(plain.status.code(), Some(0), "{name}");
        assert_eq!(String::from_utf8(plain.stdout).unwrap(), answer["text"].as_str().unwrap());
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert_eq!(errors, 1);

    let out = crossquote(&["proforma", "schemas/examples/proforma.json"], "");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("FATURA PROFORMA") && text.contains("USD 7.476,00"), "{text}");
    // An order without a date has no proforma: said at `date`.
    let mut order: serde_json::Value =
        serde_json::from_str(include_str!("../../../schemas/examples/order-b2b.json")).unwrap();
    order.as_object_mut().unwrap().remove("date");
    let out = crossquote(&["proforma"], &order.to_string());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("date: the proforma invoice needs the quotation's date"), "{stderr}");
}
