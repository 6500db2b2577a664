#!/usr/bin/env bash
# What the metrics cost: the same release build with and without them (`serve --no-metrics`),
# alternated round by round in one run (this machine's speed drifts; runs far apart are not
# comparable), at 64 connections by default. Prints each round's messages/s and the ratio.
#   Benchmarks/metrics.sh [ROUNDS] [SERVE_ARGS] [BENCH_ARGS]
#   Benchmarks/metrics.sh 5 "--store memory" "--connections 64 --messages 500"
set -uo pipefail
rounds=${1:-5}
serve=${2:---store memory}
load=${3:---connections 64 --messages 500}
charley="${CHARLEY:-$(dirname "$0")/../.build/release/charley}"
run() { # serve args
  folder=$(mktemp -d /tmp/charley-metrics.XXXX)
  XDG_STATE_HOME=$folder "$charley" serve --socket "$folder/c.sock" --log-level warning $1 &
  pid=$!
  for _ in $(seq 50); do [ -S "$folder/c.sock" ] && break; sleep 0.1; done
  timeout 150 "$charley" bench socket --socket "$folder/c.sock" $load | grep -o '[0-9][0-9.]* messages/s' | head -1 | cut -d' ' -f1
  kill $pid; wait $pid 2>/dev/null; rm -rf "$folder"
}
with=() without=()
for round in $(seq "$rounds"); do
  # Which goes first alternates too.
  if [ $((round % 2)) -eq 1 ]; then
    a=$(run "$serve"); b=$(run "$serve --no-metrics")
  else
    b=$(run "$serve --no-metrics"); a=$(run "$serve")
  fi
  with+=("$a"); without+=("$b")
  echo "round $round: with metrics $a messages/s, without $b messages/s, ratio $(python3 -c "print(f'{$a/$b:.3f}')")"
done
python3 - "${with[*]}" "${without[*]}" <<'PY'
import statistics, sys
w = [float(x) for x in sys.argv[1].split()]; n = [float(x) for x in sys.argv[2].split()]
print(f"median: with {statistics.median(w):.0f}, without {statistics.median(n):.0f} messages/s; "
      f"median of the round ratios {statistics.median(a / b for a, b in zip(w, n)):.3f}; "
      f"total with/without {sum(w) / sum(n):.3f}")
PY
