//! A quote document of any kind, as `crossquote quote` and `POST /v1/quote` take it: a
//! retail order lists `items`, a wholesale order lists `lines`, a single B2B request
//! names its Incoterm (`term`), and anything else is a single B2C request. Both front ends
//! decode and quote through here, so they answer alike.

use crossquote::b2b::B2bRequest;
use crossquote::b2c::B2cRequest;
use crossquote::error::InputError;
use crossquote::order::{RetailOrder, WholesaleOrder};
use crossquote::profile::Profile;
use crossquote::FieldError;

/// A decoded quote request.
#[derive(Debug, Clone)]
pub enum QuoteRequest {
    /// Retail: one price with its breakdown.
    B2c(Box<B2cRequest>),
    /// Wholesale: a quantity, an Incoterm and the tier table.
    B2b(Box<B2bRequest>),
    /// A retail basket: several items shipped together.
    Retail(Box<RetailOrder>),
    /// A wholesale order: several product lines in one shipment.
    Wholesale(Box<WholesaleOrder>),
}

impl QuoteRequest {
    /// Decodes `text` as the kind it names; errors carry the field, line and column.
    pub fn from_json(text: &str) -> Result<QuoteRequest, InputError> {
        let probe: serde_json::Value = crossquote::from_json(text)?;
        Ok(if probe.get("items").is_some() {
            QuoteRequest::Retail(crossquote::from_json(text)?)
        } else if probe.get("lines").is_some() {
            QuoteRequest::Wholesale(crossquote::from_json(text)?)
        } else if probe.get("term").is_some() {
            QuoteRequest::B2b(crossquote::from_json(text)?)
        } else {
            QuoteRequest::B2c(crossquote::from_json(text)?)
        })
    }
}

/// A quote of any kind.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum Quoted {
    /// A single B2C quote.
    B2c(Box<crossquote::b2c::B2cQuote>),
    /// A single B2B quote.
    B2b(Box<crossquote::b2b::B2bQuote>),
    /// A retail order's quotation.
    Retail(Box<crossquote::order::RetailQuote>),
    /// A wholesale order's quotation.
    Wholesale(Box<crossquote::order::WholesaleQuote>),
}

/// Why a document could not be quoted.
#[derive(Debug, Clone)]
pub enum Failure {
    /// Bad values, every problem by field.
    Invalid {
        /// The engine's sentence.
        message: String,
        /// The problems.
        problems: Vec<FieldError>,
    },
    /// The request is well formed but has no answer: `no_price` (no consistent price) or
    /// `overflow`.
    Unanswerable {
        /// `no_price` or `overflow`.
        kind: &'static str,
        /// The engine's sentence.
        message: String,
    },
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Invalid { message, .. } | Failure::Unanswerable { message, .. } => {
                f.write_str(message)
            }
        }
    }
}

impl std::error::Error for Failure {}

impl From<crossquote::b2c::QuoteError> for Failure {
    fn from(e: crossquote::b2c::QuoteError) -> Failure {
        use crossquote::b2c::QuoteError;
        match e {
            QuoteError::Invalid(list) => {
                Failure::Invalid { message: list.to_string(), problems: list.0 }
            }
            e @ QuoteError::NoConsistentPrice { .. } => {
                Failure::Unanswerable { kind: "no_price", message: e.to_string() }
            }
            e => Failure::Unanswerable { kind: "overflow", message: e.to_string() },
        }
    }
}

impl From<crossquote::b2b::B2bError> for Failure {
    fn from(e: crossquote::b2b::B2bError) -> Failure {
        match e {
            crossquote::b2b::B2bError::Invalid(list) => {
                Failure::Invalid { message: list.to_string(), problems: list.0 }
            }
            e => Failure::Unanswerable { kind: "overflow", message: e.to_string() },
        }
    }
}

