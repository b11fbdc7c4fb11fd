//! The server side of crossquote as a library: the streamed price-sheet runner
//! ([`sheet`]), the HTTP JSON API ([`serve`]), the quote request of either kind both take
//! ([`request`]) and the JSON Schemas of its documents ([`schema`]). The `crossquote`
//! binary is a thin command line over these and the core; the fuzz targets drive them
//! directly.

pub mod request;
pub mod schema;
pub mod serve;
pub mod sheet;
