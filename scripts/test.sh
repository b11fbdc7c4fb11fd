#!/usr/bin/env bash
# Installs what is missing and runs every test: native (unit, golden, property), wasm in
# headless Chromium, and end-to-end on the served app. Ends with "N passed, N failed".
set -uo pipefail
# Nothing here reads input. cargo probes the compiler with `rustc -`, which reads its
# standard input: give it an empty one, whatever the caller's is.
exec </dev/null
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh" test || { echo "0 passed, 1 failed"; exit 1; }
export PATH="$root/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# CI builds once from a clean clone: incremental state would only take disk and time.
[ -z "${CI:-}" ] || export CARGO_INCREMENTAL=0
log=$(mktemp -d)
status=0
passed=0 failed=0

# Sums "test result: ... N passed; M failed" lines (cargo and wasm-bindgen-test-runner).
count_cargo() {
  local p f
  p=$(grep -ao 'test result: [A-Za-z]*\. [0-9]* passed' "$1" | awk '{s+=$4} END {print s+0}')
  f=$(grep -ao '[0-9]* failed;' "$1" | awk '{s+=$1} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
}
step() { echo "== $1" >&2; }

step "native tests"
cargo test --workspace --locked 2>&1 | tee "$log/native.txt"
[ "${PIPESTATUS[0]}" = 0 ] || status=1
count_cargo "$log/native.txt"

step "wasm tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --locked --target wasm32-unknown-unknown -p crossquote-web --test web 2>&1 | tee "$log/wasm.txt"
[ "${PIPESTATUS[0]}" = 0 ] || status=1
count_cargo "$log/wasm.txt"

step "end-to-end tests on the served app"
if "$root/scripts/build-web.sh"; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$root/dist" >"$log/server.txt" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null' EXIT
  for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break; sleep 0.1; done
  (cd tests/e2e && E2E_URL="http://127.0.0.1:$port/" CROSSQUOTE_BIN="$root/target/debug/crossquote" node --test --test-reporter=tap) 2>&1 | tee "$log/e2e.txt"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
  passed=$((passed + $(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log/e2e.txt" | tail -1)))
  failed=$((failed + $(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log/e2e.txt" | tail -1)))
else
  status=1; failed=$((failed + 1))
fi

[ "$status" = 0 ] || [ "$failed" -gt 0 ] || failed=1   # a step that failed without counting
echo "$passed passed, $failed failed"
exit $status
