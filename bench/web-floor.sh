#!/usr/bin/env bash
# How small the browser bundle could be: builds three wasm modules with no interface at
# all, each calling only part of the core, the way scripts/build-web.sh builds the app
# (opt-level z, LTO, one codegen unit, panic abort, wasm-bindgen, wasm-opt -Oz), and
# prints each one's gzipped size in KB of 1024 bytes, as bench/web-budgets.sh counts.
# What the 200 KB download budget leaves to the app is this floor's complement (README,
# "Budgets of the browser app").
#   profile  - read and check a seller profile (the app reads the built-in one, or the
#              seller's own, before its first render)
#   b2c      - that, a B2C quote and a reply in the buyer's language
#   screen   - that, a B2B quote and the shipping options: the quote screen's core
# Usage: bench/web-floor.sh (after scripts/setup.sh test, which installs wasm-opt).
set -euo pipefail
exec </dev/null
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$root/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
cat >"$work/Cargo.toml" <<EOF
[package]
name = "floor"
version = "0.1.0"
edition = "2021"
publish = false
[lib]
crate-type = ["cdylib"]
[features]
b2c = []
screen = ["b2c"]
[dependencies]
crossquote = { path = "$root/crates/crossquote", default-features = false }
wasm-bindgen = "=0.2.130"
serde = "1"
serde_json = "1"
[profile.release]
opt-level = "z"
lto = true
codegen-units = 1
panic = "abort"
[workspace]
EOF
cat >"$work/src/lib.rs" <<'EOF'
use wasm_bindgen::prelude::*;

#[cfg(feature = "b2c")]
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

#[wasm_bindgen]
pub fn run(kind: u8, profile: &str, text: &str) -> String {
    let p = match crossquote::profile::load(profile) {
        Ok(p) => p,
        Err(e) => return format!("{e:?}"),
    };
    match kind {
        #[cfg(feature = "b2c")]
        0 => match crossquote::from_json::<crossquote::b2c::B2cRequest>(text) {
            Ok(r) => crossquote::b2c::quote(&r, &p.rates).map_or_else(|e| e.to_string(), |q| json(&q)),
            Err(e) => e.to_string(),
        },
        #[cfg(feature = "b2c")]
        1 => match crossquote::from_json::<crossquote::reply::ReplyRequest>(text) {
            Ok(r) => match crossquote::reply::Templates::built_in() {
                Ok(t) => crossquote::reply::write(&r, &t, &p).map_or_else(|e| e.to_string(), |q| json(&q)),
                Err(e) => format!("{e:?}"),
            },
            Err(e) => e.to_string(),
        },
        #[cfg(feature = "screen")]
        2 => match crossquote::from_json::<crossquote::b2b::B2bRequest>(text) {
            Ok(r) => crossquote::b2b::quote(&r, &p.rates).map_or_else(|e| e.to_string(), |q| json(&q)),
            Err(e) => e.to_string(),
        },
        #[cfg(feature = "screen")]
        3 => match crossquote::from_json::<Vec<crossquote::logistics::Parcel>>(text) {
            Ok(parcels) => {
                let pricing = crossquote::logistics::Pricing::PerParcel;
                let (ok, _) = crossquote::logistics::options(&p.services, &parcels, "BR", false, pricing);
                json(&ok)
            }
            Err(e) => e.to_string(),
        },
        _ => p.name,
    }
}
EOF
for variant in profile b2c screen; do
  features=()
  [[ $variant == profile ]] || features=(--features "$variant")
  (cd "$work" && cargo build -q --release --target wasm32-unknown-unknown "${features[@]}")
  rm -rf "$work/dist"
  wasm-bindgen --target web --no-typescript --out-dir "$work/dist" --out-name floor \
    "$work/target/wasm32-unknown-unknown/release/floor.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$work/dist/floor_bg.wasm" -o "$work/dist/floor_bg.wasm"
  wasm=$(gzip -9c "$work/dist/floor_bg.wasm" | wc -c)
  js=$(gzip -9c "$work/dist/floor.js" | wc -c)
  printf '%-8s wasm %7d B + JS %5d B gzipped = %.1f KB\n' "$variant" "$wasm" "$js" \
    "$(echo "($wasm + $js) / 1024" | bc -l)"
done
