//! Bad input is named by its path: every value of every golden request and of the built-in
//! profile, replaced in turn by something no field accepts, is named by its own path. The
//! one exception is a type serde reads whole before it looks inside (an internally tagged
//! enum: a market's `vat`), whose inner values are named by the enum's path.

#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use crossquote::b2b::B2bRequest;
use crossquote::b2c::B2cRequest;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Every scalar in `v` with its path (`fees[0].rule.percent`).
fn leaves(v: &Value, path: String, out: &mut Vec<String>) {
    let join = |key: &str| if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| leaves(x, join(k), out)),
        Value::Array(a) => {
            a.iter().enumerate().for_each(|(i, x)| leaves(x, format!("{path}[{i}]"), out))
        }
        _ => out.push(path),
    }
}

/// `v` with the scalar at `path` replaced by `by`.
fn replaced(v: &Value, path: &str, by: &Value) -> Value {
    let mut v = v.clone();
    let pointer: String = path
        .split('.')
        .flat_map(|part| {
            let mut bits = part.split('[');
            let key = bits.next().unwrap_or_default().to_owned();
            std::iter::once(key).chain(bits.map(|b| b.trim_end_matches(']').to_owned()))
        })
        .map(|k| format!("/{k}"))
        .collect();
    *v.pointer_mut(&pointer).unwrap_or_else(|| panic!("no {pointer}")) = by.clone();
    v
}

/// Each request of a golden file, each scalar spoiled in turn: the error's path must be the
/// scalar's, on a pretty-printed text (so that lines and columns differ).
fn check<T: DeserializeOwned + std::fmt::Debug>(file: &str) -> usize {
    let file: Value = serde_json::from_str(file).unwrap();
    let bad = serde_json::json!({ "no field": "takes this" });
    let mut checked = 0;
    let mut wrong = Vec::new();
    // Cases of other operations (conversions, tier prices) carry no request.
    for case in file["cases"].as_array().unwrap().iter().filter(|c| c["request"].is_object()) {
        let request = &case["request"];
        let mut paths = Vec::new();
        leaves(request, String::new(), &mut paths);
        for path in paths {
            let text = serde_json::to_string_pretty(&replaced(request, &path, &bad)).unwrap();
            let e = crossquote::from_json::<T>(&text).unwrap_err();
            if e.path != path {
                wrong.push(format!("{}: {path} named as {}: {}", case["name"], e.path, e.message));
            }
            checked += 1;
        }
    }
    assert!(wrong.is_empty(), "{} of {checked}:\n{}", wrong.len(), wrong.join("\n"));
    checked
}

#[test]
fn every_value_of_a_b2c_request_is_named_by_its_path() {
    assert!(check::<B2cRequest>(include_str!("../../../tests/golden/b2c.json")) > 300);
}

#[test]
fn every_value_of_a_b2b_request_is_named_by_its_path() {
    assert!(check::<B2bRequest>(include_str!("../../../tests/golden/b2b.json")) > 300);
}

#[test]
fn every_value_of_the_built_in_profile_is_named_by_its_path() {
    let text = crossquote::defaults::DEFAULT_PROFILE_JSON;
    let profile: Value = serde_json::from_str(text).unwrap();
    let bad = serde_json::json!({ "no field": "takes this" });
    let mut paths = Vec::new();
    leaves(&profile, String::new(), &mut paths);
    let mut wrong = Vec::new();
    for path in &paths {
        let text = serde_json::to_string_pretty(&replaced(&profile, path, &bad)).unwrap();
        let errors = crossquote::profile::load(&text).unwrap_err();
        let named =
            |e: &str| e == path || (e.ends_with(".vat") && path.starts_with(&format!("{e}.")));
        if !errors.iter().any(|e| named(&e.path)) {
            let got: Vec<String> =
                errors.iter().map(|e| format!("{}: {}", e.path, e.message)).collect();
            wrong.push(format!("{path} named as {got:?}"));
        }
    }
    assert!(paths.len() > 500, "{}", paths.len());
    assert!(wrong.is_empty(), "{} of {}:\n{}", wrong.len(), paths.len(), wrong.join("\n"));
}
