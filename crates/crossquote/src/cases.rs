//! Golden case files: the runner that every test suite shares.
//!
//! A case file (`tests/golden/*.json` in the repository) holds a rate table and a list of
//! cases: an operation, a request, its arguments and the expected values, each at a path
//! of the JSON answer (`sale_price.amount`, `breakdown.lines[2].amount`,
//! `breakdown.lines.len`) or of the error (`error.field[0]`, `error.kind[0]`,
//! `error.message[0]`, `error.count`). The native tests, the browser tests and the CLI run
//! the same files through [`run_b2c`], [`run_logistics`] and [`run_b2b`], so every front
//! end is held to the same numbers.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::b2c::{self, B2cRequest, CounterOffer, QuoteError};
use crate::fx::RateTable;
use crate::logistics::{self, Carton, Parcel, Pricing, Service, ShippingError, ShippingQuote};
use crate::percent::Percent;
use crate::Decimal;

#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
struct File {
    rates: RateTable,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
struct Case {
    name: String,
    op: String,
    #[cfg_attr(feature = "schemars", schemars(with = "crate::serde_dec::DecimalText"))]
    #[serde(default)]
    args: Map<String, Value>,
    request: Value,
    expect: Map<String, Value>,
}

/// One case's outcome: its name and every mismatch (empty when it passed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The case's name.
    pub name: String,
    /// One line per expected value that differed, or why the case could not run.
    pub mismatches: Vec<String>,
}

fn arg<T: for<'de> Deserialize<'de>>(args: &Map<String, Value>, key: &str) -> Result<T, String> {
    let v = args.get(key).ok_or_else(|| format!("missing argument `{key}`"))?;
    serde_json::from_value(v.clone()).map_err(|e| format!("argument `{key}`: {e}"))
}

