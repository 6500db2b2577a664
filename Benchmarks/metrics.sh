#!/usr/bin/env bash
# What the metrics cost: the same release build with and without them (`serve --no-metrics`),
# alternated round by round in one run (this machine's speed drifts; runs far apart are not
# comparable), at 64 connections by default. Prints each round's messages/s, the daemon's CPU
# time (microseconds on a CPU, all threads, from /proc/PID/task/*/schedstat; less disturbed by other load than messages/s,
# though a busy machine inflates it too), and the ratios.
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
  rate=$(timeout 150 "$charley" bench socket --socket "$folder/c.sock" $load | grep -o '[0-9][0-9.]* messages/s' | head -1 | cut -d' ' -f1)
  # CPU time in nanoseconds over the whole life of the daemon (start-up included, the same for
  # both): the first field of each of its threads' schedstat (time on a CPU), summed.
  ticks=$(cat /proc/$pid/task/*/schedstat 2>/dev/null | awk '{sum += $1} END {printf "%d", sum / 1000}')
  kill $pid; wait $pid 2>/dev/null; rm -rf "$folder"
  echo "$rate $ticks"
}
with=() without=() cpu_with=() cpu_without=()
for round in $(seq "$rounds"); do
  # Which goes first alternates too.
  if [ $((round % 2)) -eq 1 ]; then
    a=$(run "$serve"); b=$(run "$serve --no-metrics")
  else
    b=$(run "$serve --no-metrics"); a=$(run "$serve")
  fi
  set -- $a; with+=("$1"); cpu_with+=("$2")
  set -- $b; without+=("$1"); cpu_without+=("$2")
  echo "round $round: with metrics ${a% *} messages/s (${a#* } µs of CPU), without ${b% *} messages/s (${b#* } µs)"
done
python3 - "${with[*]}" "${without[*]}" "${cpu_with[*]}" "${cpu_without[*]}" <<'PY'
import statistics, sys
w, n, cw, cn = ([float(x) for x in arg.split()] for arg in sys.argv[1:5])
print(f"messages/s: median with {statistics.median(w):.0f}, without {statistics.median(n):.0f}; "
      f"median of the round ratios {statistics.median(a / b for a, b in zip(w, n)):.3f}; "
      f"total with/without {sum(w) / sum(n):.3f}")
print(f"daemon CPU time: median with {statistics.median(cw):.0f}, without {statistics.median(cn):.0f} µs; "
      f"median of the round ratios {statistics.median(a / b for a, b in zip(cw, cn)):.3f}; total with/without {sum(cw) / sum(cn):.3f}")
PY
