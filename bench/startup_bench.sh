#!/usr/bin/env bash
# Size and start-up of the static runner next to psql's own figures:
#   stripped binary size; `--version` (100 runs); a no-op `check` against a
#   database at head vs `psql -X -c 'select 1'` (50 runs each).
# Usage: bench/startup_bench.sh   (needs scripts/build.sh first)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/throwaway_server.sh
source bench/throwaway_server.sh
schemagate=$root/${BUILD_DIR:-build}/runner/schemagate

time_runs() {  # time_runs N COMMAND... -> total milliseconds
  local runs=$1 start
  shift
  start=$(now_ns)
  for _ in $(seq 1 "$runs"); do "$@" >/dev/null 2>&1; done
  echo $(( ($(now_ns) - start) / 1000000 ))
}

strip -o "$work/schemagate" "$schemagate"
our_size=$(stat -c %s "$work/schemagate")
psql_size=$(stat -c %s "$psql_bin")
libpq_size=$(stat -L -c %s "$(ldd "$psql_bin" | awk '/libpq/ {print $3}')")
echo "== size (stripped)"
echo "schemagate (static, all included): $((our_size / 1024)) KiB"
echo "psql: $((psql_size / 1024)) KiB + libpq.so $((libpq_size / 1024)) KiB (+ libc, libssl, ...)"
{ ldd "$schemagate" 2>&1 || true; } | sed "s/^\s*/ldd schemagate: /"

echo "== --version, 100 runs"
ours=$(time_runs 100 "$work/schemagate" --version)
theirs=$(time_runs 100 "$psql_bin" --version)
echo "schemagate: ${ours} ms   psql: ${theirs} ms   ratio: $(ratio "$ours" "$theirs")"

echo "== no-op check at head vs psql -c 'select 1', 50 runs"
"$schemagate" --dir examples/library/migrations --log-level warn upgrade heads
ours=$(time_runs 50 "$work/schemagate" --dir examples/library/migrations --log-level warn check)
theirs=$(time_runs 50 "$psql_bin" -X -q -c 'select 1' -d "$DATABASE_URL")
echo "schemagate check: ${ours} ms   psql: ${theirs} ms   ratio: $(ratio "$ours" "$theirs")"