#[derive(Deserialize)]
struct Dec(#[serde(with = "crate::serde_dec")] Decimal);

fn run_op(case: &Case, rates: &RateTable) -> Result<Result<Value, QuoteError>, String> {
    let req: B2cRequest =
        serde_json::from_value(case.request.clone()).map_err(|e| format!("request: {e}"))?;
    let json = |v: Result<Value, serde_json::Error>| v.map_err(|e| e.to_string());
    Ok(match case.op.as_str() {
        "quote" => match b2c::quote(&req, rates) {
            Ok(q) => Ok(json(serde_json::to_value(q))?),
            Err(e) => Err(e),
        },
        "evaluate" => {
            let price: Dec = arg(&case.args, "sale_price")?;
            b2c::evaluate(&req, rates, price.0)
                .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
        }
        "price_for_margin" => {
            let m: Percent = arg(&case.args, "margin")?;
            b2c::price_for_margin(&req, rates, m)
                .map(|q| serde_json::to_value(q).unwrap_or(Value::Null))
        }
        "break_even" => {
            b2c::break_even(&req, rates).map(|m| serde_json::to_value(m).unwrap_or(Value::Null))
        }
        "max_discount" => {
            let list: Dec = arg(&case.args, "list_price")?;
            let floor: Percent = arg(&case.args, "floor_margin")?;
            b2c::max_discount(&req, rates, list.0, floor)
                .map(|m| serde_json::to_value(m).unwrap_or(Value::Null))
        }
        "counter_offer" => {
            let offer: CounterOffer = arg(&case.args, "offer")?;
            b2c::counter_offer(&req, rates, &offer)
                .map(|v| serde_json::to_value(v).unwrap_or(Value::Null))
        }
        other => return Err(format!("unknown op `{other}`")),
    })
}

/// The JSON form of field errors that `error.*` paths read: `count`, and `field`, `kind`
/// and `message` lists.
fn field_errors_value(list: &[crate::error::FieldError]) -> Value {
    let mut m = Map::new();
    m.insert("count".into(), Value::from(list.len()));
    m.insert("field".into(), list.iter().map(|e| Value::from(e.field.clone())).collect());
    m.insert(
        "kind".into(),
        list.iter()
            .map(|e| {
                serde_json::to_value(&e.problem)
                    .ok()
                    .and_then(|v| v.get("kind").cloned())
                    .unwrap_or_default()
            })
            .collect(),
    );
    m.insert("message".into(), list.iter().map(|e| Value::from(e.problem.to_string())).collect());
    Value::Object(m)
}

/// The JSON form of a B2C error.
fn error_value(e: &QuoteError) -> Value {
    match e {
        QuoteError::Invalid(errors) => field_errors_value(&errors.0),
        other => {
            let mut m = Map::new();
            m.insert("count".into(), Value::from(1));
            m.insert("message".into(), Value::Array(vec![Value::from(other.to_string())]));
            Value::Object(m)
        }
    }
}

/// The value at `path` (`a.b[2].c`, `rows[0][3]`, with `.len` for an array's length) as text.
pub fn lookup(root: &Value, path: &str) -> Option<String> {
    let mut v = root;
    for part in path.split('.') {
        let (name, indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name == "len" {
            return v.as_array().map(|a| a.len().to_string());
        }
        if !name.is_empty() {
            v = v.get(name)?;
        }
        // `[2]`, or `[0][3]` for a row of a table.
        for index in indices.split(']').filter(|s| !s.is_empty()) {
            let i: usize = index.strip_prefix('[')?.parse().ok()?;
            v = v.get(i)?;
        }
    }
    Some(match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// Compares every expected path with the answer (or the error, under `error`).
fn compare(root: &Value, expect: &Map<String, Value>, mismatches: &mut Vec<String>) {
    for (path, want) in expect {
        let want = match want {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let got = lookup(root, path);
        if got.as_deref() != Some(want.as_str()) {
            mismatches.push(format!(
                "{path}: expected {want}, got {}",
                got.unwrap_or_else(|| "nothing".into())
            ));
        }
    }
}

fn wrap(key: &str, v: Value) -> Value {
    let mut m = Map::new();
    m.insert(key.into(), v);
    Value::Object(m)
}

/// The outcome of one case: `answer` is the JSON answer (errors under `error`), or why
/// the case could not run.
fn outcome(name: &str, answer: Result<Value, String>, expect: &Map<String, Value>) -> Outcome {
    let mut mismatches = Vec::new();
    match answer {
        Err(why) => mismatches.push(why),
        Ok(root) => {
            let expects_error = expect.keys().any(|k| k == "error" || k.starts_with("error."));
            if let (Some(e), false) = (root.get("error"), expects_error) {
                mismatches.push(format!("unexpected error: {e}"));
            }
            compare(&root, expect, &mut mismatches);
        }
    }
    Outcome { name: name.to_owned(), mismatches }
}

/// Runs every case of a B2C case file.
pub fn run_b2c(text: &str) -> Result<Vec<Outcome>, String> {
    let file: File = serde_json::from_str(text).map_err(|e| format!("case file: {e}"))?;
    Ok(file
        .cases
        .iter()
        .map(|case| {
            let answer = run_op(case, &file.rates).map(|result| match result {
                Ok(v) => v,
                Err(e) => wrap("error", error_value(&e)),
            });
            outcome(&case.name, answer, &case.expect)
        })
        .collect())
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
struct LogisticsFile {
    services: Vec<Service>,
    cases: Vec<LogisticsCase>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
struct LogisticsCase {
    name: String,
    op: String,
    #[serde(default)]
    service: Option<String>,
    country: String,
    #[serde(default)]
    remote: bool,
    #[serde(default)]
    parcel: Option<Parcel>,
    #[serde(default)]
    quantity: Option<u32>,
    #[serde(default)]
    unit: Option<Parcel>,
    #[serde(default)]
    carton: Option<Carton>,
    #[serde(default)]
    pricing: Pricing,
    expect: Map<String, Value>,
}

fn run_logistics_case(case: &LogisticsCase, services: &[Service]) -> Result<Value, String> {
    let to_json = |v: Result<Value, serde_json::Error>| v.map_err(|e| e.to_string());
    let service = || -> Result<&Service, String> {
        let id = case.service.as_deref().ok_or("the case names no service")?;
        services.iter().find(|s| s.id == id).ok_or_else(|| format!("no service `{id}`"))
    };
    let answer = |r: Result<ShippingQuote, ShippingError>| -> Result<Value, String> {
        match r {
            Ok(q) => to_json(serde_json::to_value(q)),
            Err(e) => Ok(wrap("error", to_json(serde_json::to_value(e))?)),
        }
    };
    match case.op.as_str() {
        "parcel" => {
            let parcel = case.parcel.as_ref().ok_or("the case has no parcel")?;
            answer(service()?.quote_parcel(parcel, &case.country, case.remote))
        }
        "lot" => {
            let unit = case.unit.as_ref().ok_or("the case has no unit")?;
            let parcels = match logistics::lot_parcels(
                case.quantity.unwrap_or(1),
                unit,
                case.carton.as_ref(),
            ) {
                Ok(p) => p,
                Err(e) => return answer(Err(e)),
            };
            answer(service()?.quote_parcels(&parcels, &case.country, case.remote, case.pricing))
        }
        "options" => {
            let parcel = case.parcel.as_ref().ok_or("the case has no parcel")?;
            let (ok, not) = logistics::options(
                services,
                std::slice::from_ref(parcel),
                &case.country,
                case.remote,
                case.pricing,
            );
            let mut m = Map::new();
            m.insert("fastest".into(), to_json(serde_json::to_value(logistics::fastest(&ok)))?);
            m.insert("options".into(), to_json(serde_json::to_value(&ok))?);
            m.insert("unavailable".into(), to_json(serde_json::to_value(&not))?);
            Ok(Value::Object(m))
        }
        other => Err(format!("unknown op `{other}`")),
    }
}

/// Runs every case of a logistics case file.
pub fn run_logistics(text: &str) -> Result<Vec<Outcome>, String> {
    let file: LogisticsFile = serde_json::from_str(text).map_err(|e| format!("case file: {e}"))?;
    for (i, s) in file.services.iter().enumerate() {
        let problems = s.validate(&format!("services[{i}]"));
        if !problems.is_empty() {
            return Err(crate::error::describe_all(&problems));
        }
    }
    Ok(file
        .cases
        .iter()
        .map(|case| outcome(&case.name, run_logistics_case(case, &file.services), &case.expect))
        .collect())
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
struct B2bFile {
    rates: RateTable,
    cases: Vec<B2bCase>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
struct B2bCase {
    name: String,
    op: String,
    #[serde(default)]
    request: Option<Value>,
    #[serde(default)]
    args: Map<String, Value>,
    expect: Map<String, Value>,
}

fn ok_json<T: serde::Serialize>(v: T) -> Result<Value, String> {
    serde_json::to_value(v).map_err(|e| e.to_string())
}

fn run_b2b_case(case: &B2bCase, rates: &RateTable) -> Result<Value, String> {
    use crate::b2b::{self, freight, tiers, Conversion, Incoterm, Insurance};
    use crate::grid::PriceRounding;
    let invalid = |list: &[crate::error::FieldError]| Ok(wrap("error", field_errors_value(list)));
    let grid = PriceRounding::default().grid(crate::currency::known::usd());
    match case.op.as_str() {
        "quote" => {
            let req: b2b::B2bRequest =
                serde_json::from_value(case.request.clone().ok_or("no request")?)
                    .map_err(|e| format!("request: {e}"))?;
            match b2b::quote(&req, rates) {
                Ok(q) => ok_json(q),
                Err(b2b::B2bError::Invalid(e)) => invalid(&e.0),
                Err(e) => Ok(wrap("error", Value::from(e.to_string()))),
            }
        }
        "convert" => {
            let price: Dec = arg(&case.args, "price")?;
            let (from, to): (Incoterm, Incoterm) =
                (arg(&case.args, "from")?, arg(&case.args, "to")?);
            let freight: Dec = arg(&case.args, "freight")?;
            let insurance: Insurance = arg(&case.args, "insurance")?;
            match b2b::convert_term(
                price.0,
                from,
                to,
                &Conversion { freight: freight.0, insurance },
                grid,
            ) {
                Ok(p) => Ok(wrap("price", Value::from(p.to_string()))),
                Err(b2b::B2bError::Invalid(e)) => invalid(&e.0),
                Err(e) => Err(e.to_string()),
            }
        }
        "with_commission" => {
            let price: Dec = arg(&case.args, "price")?;
            let c: Percent = arg(&case.args, "commission")?;
            let p = b2b::with_commission(price.0, c, grid).map_err(|e| e.to_string())?;
            Ok(wrap("price", Value::from(p.to_string())))
        }
        "split_commission" => {
            let price: Dec = arg(&case.args, "price")?;
            let c: Percent = arg(&case.args, "commission")?;
            let (amount, net) = b2b::split_commission(price.0, c, 2).map_err(|e| e.to_string())?;
            let mut m = Map::new();
            m.insert("commission".into(), Value::from(amount.to_string()));
            m.insert("net".into(), Value::from(net.to_string()));
            Ok(Value::Object(m))
        }
        "wm" => {
            let tariff: freight::WmTariff = arg(&case.args, "tariff")?;
            let cargo: freight::Cargo = arg(&case.args, "cargo")?;
            match tariff.freight(cargo) {
                Ok(f) => ok_json(f),
                Err(e) => invalid(&e.0),
            }
        }
        "fcl" => {
            let rate: crate::money::Money = arg(&case.args, "box_rate")?;
            let units: u64 = arg(&case.args, "units")?;
            match freight::fcl_per_unit(rate, units) {
                Ok(m) => ok_json(m),
                Err(e) => invalid(&e.0),
            }
        }
        "fill" => {
            let carton: freight::ExportCarton = arg(&case.args, "carton")?;
            let name: String = arg(&case.args, "container")?;
            let container = freight::Container::standard()
                .into_iter()
                .find(|c| c.name == name)
                .ok_or_else(|| format!("no container `{name}`"))?;
            match freight::fill(&carton, &container) {
                Ok(f) => ok_json(f),
                Err(e) => invalid(&e.0),
            }
        }
        "tier_price" | "tier_rows" => {
            let table: tiers::TierTable = arg(&case.args, "table")?;
            let ctx: tiers::TierContext = if case.args.contains_key("context") {
                arg(&case.args, "context")?
            } else {
                Default::default()
            };
            let result = if case.op == "tier_price" {
                let q: u32 = arg(&case.args, "quantity")?;
                table
                    .price(q, &ctx)
                    .and_then(|p| ok_json(p).map_err(|_| tiers::TierError::NoTier { quantity: q }))
            } else {
                table.rows(&ctx).map(|(rows, warnings)| {
                    let mut m = Map::new();
                    m.insert("rows".into(), serde_json::to_value(rows).unwrap_or_default());
                    m.insert("warnings".into(), serde_json::to_value(warnings).unwrap_or_default());
                    Value::Object(m)
                })
            };
            match result {
                Ok(v) => Ok(v),
                Err(tiers::TierError::Invalid(e)) => invalid(&e.0),
                Err(e) => Ok(wrap("error", Value::from(e.to_string()))),
            }
        }
        other => Err(format!("unknown op `{other}`")),
    }
}

/// Runs every case of a B2B case file.
pub fn run_b2b(text: &str) -> Result<Vec<Outcome>, String> {
    let file: B2bFile = serde_json::from_str(text).map_err(|e| format!("case file: {e}"))?;
    Ok(file
        .cases
        .iter()
        .map(|case| outcome(&case.name, run_b2b_case(case, &file.rates), &case.expect))
        .collect())
}

#[derive(Deserialize)]
struct OrderFile {
    /// A partial profile over the built-in one, when the cases need their own data.
    #[serde(default)]
    profile_over: Option<Value>,
    cases: Vec<OrderCase>,
}

#[derive(Deserialize)]
struct OrderCase {
    name: String,
    op: String,
    request: Value,
    expect: Map<String, Value>,
}

/// The profile an order case file runs on: the built-in one, or its `profile_over` on it.
fn order_profile(file: &OrderFile) -> Result<crate::profile::Profile, String> {
    let base = crate::defaults::DEFAULT_PROFILE_JSON;
    let loaded = match &file.profile_over {
        None => crate::profile::load(base),
        Some(over) => crate::profile::load_over(base, &over.to_string()),
    };
    loaded.map_err(|e| {
        let list: Vec<String> = e.iter().map(ToString::to_string).collect();
        format!("profile: {}", list.join("; "))
    })
}

/// The JSON answer to one order case: the quotation, or its problems under `error`.
pub fn order_answer(
    op: &str,
    request: &Value,
    profile: &crate::profile::Profile,
) -> Result<Value, String> {
    use crate::order::{retail, wholesale, OrderError};
    let answer = match op {
        "retail" => {
            let order: retail::RetailOrder =
                serde_json::from_value(request.clone()).map_err(|e| format!("request: {e}"))?;
            retail::quote(&order, profile).map(ok_json)
        }
        "wholesale" => {
            let order: wholesale::WholesaleOrder =
                serde_json::from_value(request.clone()).map_err(|e| format!("request: {e}"))?;
            wholesale::quote(&order, profile).map(ok_json)
        }
        other => return Err(format!("unknown op `{other}`")),
    };
    match answer {
        Ok(v) => v,
        Err(OrderError::Invalid(e)) => Ok(wrap("error", field_errors_value(&e.0))),
        Err(e) => Ok(wrap("error", Value::from(e.to_string()))),
    }
}

/// Every case of an order case file: `(name, op, request, expect)`, for suites that quote
/// through another front end (the CLI, the API) and compare with [`compare_answer`].
pub type OrderCaseParts = (String, String, Value, Map<String, Value>);

/// The cases of an order file and the profile they run on.
pub fn order_cases(text: &str) -> Result<(crate::profile::Profile, Vec<OrderCaseParts>), String> {
    let file: OrderFile = serde_json::from_str(text).map_err(|e| format!("case file: {e}"))?;
    let profile = order_profile(&file)?;
    let cases = file.cases.into_iter().map(|c| (c.name, c.op, c.request, c.expect)).collect();
    Ok((profile, cases))
}

/// One case's outcome for an answer obtained elsewhere (errors under `error`, with
/// `count`, `field` and `message` lists).
pub fn compare_answer(name: &str, answer: Value, expect: &Map<String, Value>) -> Outcome {
    outcome(name, Ok(answer), expect)
}

/// Runs every case of an order case file (`tests/golden/orders.json`) on the built-in
/// profile (or the file's `profile_over` on it).
pub fn run_orders(text: &str) -> Result<Vec<Outcome>, String> {
    let (profile, cases) = order_cases(text)?;
    Ok(cases
        .iter()
        .map(|(name, op, request, expect)| {
            outcome(name, order_answer(op, request, &profile), expect)
        })
        .collect())
}

#[derive(Deserialize)]
struct DocumentFile {
    cases: Vec<DocumentCase>,
}

#[derive(Deserialize)]
struct DocumentCase {
    name: String,
    /// The wholesale case of the order file whose order the document is for.
    order: String,
    /// `buyer.document_language` set on that order.
    language: String,
    expect: Map<String, Value>,
    /// The whole plain-text document, line by line, where the case pins it.
    #[serde(default)]
    text: Option<Vec<String>>,
}

/// One document case: its name, the order (with its document language set) and the
/// expected values of the document's JSON.
pub type DocumentCaseParts = (String, Value, Map<String, Value>);

/// The cases of a document file (`tests/golden/documents.json`), each an order of the
/// order file (`tests/golden/orders.json`) in a document language, and the profile they
/// run on.
pub fn document_cases(
    orders: &str,
    documents: &str,
) -> Result<(crate::profile::Profile, Vec<DocumentCaseParts>), String> {
    let (profile, order_cases) = order_cases(orders)?;
    let file: DocumentFile =
        serde_json::from_str(documents).map_err(|e| format!("document case file: {e}"))?;
    let mut out = Vec::new();
    for c in file.cases {
        let (_, _, request, _) = order_cases
            .iter()
            .find(|(name, op, _, _)| *name == c.order && op == "wholesale")
            .ok_or_else(|| format!("{}: no wholesale order case `{}`", c.name, c.order))?;
        let mut request = request.clone();
        let buyer = request
            .as_object_mut()
            .ok_or_else(|| format!("{}: the order is not an object", c.name))?
            .entry("buyer")
            .or_insert_with(|| Value::Object(Map::new()));
        buyer
            .as_object_mut()
            .ok_or_else(|| format!("{}: the buyer is not an object", c.name))?
            .insert("document_language".into(), Value::from(c.language.clone()));
        let mut expect = c.expect;
        if let Some(lines) = c.text {
            let mut text = lines.join("\n");
            text.push('\n');
            expect.insert("text".into(), Value::from(text));
        }
        out.push((c.name, request, expect));
    }
    Ok((profile, out))
}

/// The proforma invoice of a wholesale order as JSON (the document, with its plain text
/// under `text`), or its problems under `error`.
pub fn document_answer(
    request: &Value,
    profile: &crate::profile::Profile,
) -> Result<Value, String> {
    use crate::order::{wholesale, OrderError};
    let order: wholesale::WholesaleOrder =
        serde_json::from_value(request.clone()).map_err(|e| format!("request: {e}"))?;
    let quote = match wholesale::quote(&order, profile) {
        Ok(q) => q,
        Err(OrderError::Invalid(e)) => return Ok(wrap("error", field_errors_value(&e.0))),
        Err(e) => return Ok(wrap("error", Value::from(e.to_string()))),
    };
    let templates = profile.templates().map_err(|e| format!("templates: {e:?}"))?;
    match crate::document::proforma(&quote, &templates) {
        Ok(doc) => {
            let mut v = serde_json::to_value(&doc).map_err(|e| e.to_string())?;
            if let Some(m) = v.as_object_mut() {
                m.insert("text".into(), Value::from(doc.plain_text()));
            }
            Ok(v)
        }
        Err(crate::document::DocumentError::Fields(e)) => {
            Ok(wrap("error", field_errors_value(&e.0)))
        }
        Err(e) => Ok(wrap("error", Value::from(e.to_string()))),
    }
}

/// Runs every document case.
pub fn run_documents(orders: &str, documents: &str) -> Result<Vec<Outcome>, String> {
    let (profile, cases) = document_cases(orders, documents)?;
    Ok(cases
        .iter()
        .map(|(name, request, expect)| outcome(name, document_answer(request, &profile), expect))
        .collect())
}
