//! JSON Schemas of the request and response documents, generated from the core's types
//! (schemars), so they cannot drift from what the code reads and writes. `crossquote
//! schema NAME` prints one; `schemas/*.schema.json` are these, kept current by a test.

use schemars::{generate::SchemaSettings, JsonSchema};

/// Makes one schema.
pub type Generator = fn() -> serde_json::Value;

/// Every schema: its file stem and its generator.
pub const ALL: [(&str, Generator); 15] = [
    ("b2c-request", request::<crossquote::b2c::B2cRequest>),
    ("b2c-quote", response::<crossquote::b2c::B2cQuote>),
    ("b2b-request", request::<crossquote::b2b::B2bRequest>),
    ("b2b-quote", response::<crossquote::b2b::B2bQuote>),
    ("order-b2c", request::<crossquote::order::RetailOrder>),
    ("order-b2c-quote", response::<crossquote::order::RetailQuote>),
    ("order-b2b", request::<crossquote::order::WholesaleOrder>),
    ("order-b2b-quote", response::<crossquote::order::WholesaleQuote>),
    ("reply-request", request::<crossquote::reply::ReplyRequest>),
    ("reply-order-request", request::<crossquote::order::reply::OrderReplyRequest>),
    ("replies", response::<crossquote::reply::Replies>),
    ("proforma", response::<crate::request::ProformaAnswer>),
    ("sheet-spec", request::<crossquote::sheet::SheetSpec>),
    ("profile", request::<crossquote::profile::Profile>),
    ("rate-table", request::<crossquote::fx::RateTable>),
];

fn generate<T: JsonSchema>(settings: SchemaSettings) -> serde_json::Value {
    settings.into_generator().into_root_schema_for::<T>().to_value()
}

/// The schema of a document crossquote reads.
fn request<T: JsonSchema>() -> serde_json::Value {
    generate::<T>(SchemaSettings::draft2020_12().for_deserialize())
}

/// The schema of a document crossquote writes.
fn response<T: JsonSchema>() -> serde_json::Value {
    generate::<T>(SchemaSettings::draft2020_12().for_serialize())
}

/// The schema named `name` (a file stem of [`ALL`]).
pub fn get(name: &str) -> Option<serde_json::Value> {
    ALL.iter().find(|(n, _)| *n == name).map(|(n, f)| {
        let mut v = f();
        v["$id"] = format!("{n}.schema.json").into();
        v
    })
}
