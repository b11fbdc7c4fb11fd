//! The seller profile: rates, shipping services, platform fee schedules and markets, in
//! one versioned JSON document. Loading checks everything and reports every problem with
//! its path (`services[2].zones.EU.bands[1].per_kg`) and line; a seller's own profile may
//! override the built-in one wholly or in part ([`load_over`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::b2c::{
    self, B2cRequest, Fee, FixedFee, ProfitBasis, ProfitTarget, QuoteError, UnitCosts,
};
use crate::currency::Currency;
use crate::fx::{RateSide, RateTable};
use crate::logistics::Service;
use crate::market::Market;
use crate::percent::Percent;
use crate::Decimal;

/// The profile format this build reads.
pub const PROFILE_VERSION: u32 = 1;

/// A platform's fee schedule (AliExpress-, Amazon-, Shopee-, eBay-like …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Platform {
    /// Stable id.
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// Fees taken on the price.
    #[serde(default)]
    pub fees: Vec<Fee>,
    /// Fixed fees.
    #[serde(default)]
    pub fixed_fees: Vec<FixedFee>,
    /// E.g. "sample fee schedule as of 2026-11-20".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A seller profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Profile {
    /// Format version ([`PROFILE_VERSION`]).
    pub version: u32,
    /// A name for people.
    pub name: String,
    /// The currency the seller's costs are in.
    pub seller_currency: Currency,
    /// Exchange rates.
    pub rates: RateTable,
    /// Shipping services.
    pub services: Vec<Service>,
    /// Platform fee schedules.
    pub platforms: Vec<Platform>,
    /// Destination markets.
    pub markets: Vec<Market>,
    /// The seller's own reply texts over the built-in ones: language -> template key ->
    /// text (checked like the built-in templates).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub replies: BTreeMap<String, BTreeMap<String, String>>,
    /// The seller's own details for documents (the proforma invoice, letters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller: Option<SellerDetails>,
    /// Container types as the seller's forwarder gives them (usable volume, payload);
    /// each replaces the built-in type of its name (20GP, 40GP, 40HQ), others are added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<crate::b2b::freight::Container>,
}

/// Who the seller is, as documents print it: one source for the proforma invoice and the
/// quotation letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SellerDetails {
    /// Company name.
    pub company: String,
    /// Postal address, lines separated by newlines.
    #[serde(default)]
    pub address: String,
    /// Bank details for payment (beneficiary, bank, account, SWIFT), lines separated by
    /// newlines.
    #[serde(default)]
    pub bank: String,
    /// Contact person, telephone, e-mail.
    #[serde(default)]
    pub contact: String,
    /// Prefix of proforma invoice numbers (`PREFIX-YYYYMMDD-NNN`).
    #[serde(default = "pi_prefix")]
    pub pi_prefix: String,
    /// The name letters are signed with.
    #[serde(default)]
    pub signature: String,
}

fn pi_prefix() -> String {
    "PI".to_owned()
}

/// One problem in a profile document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ProfileError {
    /// Path of the value, e.g. `services[2].zones.EU.bands[1].per_kg`.
    pub path: String,
    /// Line of the document where that value (or its nearest enclosing one) starts.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl Profile {
    /// The service with this id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }
    /// The platform with this id.
    pub fn platform(&self, id: &str) -> Option<&Platform> {
        self.platforms.iter().find(|p| p.id == id)
    }
    /// The reply templates: the built-in ones with this profile's texts over them.
    pub fn templates(&self) -> Result<crate::reply::Templates, Vec<crate::reply::TemplateError>> {
        crate::reply::Templates::built_in()?.with_overrides(&self.replies)
    }

    /// Every container type: the profile's, then the built-in ones it does not replace.
    pub fn containers(&self) -> Vec<crate::b2b::freight::Container> {
        let mut all = self.containers.clone();
        for c in crate::b2b::freight::Container::standard() {
            if !all.iter().any(|o| o.name.eq_ignore_ascii_case(&c.name)) {
                all.push(c);
            }
        }
        all
    }

    /// The container type of this name (any case).
    pub fn container(&self, name: &str) -> Option<crate::b2b::freight::Container> {
        self.containers().into_iter().find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// The market for this country (alpha-2, any case).
    pub fn market(&self, country: &str) -> Option<&Market> {
        self.markets.iter().find(|m| m.country.eq_ignore_ascii_case(country))
    }
}

