//! Typed errors. Each says what went wrong and where: the field path, or the position in
//! the text that was parsed.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::currency::Currency;

/// A currency code that is not an active ISO 4217 code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown currency code `{code}` (expected an active ISO 4217 code such as USD)")]
pub struct UnknownCurrency {
    /// The code as given.
    pub code: String,
}

/// A step of a computation whose result does not fit a decimal (about 28 significant digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[error("arithmetic overflow while computing {what}")]
pub struct Overflow {
    /// The step, e.g. "sale price".
    pub what: &'static str,
}

/// One problem with one input field. `field` is a path into the request, such as
/// `fees[1].rule.percent`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct FieldError {
    /// Where: the path of the field in the request.
    pub field: String,
    /// What is wrong with it.
    pub problem: Problem,
}

impl FieldError {
    pub(crate) fn new(field: impl Into<String>, problem: Problem) -> FieldError {
        FieldError { field: field.into(), problem }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Problem {
    /// An amount, weight or percentage below zero.
    Negative {
        /// The value given.
        value: Decimal,
    },
    /// Zero where only a positive value makes sense (a quantity, an exchange rate, a step).
    NotPositive {
        /// The value given.
        value: Decimal,
    },
    /// A percentage of 100 or more where it is taken off a price (a discount, a coupon).
    PercentTooLarge {
        /// The value given, in percent.
        value: Decimal,
    },
    /// Percentage fees and the profit margin together take 100% or more of the price, so
    /// no price can cover the costs.
    FeesTakeWholePrice {
        /// Sum of the percentage fees, in percent.
        fees: Decimal,
        /// Profit margin, in percent.
        margin: Decimal,
    },
    /// An amount in a currency the request cannot use here.
    WrongCurrency {
        /// The currency the field must be in.
        expected: Currency,
        /// The currency given.
        found: Currency,
    },
    /// No exchange rate between the two currencies in the rate table.
    MissingRate {
        /// Converting from.
        from: Currency,
        /// Converting to.
        to: Currency,
    },
    /// Anything else, said in words.
    Invalid {
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Negative { value } => write!(f, "must not be negative (got {value})"),
            Problem::NotPositive { value } => write!(f, "must be greater than zero (got {value})"),
            Problem::PercentTooLarge { value } => {
                write!(f, "must be less than 100% (got {value}%)")
            }
            Problem::FeesTakeWholePrice { fees, margin } => write!(
                f,
                "fees and margin take the whole price: fees {fees}% + margin {margin}% >= 100%"
            ),
            Problem::WrongCurrency { expected, found } => {
                write!(f, "must be in {expected} (got {found})")
            }
            Problem::MissingRate { from, to } => {
                write!(f, "no exchange rate from {from} to {to} in the rate table")
            }
            Problem::Invalid { message } => f.write_str(message),
        }
    }
}

/// Several field problems, reported together.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct FieldErrors(pub Vec<FieldError>);

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&describe_all(&self.0))
    }
}

/// "N problems in the input" and one line per problem.
pub fn describe_all(problems: &[FieldError]) -> String {
    let n = problems.len();
    let mut s = format!("{n} problem{} in the input", if n == 1 { "" } else { "s" });
    for e in problems {
        s.push_str(&format!("\n  - {e}"));
    }
    s
}

/// A JSON document that does not parse into the expected type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[error("{path}: {message} (line {line}, column {column})")]
pub struct InputError {
    /// Path of the field, e.g. `costs.purchase`; `.` for the document itself.
    pub path: String,
    /// Line of the document, from 1.
    pub line: usize,
    /// Column of the line, from 1.
    pub column: usize,
    /// What was wrong.
    pub message: String,
}

/// Parses a JSON document into `T`, naming the field and position of the first problem.
pub fn from_json<'de, T: serde::Deserialize<'de>>(text: &'de str) -> Result<T, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let error = |e: serde_json::Error, path: String| InputError {
        path,
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    };
    let value = T::deserialize(&mut de).map_err(|e| {
        let path = error_path(text, &e);
        error(e, path)
    })?;
    de.end().map_err(|e| error(e, ".".to_owned()))?;
    Ok(value)
}