impl From<crossquote::order::OrderError> for Failure {
    fn from(e: crossquote::order::OrderError) -> Failure {
        use crossquote::order::OrderError;
        match e {
            OrderError::Invalid(list) => {
                Failure::Invalid { message: list.to_string(), problems: list.0 }
            }
            e @ OrderError::NoPrice { .. } => {
                Failure::Unanswerable { kind: "no_price", message: e.to_string() }
            }
            e => Failure::Unanswerable { kind: "overflow", message: e.to_string() },
        }
    }
}

/// Quotes a decoded request: single quotes on the profile's rates, orders on the whole
/// profile (its services, platforms and markets).
pub fn quote(req: &QuoteRequest, profile: &Profile) -> Result<Quoted, Failure> {
    let rates = &profile.rates;
    Ok(match req {
        QuoteRequest::B2c(r) => Quoted::B2c(Box::new(crossquote::b2c::quote(r, rates)?)),
        QuoteRequest::B2b(r) => Quoted::B2b(Box::new(crossquote::b2b::quote(r, rates)?)),
        QuoteRequest::Retail(o) => {
            Quoted::Retail(Box::new(crossquote::order::retail::quote(o, profile)?))
        }
        QuoteRequest::Wholesale(o) => {
            Quoted::Wholesale(Box::new(crossquote::order::wholesale::quote(o, profile)?))
        }
    })
}

/// What `crossquote reply` and `POST /v1/reply` take: a reply request with its scenario
/// and country, or a reply from an order (`{"order": …, "ask": …}`: the order's numbers
/// and country, each concession judged on the order as it ships).
pub enum ReplyDoc {
    /// A scenario with its numbers.
    Scenario(Box<crossquote::reply::ReplyRequest>),
    /// A reply from an order.
    Order(Box<crossquote::order::reply::OrderReplyRequest>),
}

impl ReplyDoc {
    /// Decodes by key: an `order` makes a reply from an order.
    pub fn from_json(text: &str) -> Result<ReplyDoc, InputError> {
        let probe: serde_json::Value = crossquote::from_json(text)?;
        Ok(if probe.get("order").is_some() {
            ReplyDoc::Order(Box::new(crossquote::from_json(text)?))
        } else {
            ReplyDoc::Scenario(Box::new(crossquote::from_json(text)?))
        })
    }

    /// The reply request to write on `profile`.
    pub fn request(
        self,
        profile: &crossquote::profile::Profile,
    ) -> Result<crossquote::reply::ReplyRequest, Failure> {
        match self {
            ReplyDoc::Scenario(r) => Ok(*r),
            ReplyDoc::Order(o) => Ok(o.request(profile)?.0),
        }
    }
}

impl From<crossquote::document::DocumentError> for Failure {
    fn from(e: crossquote::document::DocumentError) -> Failure {
        use crossquote::document::DocumentError;
        match e {
            DocumentError::Fields(list) => {
                Failure::Invalid { message: list.to_string(), problems: list.0 }
            }
            e @ DocumentError::Text(_) => {
                Failure::Unanswerable { kind: "texts", message: e.to_string() }
            }
        }
    }
}

/// A proforma invoice as `crossquote proforma --json` and `POST /v1/proforma` answer: the
/// document, and under `text` its plain-text rendering.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct ProformaAnswer {
    /// Every word and number of the document.
    #[serde(flatten)]
    pub document: crossquote::document::ProformaDocument,
    /// The document as plain text (aligned columns).
    pub text: String,
}

/// The proforma invoice of a wholesale order, in the buyer's document language
/// (`buyer.document_language`): the order quoted on `profile`, worded by `templates` (the
/// profile's).
pub fn proforma(
    order: &WholesaleOrder,
    profile: &Profile,
    templates: &crossquote::reply::Templates,
) -> Result<ProformaAnswer, Failure> {
    let quote = crossquote::order::wholesale::quote(order, profile)?;
    let document = crossquote::document::proforma(&quote, templates)?;
    let text = document.plain_text();
    Ok(ProformaAnswer { document, text })
}