/// Loads and checks a whole profile. A key given twice in one object is refused (JSON
/// readers keep the last without a word), naming its path and both lines.
pub fn load(text: &str) -> Result<Profile, Vec<ProfileError>> {
    let value = parse(text)?;
    let lines = Locator::new(text);
    with_duplicates(lines.duplicate_errors(""), build(value, &|path| lines.line(path)))
}

/// A profile with a key given twice is refused, with its other problems after.
fn with_duplicates(
    mut duplicates: Vec<ProfileError>,
    built: Result<Profile, Vec<ProfileError>>,
) -> Result<Profile, Vec<ProfileError>> {
    match built {
        Ok(p) if duplicates.is_empty() => Ok(p),
        Ok(_) => Err(duplicates),
        Err(more) => {
            duplicates.extend(more);
            Err(duplicates)
        }
    }
}

/// Loads `overlay` over `base`: objects merge key by key; the `services` and `platforms`
/// lists merge by `id`, `markets` by `country` and `rates.pairs` by `from`/`to` (a
/// matching entry is merged, a new one added); any other value replaces the base's.
/// Problems found in the overlay's values name the overlay's lines.
pub fn load_over(base: &str, overlay: &str) -> Result<Profile, Vec<ProfileError>> {
    let mut merged = parse(base)?;
    let top = parse(overlay)?;
    let mut moved = Vec::new();
    merge(&mut merged, top, "", "", &mut moved);
    // Longest prefixes first, so the innermost list item decides.
    moved.sort_by_key(|m| std::cmp::Reverse(m.merged.len()));
    let (base_lines, over_lines) = (Locator::new(base), Locator::new(overlay));
    let mut duplicates = over_lines.duplicate_errors("");
    duplicates.extend(base_lines.duplicate_errors(" in the base profile"));
    let built = build(merged, &|path| {
        let item = moved.iter().find(|m| {
            path.strip_prefix(m.merged.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        });
        match item {
            Some(m) => {
                let in_overlay = format!("{}{}", m.overlay, &path[m.merged.len()..]);
                if m.new {
                    over_lines.line(&in_overlay)
                } else {
                    over_lines.exact(&in_overlay).or_else(|| base_lines.line(path))
                }
            }
            None => over_lines.exact(path).or_else(|| base_lines.line(path)),
        }
    });
    with_duplicates(duplicates, built)
}

/// Where an overlay's list item landed in the merged document.
struct Moved {
    /// Its path in the merged document, e.g. `services[3]`.
    merged: String,
    /// Its path in the overlay, e.g. `services[0]`.
    overlay: String,
    /// Added (every value is the overlay's) rather than merged into a base item.
    new: bool,
}

fn parse(text: &str) -> Result<Value, Vec<ProfileError>> {
    serde_json::from_str(text).map_err(|e| {
        vec![ProfileError {
            path: ".".into(),
            line: Some(e.line()),
            message: format!("not valid JSON: {e}"),
        }]
    })
}

fn list_key(path: &str) -> Option<&'static [&'static str]> {
    match path {
        "services" | "platforms" => Some(&["id"]),
        "markets" => Some(&["country"]),
        "containers" => Some(&["name"]),
        "rates.pairs" => Some(&["from", "to"]),
        _ => None,
    }
}

/// Merges `over` into `base`. `path` is the schema path (list items as `[]`, for
/// [`list_key`]); `at` and `at_over` are the concrete paths in the merged document and in
/// the overlay, for line numbers.
fn merge(base: &mut Value, over: Value, path: &str, at_over: &str, moved: &mut Vec<Moved>) {
    let join = |p: &str, k: &str| if p.is_empty() { k.to_owned() } else { format!("{p}.{k}") };
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v, &join(path, &k), &join(at_over, &k), moved),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (Value::Array(b), Value::Array(o)) if list_key(path).is_some() => {
            let keys = list_key(path).unwrap_or(&[]);
            let key_of = |v: &Value| keys.iter().map(|k| v.get(*k).cloned()).collect::<Vec<_>>();
            for (i, item) in o.into_iter().enumerate() {
                let k = key_of(&item);
                let found = b.iter().position(|x| key_of(x) == k && k.iter().all(Option::is_some));
                let overlay = format!("{at_over}[{i}]");
                match found {
                    Some(j) => {
                        moved.push(Moved {
                            merged: format!("{path}[{j}]"),
                            overlay: overlay.clone(),
                            new: false,
                        });
                        merge(&mut b[j], item, &format!("{path}[]"), &overlay, moved);
                    }
                    None => {
                        moved.push(Moved {
                            merged: format!("{path}[{}]", b.len()),
                            overlay,
                            new: true,
                        });
                        b.push(item);
                    }
                }
            }
        }
        (slot, other) => *slot = other,
    }
}

