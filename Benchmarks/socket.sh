#!/usr/bin/env bash
# Starts a release `charley serve` on a fresh state folder with SERVE_ARGS, runs
# `charley bench socket` with BENCH_ARGS against it, stops it, prints the store's size.
#   Benchmarks/socket.sh "--store memory" "--connections 64 --messages 300"
set -euo pipefail
charley="$(dirname "$0")/../.build/release/charley"
folder=$(mktemp -d /tmp/charley-bench.XXXX)
XDG_STATE_HOME=$folder "$charley" serve --socket "$folder/c.sock" --log-level warning ${1:-} &
daemon=$!
# The daemon goes too when the load generator fails (bad arguments, no reply).
trap 'kill $daemon 2>/dev/null; rm -rf "$folder"' EXIT
for _ in $(seq 50); do [ -S "$folder/c.sock" ] && break; sleep 0.1; done
"$charley" bench socket --socket "$folder/c.sock" ${2:-}
kill $daemon; wait $daemon 2>/dev/null || true
[ -d "$folder/charley" ] && du -sh "$folder/charley" | sed 's/^/store: /' || true