/// The path of the value `e` is about, from its position in `text`.
///
/// serde's own messages about fields say which object they mean: a missing field is the
/// fault of the object that lacks it, and serde_json stops on its closing brace, just past
/// its last value; an unknown or duplicate field is named in the message, and a type that
/// reads its object whole first (an internally tagged enum) reports it at the closing
/// brace too. Those take the object holding the position, and the field's name.
fn error_path(text: &str, e: &serde_json::Error) -> String {
    let message = e.to_string();
    let field = |prefix: &str| Some(message.strip_prefix(prefix)?.split('`').nth(1)?.to_owned());
    let named = field("unknown field ").or_else(|| field("duplicate field "));
    let inside = named.is_some() || message.starts_with("missing field ");
    let path = path_at(text, e.line(), e.column(), inside);
    match named {
        Some(f) if path == f || path.ends_with(&format!(".{f}")) => path,
        Some(f) if path == "." => f,
        Some(f) => format!("{path}.{f}"),
        None => path,
    }
}

/// The path (`fees[2].rule.percent`; `.` for the document) of the innermost value whose
/// text holds the byte serde_json stopped at: line `line` (from 1), column `column` (the
/// byte at `column - 1` on that line, from 0). A key belongs to its value, so an unknown
/// field or variant is named by its own path. The byte just past a value counts as the
/// value's (serde_json names the byte after a value it refuses, having peeked at it),
/// unless `inside`: then only a value whose own text holds the byte (an object that lacks
/// a field, named by its closing brace). Tolerant of broken JSON: it is run on the text
/// serde_json refused.
///
/// The path is found from the position only when there is an error, so a document that
/// parses pays nothing for it (a path-tracking deserializer wraps every value).
pub(crate) fn path_at(text: &str, line: usize, column: usize, inside: bool) -> String {
    let b = text.as_bytes();
    let line_start = if line <= 1 {
        0
    } else {
        b.iter()
            .enumerate()
            .filter(|(_, c)| **c == b'\n')
            .nth(line.saturating_sub(2))
            .map_or(b.len(), |(i, _)| i.saturating_add(1))
    };
    let at = line_start.saturating_add(column).saturating_sub(1);
    let mut walk = PathWalk { b, i: 0, at, inside, depth: 0, found: None };
    walk.value(String::new(), None);
    match walk.found {
        Some(p) if !p.is_empty() => p,
        _ => ".".to_owned(),
    }
}

/// The walk behind [`path_at`]: values in document order, each checked after its children
/// so that the innermost one holding `at` is found first.
struct PathWalk<'a> {
    b: &'a [u8],
    i: usize,
    at: usize,
    inside: bool,
    depth: usize,
    found: Option<String>,
}

