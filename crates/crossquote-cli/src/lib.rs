//! The server side of crossquote as a library: the streamed price-sheet runner
//! ([`sheet`]) and the HTTP JSON API ([`serve`]). The `crossquote` binary is a thin
//! command line over these and the core; the fuzz targets drive them directly.

pub mod serve;
pub mod sheet;
