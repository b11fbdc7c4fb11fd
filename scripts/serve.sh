#!/usr/bin/env bash
# Installs what is missing, builds the app and serves it on http://127.0.0.1:${PORT:-8080}/
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh" serve
"$root/scripts/build-web.sh"
port=${PORT:-8080}
echo "crossquote: open http://127.0.0.1:$port/ (Ctrl-C stops)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory "$root/dist"
