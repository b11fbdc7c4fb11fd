//! A quote request of either kind, as `crossquote quote` and `POST /v1/quote` take it: a
//! B2B request names its Incoterm (`term`), a B2C request does not.

use crossquote::b2b::B2bRequest;
use crossquote::b2c::B2cRequest;
use crossquote::error::InputError;

/// A decoded quote request.
#[derive(Debug, Clone)]
pub enum QuoteRequest {
    /// Retail: one price with its breakdown.
    B2c(Box<B2cRequest>),
    /// Wholesale: a quantity, an Incoterm and the tier table.
    B2b(Box<B2bRequest>),
}

impl QuoteRequest {
    /// Decodes `text` as the kind it names; errors carry the field, line and column.
    pub fn from_json(text: &str) -> Result<QuoteRequest, InputError> {
        let probe: serde_json::Value = crossquote::from_json(text)?;
        Ok(if probe.get("term").is_some() {
            QuoteRequest::B2b(crossquote::from_json(text)?)
        } else {
            QuoteRequest::B2c(crossquote::from_json(text)?)
        })
    }
}
