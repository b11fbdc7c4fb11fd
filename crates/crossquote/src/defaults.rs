//! The built-in defaults compiled into the core, so every front end works offline from
//! the first start. They are samples, labelled as such with an as-of date.

use crate::error::{from_json, InputError};
use crate::fx::RateTable;

/// The embedded sample exchange-rate table (base CNY).
pub const DEFAULT_RATES_JSON: &str = include_str!("../data/default_rates.json");

/// The embedded sample exchange-rate table, parsed.
pub fn default_rates() -> Result<RateTable, InputError> {
    from_json(DEFAULT_RATES_JSON)
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_rates_load_and_validate() {
        let t = super::default_rates().unwrap();
        assert!(t.validate("").is_empty(), "{:?}", t.validate(""));
        assert!(t.source.as_deref().unwrap_or("").contains("sample"));
        assert!(t.pairs.len() >= 10);
    }
}
