#!/usr/bin/env bash
# Measures the browser app against its budgets (see README, "Budgets"): the download
# (wasm + JS + CSS, gzipped), the first render on localhost, a keystroke to the updated
# price, and a 10,000-SKU price sheet. Builds dist/, serves it on a loopback port and
# drives headless Chromium with the Playwright of tests/e2e (scripts/setup.sh test
# installs both). Usage: bench/web-budgets.sh [RUNS] (default 5; medians are reported).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
bash "$root/scripts/build-web.sh"
size=0
for f in app_bg.wasm app.js style.css index.html; do
  size=$((size + $(gzip -9c "$root/dist/$f" | wc -c)))
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$root/dist" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break; sleep 0.1; done
cd "$root/tests/e2e"
URL="http://127.0.0.1:$port/" RUNS=$runs GZIP_BYTES=$size node budgets.mjs
