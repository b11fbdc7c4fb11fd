//! Any text as a reply request, written with the built-in templates and profile: a reply
//! or a typed error, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn world() -> &'static (crossquote::profile::Profile, crossquote::reply::Templates) {
    static W: OnceLock<(crossquote::profile::Profile, crossquote::reply::Templates)> =
        OnceLock::new();
    W.get_or_init(|| {
        let p = crossquote::defaults::default_profile().unwrap();
        let t = p.templates().unwrap();
        (p, t)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(req) = crossquote::from_json::<crossquote::reply::ReplyRequest>(text) else { return };
    let (profile, templates) = world();
    let _ = crossquote::reply::write(&req, templates, profile);
});
