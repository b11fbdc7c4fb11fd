//! The built-in defaults compiled into the core, so every front end works offline from
//! the first start. They are samples, labelled as such with an as-of date.

use crate::fx::RateTable;
use crate::profile::{self, Profile, ProfileError};

/// The embedded default seller profile (JSON, format [`profile::PROFILE_VERSION`]).
pub const DEFAULT_PROFILE_JSON: &str = include_str!("../data/default_profile.json");

/// The embedded default seller profile, loaded and checked.
pub fn default_profile() -> Result<Profile, Vec<ProfileError>> {
    profile::load(DEFAULT_PROFILE_JSON)
}

/// The default profile's exchange-rate table.
pub fn default_rates() -> Result<RateTable, Vec<ProfileError>> {
    default_profile().map(|p| p.rates)
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_profile_loads_with_everything_the_issue_names() {
        let p = super::default_profile().unwrap();
        assert_eq!(p.seller_currency.code(), "CNY");
        assert!(p.rates.source.as_deref().unwrap_or("").contains("sample"));
        assert!(p.services.len() >= 5);
        assert!(p.services.iter().all(|s| s
            .note
            .as_deref()
            .is_some_and(|n| n.contains("sample") && n.contains("2026-11-20"))));
        for id in ["aliexpress", "amazon", "shopee", "ebay"] {
            assert!(p.platform(id).is_some(), "{id}");
        }
        for c in [
            "US", "RU", "BR", "ES", "FR", "GB", "CA", "IN", "ID", "DE", "IT", "NL", "PL", "MX",
            "JP", "KR", "AU", "SA", "AE",
        ] {
            assert!(p.market(c).is_some(), "{c}");
        }
    }
}