fn build(value: Value, line: &dyn Fn(&str) -> Option<usize>) -> Result<Profile, Vec<ProfileError>> {
    let mut errors: Vec<(String, String)> = Vec::new();
    let Value::Object(mut top) = value else {
        return Err(vec![ProfileError {
            path: ".".into(),
            line: Some(1),
            message: "a profile is a JSON object".into(),
        }]);
    };
    fn take<T: for<'de> Deserialize<'de>>(
        top: &mut Map<String, Value>,
        key: &str,
        errors: &mut Vec<(String, String)>,
    ) -> Option<T> {
        let Some(v) = top.remove(key) else {
            errors.push((key.to_owned(), format!("missing `{key}`")));
            return None;
        };
        one(v, key, errors)
    }
    fn one<T: for<'de> Deserialize<'de>>(
        v: Value,
        path: &str,
        errors: &mut Vec<(String, String)>,
    ) -> Option<T> {
        serde_path_to_error::deserialize(v)
            .map_err(|e| {
                let inner = e.path().to_string();
                let full = if inner == "." { path.to_owned() } else { format!("{path}.{inner}") };
                errors.push((full.replace(".[", "["), e.into_inner().to_string()));
            })
            .ok()
    }
    fn each<T: for<'de> Deserialize<'de>>(
        top: &mut Map<String, Value>,
        key: &str,
        errors: &mut Vec<(String, String)>,
    ) -> Vec<T> {
        match top.remove(key) {
            Some(Value::Array(items)) => items
                .into_iter()
                .enumerate()
                .filter_map(|(i, v)| one(v, &format!("{key}[{i}]"), errors))
                .collect(),
            Some(_) => {
                errors.push((key.to_owned(), format!("`{key}` must be a list")));
                Vec::new()
            }
            None => {
                errors.push((key.to_owned(), format!("missing `{key}`")));
                Vec::new()
            }
        }
    }
    let version: Option<u32> = take(&mut top, "version", &mut errors);
    let name: Option<String> = take(&mut top, "name", &mut errors);
    let seller: Option<Currency> = take(&mut top, "seller_currency", &mut errors);
    let rates: Option<RateTable> = take(&mut top, "rates", &mut errors);
    let services: Vec<Service> = each(&mut top, "services", &mut errors);
    let platforms: Vec<Platform> = each(&mut top, "platforms", &mut errors);
    let markets: Vec<Market> = each(&mut top, "markets", &mut errors);
    let containers: Vec<crate::b2b::freight::Container> = match top.remove("containers") {
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .filter_map(|(i, v)| one(v, &format!("containers[{i}]"), &mut errors))
            .collect(),
        Some(_) => {
            errors.push(("containers".into(), "`containers` must be a list".into()));
            Vec::new()
        }
        None => Vec::new(),
    };
    let mut names = BTreeSet::new();
    for (i, c) in containers.iter().enumerate() {
        let at = |f: &str| format!("containers[{i}].{f}");
        if c.name.trim().is_empty() {
            errors.push((at("name"), "a container type needs a name".into()));
        } else if !names.insert(c.name.to_ascii_uppercase()) {
            errors.push((at("name"), format!("{} is listed twice", c.name)));
        }
        for (k, v) in c.inside_cm.iter().enumerate() {
            if *v <= Decimal::ZERO {
                errors.push((
                    at(&format!("inside_cm[{k}]")),
                    format!("must be greater than zero (got {v})"),
                ));
            }
        }
        if c.usable_cbm <= Decimal::ZERO {
            errors.push((
                at("usable_cbm"),
                format!("must be greater than zero (got {})", c.usable_cbm),
            ));
        }
        if c.max_payload_kg <= Decimal::ZERO {
            errors.push((
                at("max_payload_kg"),
                format!("must be greater than zero (got {})", c.max_payload_kg),
            ));
        }
    }
    let seller_details: Option<SellerDetails> = match top.remove("seller") {
        Some(v) => one(v, "seller", &mut errors),
        None => None,
    };
    let replies: BTreeMap<String, BTreeMap<String, String>> = match top.remove("replies") {
        Some(v) => one(v, "replies", &mut errors).unwrap_or_default(),
        None => BTreeMap::new(),
    };
    match crate::reply::Templates::built_in().and_then(|t| t.with_overrides(&replies)) {
        Ok(_) => {}
        Err(list) => errors.extend(list.into_iter().map(|e| {
            let path = if e.template.is_empty() {
                format!("replies.{}", e.language)
            } else {
                format!("replies.{}.{}", e.language, e.template)
            };
            (path, e.message)
        })),
    }
    for k in top.keys() {
        errors.push((k.clone(), format!("unknown key `{k}`")));
    }
    if let Some(v) = version {
        if v != PROFILE_VERSION {
            errors.push((
                "version".into(),
                format!("version {v} is not supported (this build reads {PROFILE_VERSION})"),
            ));
        }
    }
    if let Some(r) = &rates {
        errors.extend(r.validate("rates.").into_iter().map(|e| (e.field, e.problem.to_string())));
    }
    let mut ids = BTreeSet::new();
    for (i, s) in services.iter().enumerate() {
        errors.extend(
            s.validate(&format!("services[{i}]"))
                .into_iter()
                .map(|e| (e.field, e.problem.to_string())),
        );
        if !ids.insert(s.id.clone()) {
            errors.push((format!("services[{i}].id"), format!("`{}` is used twice", s.id)));
        }
    }
    let mut ids = BTreeSet::new();
    for (i, p) in platforms.iter().enumerate() {
        if !ids.insert(p.id.clone()) {
            errors.push((format!("platforms[{i}].id"), format!("`{}` is used twice", p.id)));
        }
        if let (Some(rates), Some(seller)) = (&rates, seller) {
            errors.extend(
                check_platform(p, seller, rates)
                    .into_iter()
                    .map(|(f, m)| (format!("platforms[{i}].{f}"), m)),
            );
        }
    }
    let mut countries = BTreeSet::new();
    for (i, m) in markets.iter().enumerate() {
        errors.extend(
            m.validate(&format!("markets[{i}]"))
                .into_iter()
                .map(|e| (e.field, e.problem.to_string())),
        );
        if !countries.insert(m.country.to_ascii_uppercase()) {
            errors
                .push((format!("markets[{i}].country"), format!("{} is listed twice", m.country)));
        }
        if let (Some(rates), Some(seller)) = (&rates, seller) {
            if let Err(e) = rates.exact_rate(m.currency, seller, RateSide::Mid) {
                errors.push((format!("markets[{i}].currency"), e.to_string()));
            }
            if let crate::market::VatRule::CollectAtSale { threshold, .. } = &m.vat {
                if let Err(e) = rates.exact_rate(m.currency, threshold.currency, RateSide::Mid) {
                    errors.push((format!("markets[{i}].vat.threshold.currency"), e.to_string()));
                }
            }
        }
    }
    match (version, name, seller, rates, errors.is_empty()) {
        (Some(version), Some(name), Some(seller_currency), Some(rates), true) => Ok(Profile {
            version,
            name,
            seller_currency,
            rates,
            services,
            platforms,
            markets,
            replies,
            seller: seller_details,
            containers,
        }),
        _ => Err(errors
            .into_iter()
            .map(|(path, message)| ProfileError { line: line(&path), path, message })
            .collect()),
    }
}

