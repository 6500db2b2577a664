#!/usr/bin/env bash
# Starts a release `charley serve` on a fresh state folder with SERVE_ARGS, runs
# `charley bench socket` with BENCH_ARGS against it, stops it, prints the store's size.
#   Benchmarks/socket.sh "--store memory" "--connections 64 --messages 300"
# CHARLEY=path/to/charley picks another build (CI smoke-runs the debug one).
set -euo pipefail
charley="${CHARLEY:-$(dirname "$0")/../.build/release/charley}"
folder=$(mktemp -d /tmp/charley-bench.XXXX)
XDG_STATE_HOME=$folder "$charley" serve --socket "$folder/c.sock" --log-level warning ${1:-} &
daemon=$!
# The daemon goes too when the load generator fails (bad arguments, no reply).
# It keeps the script's own exit status (a kill of a daemon already stopped would replace it).
trap 'status=$?; kill $daemon 2>/dev/null || true; rm -rf "$folder"; exit $status' EXIT
for _ in $(seq 50); do [ -S "$folder/c.sock" ] && break; sleep 0.1; done
"$charley" bench socket --socket "$folder/c.sock" ${2:-}
kill $daemon; wait $daemon 2>/dev/null || true
[ -d "$folder/charley" ] && du -sh "$folder/charley" | sed 's/^/store: /' || true
