#!/usr/bin/env bash
# Installs what crossquote needs and is missing; every step is skipped when already there.
# Usage: scripts/setup.sh [serve|test]   (serve: build tools only; test: also Chromium)
set -euo pipefail
# Nothing here reads input. cargo probes the compiler with `rustc -`, which reads its
# standard input: give it an empty one, whatever the caller's is.
exec </dev/null
root=$(cd "$(dirname "$0")/.." && pwd)
need=${1:-test}
say() { echo "setup: $*" >&2; }

# A full disk shows up deep in cargo's output as a linker "Bus error" or "No space left on
# device". Say it first. From a clean clone, with the installs below, the tests write
# about 3.3 GB and the app about 0.7 GB (measured). What is already built needs no more,
# so this warns and goes on.
avail_mb=$(df -Pm "$root" 2>/dev/null | awk 'NR == 2 {print $4}') || avail_mb=""   # no df: no warning
want_mb=1024; [ "$need" = test ] && want_mb=3584
if [ -n "$avail_mb" ] && [ "$avail_mb" -lt "$want_mb" ]; then
  say "warning: ${avail_mb} MB free on the disk of $root; a clean $need build needs about ${want_mb} MB"
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >&2
fi

# wasm-bindgen CLI: must equal the wasm-bindgen crate in Cargo.lock.
v=$(grep -A1 '^name = "wasm-bindgen"$' "$root/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $v" ]; then
  say "installing wasm-bindgen-cli $v (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$v" >&2   # not --locked: see ARCHITECTURE.md
fi

# wasm-opt (binaryen from npm) and, for tests, playwright-core: pinned in tests/e2e.
if [ ! -x "$root/tests/e2e/node_modules/.bin/wasm-opt" ] || [ ! -d "$root/tests/e2e/node_modules/playwright-core" ]; then
  say "installing node packages for the build and the browser tests"
  (cd "$root/tests/e2e" && npm ci --no-audit --no-fund >&2)
fi

# Chromium and ChromeDriver for the browser tests, and a CJK font so that the 中文
# screenshots show characters rather than boxes.
if [ "$need" = test ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -d /usr/share/fonts/truetype/wqy ]; }; then
  say "installing Chromium, ChromeDriver and a CJK font from Debian"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium chromium-driver fonts-wqy-zenhei >&2
fi