/// A platform's fees must make a quote: the B2C engine's own checks, under the platform's path.
fn check_platform(p: &Platform, seller: Currency, rates: &RateTable) -> Vec<(String, String)> {
    let req = B2cRequest {
        seller_currency: seller,
        quote_currency: seller,
        quantity: 1,
        costs: UnitCosts { purchase: Decimal::ONE, ..UnitCosts::default() },
        shipping: None,
        fees: p.fees.clone(),
        fixed_fees: p.fixed_fees.clone(),
        profit: ProfitTarget { basis: ProfitBasis::Margin, percent: Percent::ZERO },
        fx: Default::default(),
        promotion: None,
        coupons: Vec::new(),
        price_rounding: Default::default(),
    };
    match b2c::quote(&req, rates) {
        Ok(_) => Vec::new(),
        Err(QuoteError::Invalid(errors)) => {
            errors.0.into_iter().map(|e| (e.field, e.problem.to_string())).collect()
        }
        Err(e) => vec![("fees".into(), e.to_string())],
    }
}

/// Where each value of a JSON document starts: path -> line; and the keys an object gives
/// twice.
struct Locator {
    lines: HashMap<String, usize>,
    duplicates: Vec<Duplicate>,
}

/// A key given twice in one object: `serde_json` keeps the last without a word, so the
/// profile would silently not be what its first entry says.
struct Duplicate {
    /// The value's path, e.g. `services[0].zones.EU`.
    path: String,
    /// The line of the first and of this entry.
    first: usize,
    again: usize,
}

