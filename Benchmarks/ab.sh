#!/usr/bin/env bash
# Compares two release builds of charley on the same machine in the same minutes, alternating
# them (this machine's speed drifts; runs far apart are not comparable). In-process benchmarks
# are pinned to one core. Socket rows use this checkout's load generator against either daemon.
#   git worktree add /tmp/before <commit> && (cd /tmp/before && swift build -c release)
#   Benchmarks/ab.sh /tmp/before/.build/release/charley .build/release/charley
set -uo pipefail
before=$1 now=$2 rounds=${3:-3}
client="$(dirname "$0")/../.build/release/charley"
corpus="$(dirname "$0")/../Tests/UnderstandingTests/Corpus/utterances.txt"
dialogues="$(dirname "$0")/../Dialogues"
socket() { # daemon, serve args, bench args
  folder=$(mktemp -d /tmp/charley-ab.XXXX)
  XDG_STATE_HOME=$folder "$1" serve --socket "$folder/c.sock" --log-level warning $2 &
  pid=$!
  for _ in $(seq 50); do [ -S "$folder/c.sock" ] && break; sleep 0.1; done
  timeout 150 "$client" bench socket --socket "$folder/c.sock" $3 | grep messages/s
  kill $pid; wait $pid 2>/dev/null; rm -rf "$folder"
}
for round in $(seq "$rounds"); do
  for who in before now; do
    [ $who = before ] && bin=$before || bin=$now
    echo "== $who, round $round"
    taskset -c 1 "$bin" bench interpret --corpus "$corpus" --rounds 50 | sed -n 2p | sed 's/^/interpret:/'
    taskset -c 1 "$bin" bench turn --dialogues "$dialogues" --rounds 20 --sessions 0 | sed -n 2p | sed 's/^/turn:/'
    echo "start-up: $(for _ in 1 2 3 4 5; do taskset -c 1 "$bin" bench interpret --corpus "$corpus" --rounds 1 | tail -1 | grep -o '[0-9.]* ms' | head -1; done | sort -n | tr '\n' ' ')"
    for serve in "--store memory" "--durability full"; do
      for load in "--connections 1 --messages 5000 --spin" "--connections 64 --messages 500" "--connections 1000 --messages 50"; do
        echo "[$serve] $load: $(socket "$bin" "$serve" "$load")"
      done
    done
  done
done
