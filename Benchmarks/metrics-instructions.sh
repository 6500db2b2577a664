#!/usr/bin/env bash
# What the metrics cost, counted in instructions rather than seconds: the daemon runs under
# valgrind's callgrind (which counts every instruction it executes, the same count for the same
# work however busy the machine is), once with metrics and once with `--no-metrics`, for the same
# load at 64 connections; a run with no messages gives the start-up and shutdown cost to take off.
# Prints instructions per message with and without, and the ratio. (Callgrind runs the daemon's
# threads one at a time, so this counts work, not contention; messages/s on a quiet machine is
# what `Benchmarks/metrics.sh` measures.)
#   Benchmarks/metrics-instructions.sh [SERVE_ARGS] [BENCH_ARGS]
#   Benchmarks/metrics-instructions.sh "--store memory" "--connections 64 --messages 100"
set -euo pipefail
serve=${1:---store memory}
load=${2:---connections 64 --messages 100}
charley="${CHARLEY:-$(dirname "$0")/../.build/release/charley}"
command -v valgrind >/dev/null || { echo "metrics-instructions: valgrind is missing (Debian: apt-get install valgrind)" >&2; exit 1; }
# Prints the daemon's total instruction count for one run; $1: serve args, $2: bench args ("" = no load).
instructions() {
  folder=$(mktemp -d /tmp/charley-mi.XXXX)
  XDG_STATE_HOME=$folder valgrind --tool=callgrind --callgrind-out-file="$folder/out" \
    "$charley" serve --socket "$folder/c.sock" --log-level warning $1 2>"$folder/valgrind.log" &
  pid=$!
  for _ in $(seq 600); do [ -S "$folder/c.sock" ] && break; sleep 0.1; done
  [ -S "$folder/c.sock" ] || { echo "metrics-instructions: the daemon did not start; $(cat "$folder/valgrind.log")" >&2; exit 1; }
  if [ -n "$2" ]; then
    "$charley" bench socket --socket "$folder/c.sock" $2 >"$folder/bench.log"
    grep -q ', 0 failed' "$folder/bench.log" || { echo "metrics-instructions: messages failed: $(cat "$folder/bench.log")" >&2; exit 1; }
    messages=$(sed -n 's/.* \([0-9]*\) connections x \([0-9]*\) messages.*/\1 \2/p' "$folder/bench.log" | awk '{print $1 * $2}')
  else
    messages=0
  fi
  kill -TERM $pid; wait $pid 2>/dev/null || true
  total=$(grep -m1 -E '^(summary|totals):' "$folder/out" | awk '{print $2}')
  rm -rf "$folder"
  echo "$total $messages"
}
set -- "$serve" "$load"
read -r idle_with _ < <(instructions "$1" "")
read -r idle_without _ < <(instructions "$1 --no-metrics" "")
read -r with messages < <(instructions "$1" "$2")
read -r without messages_without < <(instructions "$1 --no-metrics" "$2")
python3 - "$idle_with" "$idle_without" "$with" "$without" "$messages" "$messages_without" <<'PY'
import sys
idle_with, idle_without, with_, without, messages, messages_without = (int(x) for x in sys.argv[1:7])
per_with = (with_ - idle_with) / messages
per_without = (without - idle_without) / messages_without
print(f"start-up and shutdown: {idle_with:,} instructions with metrics, {idle_without:,} without")
print(f"{messages:,} messages: {per_with:,.0f} instructions a message with metrics, {per_without:,.0f} without; "
      f"ratio {per_with / per_without:.3f} (cost {100 * (per_with / per_without - 1):.1f}%)")
PY
