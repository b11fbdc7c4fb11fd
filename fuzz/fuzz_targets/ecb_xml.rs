//! Any text as an ECB reference-rate file: rate tables or an error, never a panic; every
//! table it accepts passes the rate table's own checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(tables) = crossquote::fx::ecb::parse(text) {
        for t in &tables {
            assert!(t.validate("").is_empty(), "accepted a table its own checks refuse: {t:?}");
        }
    }
});
