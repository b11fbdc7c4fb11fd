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
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        InputError {
            path,
            line: inner.line(),
            column: inner.column(),
            message: strip_position(&inner.to_string()),
        }
    })?;
    de.end().map_err(|e| InputError {
        path: ".".to_owned(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    Ok(value)
}

/// serde_json appends " at line L column C" to its messages; the position has its own fields.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}
