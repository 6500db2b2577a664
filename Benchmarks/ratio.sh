#!/usr/bin/env bash
# The SQLite store's cost against the memory store (issue 8: within 2×), for one or two
# release builds alternately, ROUNDS rounds, with 64 and 1,000 connections. Prints each run and
# then, per build and load, messages/s of each store and the ratio, round by round.
#   Benchmarks/ratio.sh 5 .build/release/charley
#   Benchmarks/ratio.sh 5 /tmp/before/.build/release/charley .build/release/charley
set -uo pipefail
rounds=$1; shift
client="$(dirname "$0")/../.build/release/charley"
log=$(mktemp /tmp/charley-ratio.XXXX)
for round in $(seq "$rounds"); do
  for load in "64 1000" "1000 60"; do
    read -r connections messages <<< "$load"
    for serve in "--store memory" "--durability full"; do
      for bin in "$@"; do
        folder=$(mktemp -d /tmp/charley-ratio.XXXX)
        XDG_STATE_HOME=$folder "$bin" serve --socket "$folder/c.sock" --log-level warning $serve &
        pid=$!
        for _ in $(seq 50); do [ -S "$folder/c.sock" ] && break; sleep 0.1; done
        rate=$(timeout 150 "$client" bench socket --socket "$folder/c.sock" --connections "$connections" --messages "$messages" \
          | grep -o '[0-9]* messages/s' | cut -d' ' -f1)
        echo "round $round, $connections connections, ${serve#--}, $bin: ${rate:-failed} messages/s" | tee -a "$log"
        kill $pid; wait $pid 2>/dev/null; rm -rf "$folder"
      done
    done
  done
done
echo
awk -F'[,:] *' '
  { split($1, r, " "); conns = $2; store = $3; bin = $4; rate = $5 + 0
    key = bin SUBSEP conns; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    if (store ~ /memory/) mem[key, r[2]] = rate; else dur[key, r[2]] = rate; last = r[2] }
  END { for (i = 1; i <= n; i++) { split(order[i], k, SUBSEP); line = ""
          for (j = 1; j <= last; j++) line = line sprintf(" %d/%d=%.2f", mem[order[i], j], dur[order[i], j],
                                                          dur[order[i], j] ? mem[order[i], j] / dur[order[i], j] : 0)
          printf "%s, %s: memory/durable per round:%s\n", k[1], k[2], line } }' "$log"
rm -f "$log"
