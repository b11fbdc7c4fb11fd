//! crossquote: exact pricing and quotation for cross-border e-commerce.
//!
//! The core is pure: no files, network, clock or printing. Rate tables, fee schedules and
//! the quote date come in as arguments, so the same code runs in the browser (wasm), the
//! command line and a server. Money is [`rust_decimal::Decimal`] with checked arithmetic;
//! every rounding is named ([`Rounding`]) and happens at documented points.
//!
//! Entry points: [`b2c::quote`] and its reverse functions in [`b2c`]; exchange rates in
//! [`fx`]; the ECB reference-rate importer [`fx::ecb`].

pub mod b2b;
pub mod b2c;
pub mod breakdown;
pub mod cases;
mod check;
pub mod currency;
mod currency_table;
pub mod date;
pub mod defaults;
pub mod document;
pub mod error;
pub mod fx;
pub mod grid;
pub mod input;
pub mod logistics;
pub mod market;
pub mod money;
pub mod order;
pub mod percent;
pub mod profile;
pub mod reply;
pub mod serde_dec;
pub mod sheet;

pub use currency::Currency;
pub use date::Date;
pub use error::{from_json, FieldError, InputError, Overflow, Problem};
pub use money::{Money, Rounding};
pub use percent::Percent;
pub use rust_decimal::Decimal;