impl PathWalk<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn bump(&mut self) {
        self.i = self.i.saturating_add(1);
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.bump();
        }
    }

    /// A string from its opening quote; its text, escapes taken literally.
    fn string(&mut self) -> String {
        let start = self.i.saturating_add(1);
        self.bump();
        while let Some(c) = self.peek() {
            self.bump();
            match c {
                b'"' => break,
                b'\\' => self.bump(),
                _ => {}
            }
        }
        let end = self.i.saturating_sub(1).max(start);
        String::from_utf8_lossy(self.b.get(start..end).unwrap_or_default()).into_owned()
    }

    /// The value at the cursor, at `path`; `from` is where its key began, if it has one.
    fn value(&mut self, path: String, from: Option<usize>) {
        // serde_json refuses nesting deeper than 128; the walk names the value there
        // rather than recurse through whatever depth the text has.
        if self.depth >= 128 {
            self.found = Some(path);
            return;
        }
        self.depth = self.depth.saturating_add(1);
        self.ws();
        let start = from.unwrap_or(self.i);
        match self.peek() {
            Some(b'{') => {
                self.bump();
                while self.found.is_none() {
                    self.ws();
                    match self.peek() {
                        None => break,
                        Some(b'}') => {
                            self.bump();
                            break;
                        }
                        Some(b'"') => {
                            let key_at = self.i;
                            let key = self.string();
                            self.ws();
                            if self.peek() == Some(b':') {
                                self.bump();
                            }
                            let child = if path.is_empty() { key } else { format!("{path}.{key}") };
                            self.value(child, Some(key_at));
                        }
                        Some(_) => self.bump(),
                    }
                }
            }
            Some(b'[') => {
                self.bump();
                let mut n = 0usize;
                while self.found.is_none() {
                    self.ws();
                    match self.peek() {
                        None => break,
                        Some(b']') => {
                            self.bump();
                            break;
                        }
                        Some(b',') => self.bump(),
                        Some(_) => {
                            let before = self.i;
                            self.value(format!("{path}[{n}]"), None);
                            n = n.saturating_add(1);
                            if self.i == before {
                                self.bump(); // a stray `:`
                            }
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            _ => {
                while matches!(self.peek(), Some(c) if !b",}]: \t\r\n".contains(&c)) {
                    self.bump();
                }
            }
        }
        let end = if self.inside { self.i } else { self.i.saturating_add(1) };
        if self.found.is_none() && (start..end).contains(&self.at) {
            self.found = Some(path);
        }
        self.depth = self.depth.saturating_sub(1);
    }
}

/// serde_json appends " at line L column C" to its messages; the position has its own fields.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use crate::b2c::B2cRequest;
    use crate::reply::ReplyRequest;

    const REQUEST: &str = include_str!("../../../tests/bench/b2c_request.json");

    fn path_of<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        let e = super::from_json::<T>(text).unwrap_err();
        format!("{} (line {})", e.path, e.line)
    }

    #[test]
    fn an_error_names_the_value_at_fault() {
        let edit = |from: &str, to: &str| {
            assert!(REQUEST.contains(from), "{from}");
            REQUEST.replacen(from, to, 1)
        };
        for (text, path) in [
            (edit(r#""36.00""#, r#""36.0x""#), "costs.purchase (line 3)"),
            (edit(r#""36.00""#, "36.5"), "costs.purchase (line 3)"),
            (edit(r#""kind": "commission""#, r#""kind": "comission""#), "fees[0].kind (line 6)"),
            (edit(r#"{"name": "Payment""#, r#"{"nme": "Payment""#), "fees[2].nme (line 8)"),
            (edit(r#""profit""#, r#""proft""#), "proft (line 11)"),
            // The last value before a closing brace, refused.
            (edit(r#""USD"}"#, r#""USX"}"#), "fixed_fees[0].amount.currency (line 10)"),
            // An object without a field, found on its closing brace.
            (edit(r#""name": "Fixed", "#, ""), "fixed_fees[0] (line 10)"),
            (edit(r#""1.20""#, r#""1.20", "packaging": "1""#), "costs.packaging (line 3)"),
            (edit(r#""step": "1""#, r#""step": [1]"#), "price_rounding.step (line 12)"),
            (format!("{REQUEST} x"), ". (line 14)"),
            ("[]".to_owned(), ". (line 1)"),
        ] {
            assert_eq!(path_of::<B2cRequest>(&text), path, "{text}");
        }
        // An internally tagged enum reads its object whole, then reports at its end.
        let reply = r#"{"scenario":{"kind":"lots","lot_prise":"1","lot_size":10},
            "country":"US","buyer":{"name":"A"}}"#;
        assert_eq!(path_of::<ReplyRequest>(reply), "scenario.lot_prise (line 1)");
        let missing =
            r#"{"scenario":{"kind":"lots","lot_size":10},"country":"US","buyer":{"name":"A"}}"#;
        assert_eq!(path_of::<ReplyRequest>(missing), "scenario (line 1)");
    }

    #[test]
    fn broken_text_still_gets_a_path() {
        for text in ["", "{", r#"{"a": [1, :, {"b": "#, r#"{"costs": {"purchase": "1"#, "]]]}}}"] {
            let e = super::from_json::<B2cRequest>(text).unwrap_err();
            assert!(!e.path.is_empty(), "{text}: {e}");
        }
        assert_eq!(super::path_at(r#"{"a": [1, :, {"b": "#, 1, 20, false), "a[2].b");
        // Nesting past serde_json's limit: named at the limit, not followed down.
        let deep = "[".repeat(200_000);
        let e = super::from_json::<B2cRequest>(&deep).unwrap_err();
        assert_eq!(e.path.matches("[0]").count(), 128, "{}", e.message);
    }
}
