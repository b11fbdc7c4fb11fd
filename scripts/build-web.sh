#!/usr/bin/env bash
# Builds the browser app into dist/: wasm (size profile), wasm-bindgen glue, wasm-opt -Oz.
set -euo pipefail
# Nothing here reads input. cargo probes the compiler with `rustc -`, which reads its
# standard input: give it an empty one, whatever the caller's is.
exec </dev/null
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$root/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cargo build --locked --profile wasm-release --target wasm32-unknown-unknown -p crossquote-web --bin crossquote-web >&2
rm -rf dist && mkdir -p dist
wasm-bindgen --target web --no-typescript --out-dir dist --out-name app \
  target/wasm32-unknown-unknown/wasm-release/crossquote-web.wasm
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int dist/app_bg.wasm -o dist/app_bg.wasm
cp web/index.html web/style.css dist/
echo "built dist/: $(du -sh dist | cut -f1), wasm $(gzip -9c dist/app_bg.wasm | wc -c) bytes gzipped" >&2
