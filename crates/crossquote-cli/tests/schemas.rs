//! schemas/*.schema.json are what the code generates (UPDATE_SCHEMAS=1 rewrites them), and
//! the examples, the built-in profile and real responses are valid against them.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use serde_json::Value;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn read(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap()).unwrap()
}

#[test]
fn schema_files_are_current() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (name, _) in crossquote_cli::schema::ALL {
        let want = serde_json::to_string_pretty(&crossquote_cli::schema::get(name).unwrap())
            .unwrap()
            + "\n";
        let path = Path::new(ROOT).join(format!("schemas/{name}.schema.json"));
        if update {
            std::fs::write(&path, &want).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "out of date (UPDATE_SCHEMAS=1 cargo test -p crossquote-cli --test schemas): {stale:?}"
    );
}

fn check(schema: &str, doc: &Value, what: &str) {
    let schema = read(&format!("schemas/{schema}.schema.json"));
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what}: {}", errors.join("\n"));
}

#[test]
fn examples_and_outputs_are_valid() {
    check("b2c-request", &read("schemas/examples/quote-b2c.json"), "quote-b2c.json");
    check("b2b-request", &read("schemas/examples/quote-b2b.json"), "quote-b2b.json");
    check("order-b2c", &read("schemas/examples/order-b2c.json"), "order-b2c.json");
    check("order-b2b", &read("schemas/examples/order-b2b.json"), "order-b2b.json");
    check("reply-request", &read("schemas/examples/reply.json"), "reply.json");
    check("reply-order-request", &read("schemas/examples/reply-order.json"), "reply-order.json");
    check("sheet-spec", &read("schemas/examples/sheet-spec.json"), "sheet-spec.json");
    check("sheet-spec", &read("bench/spec.json"), "bench/spec.json");
    check("profile", &read("crates/crossquote/data/default_profile.json"), "the default profile");
    let sheet = read("schemas/examples/sheet.json");
    check("sheet-spec", &sheet["spec"], "sheet.json spec");

    let profile = crossquote::defaults::default_profile().unwrap();
    let b2c: crossquote::b2c::B2cRequest =
        serde_json::from_value(read("schemas/examples/quote-b2c.json")).unwrap();
    let quote = crossquote::b2c::quote(&b2c, &profile.rates).unwrap();
    check("b2c-quote", &serde_json::to_value(&quote).unwrap(), "a B2C quote");
    let b2b: crossquote::b2b::B2bRequest =
        serde_json::from_value(read("schemas/examples/quote-b2b.json")).unwrap();
    let quote = crossquote::b2b::quote(&b2b, &profile.rates).unwrap();
    check("b2b-quote", &serde_json::to_value(&quote).unwrap(), "a B2B quote");
    let req: crossquote::reply::ReplyRequest =
        serde_json::from_value(read("schemas/examples/reply.json")).unwrap();
    let templates = profile.templates().unwrap();
    let replies = crossquote::reply::write(&req, &templates, &profile).unwrap();
    check("replies", &serde_json::to_value(&replies).unwrap(), "replies");
    let order: crossquote::order::RetailOrder =
        serde_json::from_value(read("schemas/examples/order-b2c.json")).unwrap();
    let quote = crossquote::order::retail::quote(&order, &profile).unwrap();
    check("order-b2c-quote", &serde_json::to_value(&quote).unwrap(), "a retail order's quote");
    let order: crossquote::order::WholesaleOrder =
        serde_json::from_value(read("schemas/examples/order-b2b.json")).unwrap();
    let quote = crossquote::order::wholesale::quote(&order, &profile).unwrap();
    check("order-b2b-quote", &serde_json::to_value(&quote).unwrap(), "a wholesale order's quote");
    check("order-b2b", &read("schemas/examples/proforma.json"), "proforma.json");
    let order: crossquote::order::WholesaleOrder =
        serde_json::from_value(read("schemas/examples/proforma.json")).unwrap();
    let answer = crossquote_cli::request::proforma(&order, &profile, &templates).unwrap();
    check("proforma", &serde_json::to_value(&answer).unwrap(), "a proforma invoice");
}

/// The schemas say no to what the code says no to: a JSON fraction, an unknown field.
#[test]
fn schemas_refuse_what_the_code_refuses() {
    let schema = read("schemas/b2c-request.schema.json");
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut doc = read("schemas/examples/quote-b2c.json");
    assert!(validator.is_valid(&doc));
    doc["costs"]["purchase"] = serde_json::json!(36.5);
    assert!(!validator.is_valid(&doc), "a JSON fraction must be refused");
    let mut doc = read("schemas/examples/quote-b2c.json");
    doc["colour"] = "red".into();
    assert!(!validator.is_valid(&doc), "an unknown field must be refused");
}
