//! Any text as a whole profile and as an overlay on the built-in one: an error list or a
//! profile, never a panic; a loaded profile gives its reply templates without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(p) = crossquote::profile::load(text) {
        let _ = p.templates();
    }
    if let Ok(p) = crossquote::profile::load_over(crossquote::defaults::DEFAULT_PROFILE_JSON, text) {
        let _ = p.templates();
    }
});
