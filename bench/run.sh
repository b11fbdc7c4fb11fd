#!/usr/bin/env bash
# Builds the release CLI and times bench/workload against the Python `decimal` and Node
# `decimal.js` baselines of ../shared/bench in one run (pass its options: --rows, --runs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${CROSSQUOTE_SHARED_BENCH:-$here/../../shared/bench}
cargo build --release --locked -p crossquote-cli --manifest-path "$here/../Cargo.toml" >&2
exec bash "$shared/run.sh" "$@" -- "$here/workload"
