#!/usr/bin/env bash
# Load test of `crossquote serve` on loopback only: starts the release server on a free
# 127.0.0.1 port, POSTs schemas/examples/quote-b2c.json with wrk (Debian package `wrk`)
# for at most SECONDS and at most REQUESTS, and prints throughput and latency percentiles.
# With STALLED=N, N sheet clients that never read their answer stay connected meanwhile
# (bench/stalled.py), and the server's memory before, during and after is printed.
# Usage: [STALLED=N] bench/load.sh [SECONDS=60] [REQUESTS=3000000] [CONNECTIONS=64]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$here/..
seconds=${1:-60} requests=${2:-3000000} conns=${3:-64}
command -v wrk >/dev/null || { echo "load.sh: needs wrk (apt-get install wrk)" >&2; exit 2; }
cargo build --release --locked -p crossquote-cli --manifest-path "$root/Cargo.toml" >&2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$root/target/release/crossquote" serve --addr "127.0.0.1:$port" --concurrency 1024 </dev/null 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
stalled=${STALLED:-0}
if [ "$stalled" -gt 0 ]; then
  (cd "$root" && python3 "$here/stalled.py" "127.0.0.1:$port" "$server" "$stalled" "$((seconds + 2))") &
  stalled_pid=$!
  sleep 1
fi
threads=2
LOAD_BODY=$root/schemas/examples/quote-b2c.json LOAD_PER_THREAD=$((requests / threads)) \
  wrk -t$threads -c"$conns" -d"${seconds}s" --timeout 5s -s "$here/load.lua" \
  "http://127.0.0.1:$port/v1/quote"
[ "$stalled" -gt 0 ] && wait "$stalled_pid"
exit 0
