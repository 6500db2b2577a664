#!/usr/bin/env bash
# The load generator's floor on this machine: `charley bench socket` against a bare C epoll
# line echo server (Benchmarks/echo.c), so the client's and the kernel's share of a round trip
# is seen apart from Charley's.
#   Benchmarks/echo-floor.sh "--connections 64 --messages 500"
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
charley="$here/../.build/release/charley"
folder=$(mktemp -d /tmp/charley-echo.XXXX)
cc -O2 -o "$folder/echo" "$here/echo.c"
"$folder/echo" "$folder/e.sock" &
server=$!
trap 'status=$?; kill $server 2>/dev/null || true; rm -rf "$folder"; exit $status' EXIT
for _ in $(seq 50); do [ -S "$folder/e.sock" ] && break; sleep 0.1; done
"$charley" bench socket --socket "$folder/e.sock" ${1:-}
