#!/usr/bin/env bash
# The shared store's figures, all in one run on one throwaway PostgreSQL 15 cluster:
#   Benchmarks/postgres.sh [CONNECTIONS] [MESSAGES]        (default 64 connections x 300 messages)
# 1. `charley bench socket` (CONNECTIONS connections, each MESSAGES messages of its own 8 sessions,
#    one at a time) against: memory; SQLite --durability full; one daemon on PostgreSQL; two
#    daemons on the same database (connections spread over both).
# 2. pgbench at the same concurrency (-c CONNECTIONS, -t MESSAGES): one transaction per message,
#    a single upsert of a session row of the size the daemons stored (state, undo history and the
#    columns beside them), prepared statements: the engine's own floor for that work.
# Release build first (swift build -c release). CHARLEY=... picks another build; set
# CHARLEY_BENCH_POSTGRES=URL (with ?host=SOCKET_FOLDER) to use a running server instead;
# PG_SERVE_ARGS="--store-lanes 2" adds options to the daemons on PostgreSQL; ONLY=postgres skips
# memory and SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
charley="${CHARLEY:-.build/release/charley}"
connections="${1:-64}"
messages="${2:-300}"
bin="${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
work=$(mktemp -d /tmp/charley-pgbench.XXXX)
chmod 0711 "$work"  # the server runs as postgres, in $work/pg
daemons=()
cleanup() {
  for pid in "${daemons[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "${CHARLEY_BENCH_POSTGRES:-}" ] || bash scripts/postgres-cluster stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
if [ -n "${CHARLEY_BENCH_POSTGRES:-}" ]; then
  url="$CHARLEY_BENCH_POSTGRES"
else
  url=$(bash scripts/postgres-cluster start "$work/pg")
fi
socket_folder=$(echo "$url" | sed -n 's/.*[?&]host=\([^&]*\).*/\1/p')
database=$(echo "$url" | sed -n 's|^postgres[a-z]*://[^/]*/\([^?]*\).*|\1|p')
psql() { "$bin/psql" -h "$socket_folder" -U postgres -d "$database" -X -q -t -A "$@"; }

start_daemon() {  # NAME ARGS...
  local name=$1; shift
  mkdir -p "$work/$name"
  XDG_STATE_HOME="$work/$name" "$charley" serve --socket "$work/$name/c.sock" --log-level warning "$@" &
  daemons+=($!)
  for _ in $(seq 100); do [ -S "$work/$name/c.sock" ] && return; sleep 0.1; done
  echo "postgres.sh: the daemon $name did not start" >&2; exit 1
}
stop_daemons() {
  for pid in "${daemons[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  daemons=()
}
bench() {  # LABEL SOCKETS...
  local label=$1; shift
  local sockets=()
  for socket in "$@"; do sockets+=(--socket "$socket"); done
  echo "== $label"
  "$charley" bench socket "${sockets[@]}" --connections "$connections" --messages "$messages"
}

echo "CONNECTIONS=$connections MESSAGES=$messages (per connection), $(nproc) cores, $(date -u +%FT%TZ)"
if [ "${ONLY:-}" != postgres ]; then
  start_daemon memory --store memory; bench "memory, 1 daemon" "$work/memory/c.sock"; stop_daemons
  start_daemon sqlite; bench "SQLite --durability full, 1 daemon" "$work/sqlite/c.sock"; stop_daemons
fi
pg_args=(${PG_SERVE_ARGS:-})
psql -c "DROP TABLE IF EXISTS session, transcript, request, charley_schema; DROP FUNCTION IF EXISTS charley_lock_and_read" 2>/dev/null
start_daemon pg1 --store "$url" "${pg_args[@]}"; bench "PostgreSQL, 1 daemon" "$work/pg1/c.sock"; stop_daemons
psql -c "TRUNCATE session, request"
start_daemon pg2a --store "$url" "${pg_args[@]}"; start_daemon pg2b --store "$url" "${pg_args[@]}"
bench "PostgreSQL, 2 daemons" "$work/pg2a/c.sock" "$work/pg2b/c.sock"; stop_daemons

# The same work for pgbench: one upsert a message into a table like Charley's, rows of the size
# the daemons left (their states after MESSAGES/8 turns each).
read -r state_bytes undo_bytes < <(psql -F ' ' -c "SELECT round(avg(length(state))), round(avg(length(undo))) FROM session")
psql -c "DROP TABLE IF EXISTS bench_session" 2>/dev/null
psql -c "CREATE TABLE bench_session (LIKE session INCLUDING ALL)"
cat > "$work/upsert.sql" <<SQL
\set s random(0, 7)
INSERT INTO bench_session (id, state, undo, updated, format, knowledge, stage, turns, triage)
VALUES ('bench:' || :client_id || ':' || :s, repeat('x', $state_bytes), repeat('u', $undo_bytes),
        extract(epoch from clock_timestamp()), 2, 'k', 'assessment', 1, NULL)
ON CONFLICT (id) DO UPDATE SET state = excluded.state, undo = excluded.undo, updated = excluded.updated,
    format = excluded.format, knowledge = excluded.knowledge, stage = excluded.stage,
    turns = bench_session.turns + 1, triage = excluded.triage;
SQL
echo "== pgbench: one upsert transaction a message (state $state_bytes bytes, undo $undo_bytes bytes), -c $connections -j 2 -t $messages -M prepared"
"$bin/pgbench" -h "$socket_folder" -U postgres -n -M prepared -c "$connections" -j 2 -t "$messages" -f "$work/upsert.sql" "$database" 2>&1 \
  | grep -E "^(number of transactions actually processed|latency average|tps)"