impl Locator {
    fn new(text: &str) -> Locator {
        let mut s = Scanner {
            b: text.as_bytes(),
            i: 0,
            line: 1,
            out: HashMap::new(),
            duplicates: Vec::new(),
        };
        s.value(String::new());
        Locator { lines: s.out, duplicates: s.duplicates }
    }

    /// Each duplicate key as a problem; `whose` names the document when there are two.
    fn duplicate_errors(&self, whose: &str) -> Vec<ProfileError> {
        self.duplicates
            .iter()
            .map(|d| ProfileError {
                path: d.path.clone(),
                line: Some(d.again),
                message: format!(
                    "given twice{whose}, on line {} and line {}: keep one",
                    d.first, d.again
                ),
            })
            .collect()
    }

    /// The line of `path`, or of its nearest enclosing value.
    fn line(&self, path: &str) -> Option<usize> {
        let mut p = path;
        loop {
            if let Some(l) = self.lines.get(p) {
                return Some(*l);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// The line of exactly `path`.
    fn exact(&self, path: &str) -> Option<usize> {
        self.lines.get(path).copied()
    }
}

/// A tolerant JSON walker that records the line where each value starts. Only run on
/// text that `serde_json` has already accepted.
struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
    out: HashMap<String, usize>,
    duplicates: Vec<Duplicate>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        if c == b'\n' {
            self.line = self.line.saturating_add(1);
        }
        self.i = self.i.saturating_add(1);
        Some(c)
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.bump();
        }
    }
    fn string(&mut self) -> String {
        let start = self.i;
        let mut out = Vec::new();
        self.bump(); // opening quote
        while let Some(c) = self.bump() {
            match c {
                b'"' => break,
                b'\\' => {
                    if let Some(e) = self.bump() {
                        out.push(e);
                    }
                }
                _ => out.push(c),
            }
        }
        // A string with escapes is decoded as JSON decodes it (`"\u0061"` is `"a"`), so
        // that keys compare as serde_json sees them.
        if out.len().saturating_add(2) != self.i.saturating_sub(start) {
            if let Some(s) =
                self.b.get(start..self.i).and_then(|raw| serde_json::from_slice(raw).ok())
            {
                return s;
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    fn value(&mut self, path: String) {
        self.ws();
        self.out.insert(path.clone(), self.line);
        match self.peek() {
            Some(b'{') => {
                self.bump();
                let mut keys: HashMap<String, usize> = HashMap::new();
                loop {
                    self.ws();
                    match self.peek() {
                        Some(b'}') | None => {
                            self.bump();
                            break;
                        }
                        Some(b',') => {
                            self.bump();
                        }
                        Some(b'"') => {
                            let line = self.line;
                            let key = self.string();
                            self.ws();
                            self.bump(); // colon
                            let child =
                                if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                            match keys.get(&key) {
                                Some(&first) => self.duplicates.push(Duplicate {
                                    path: child.clone(),
                                    first,
                                    again: line,
                                }),
                                None => {
                                    keys.insert(key, line);
                                }
                            }
                            self.value(child);
                        }
                        Some(_) => {
                            self.bump();
                        }
                    }
                }
            }
            Some(b'[') => {
                self.bump();
                let mut n = 0usize;
                loop {
                    self.ws();
                    match self.peek() {
                        Some(b']') | None => {
                            self.bump();
                            break;
                        }
                        Some(b',') => {
                            self.bump();
                        }
                        Some(_) => {
                            self.value(format!("{path}[{n}]"));
                            n = n.saturating_add(1);
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            _ => {
                while matches!(self.peek(), Some(c) if !matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'))
                {
                    self.bump();
                }
            }
        }
    }
}
