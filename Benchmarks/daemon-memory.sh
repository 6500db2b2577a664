#!/usr/bin/env bash
# Memory per session held by `charley serve`: RSS before and after 20,000 sessions of two turns
# each (50 connections x 400 sessions, two rounds).
#   Benchmarks/daemon-memory.sh "--store memory"     or     Benchmarks/daemon-memory.sh ""
set -euo pipefail
charley="$(dirname "$0")/../.build/release/charley"
folder=$(mktemp -d /tmp/charley-rss.XXXX)
trap 'rm -rf "$folder"' EXIT
XDG_STATE_HOME=$folder "$charley" serve --socket "$folder/c.sock" --log-level warning ${1:-} 2>/dev/null &
daemon=$!
for _ in $(seq 50); do [ -S "$folder/c.sock" ] && break; sleep 0.1; done
before=$(awk '/VmRSS/ {print $2}' /proc/$daemon/status)
for _ in 1 2; do "$charley" bench socket --socket "$folder/c.sock" --connections 50 --messages 400 --sessions 400 | tail -1; done
after=$(awk '/VmRSS/ {print $2}' /proc/$daemon/status)
echo "RSS ${before} kB -> ${after} kB: $(( (after - before) * 1024 / 20000 )) bytes per session"
kill $daemon; wait $daemon 2>/dev/null || true
[ -f "$folder/charley/sessions.sqlite" ] && echo "store: $(stat -c %s "$folder/charley/sessions.sqlite") bytes" || true
