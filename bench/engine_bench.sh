#!/usr/bin/env bash
# The runner against psql on the same server in the same run:
#   1. applying N generated migrations from empty vs `psql -X -1 -f` of the same SQL;
#   2. downgrading all N to base vs `psql -X -1 -f` of the down SQL;
#   3. a run when already at head vs `psql -X -c 'select 1'`;
#   4. 32 runners racing on an empty database vs one runner.
# The server runs with fsync on (commits cost what they cost in production);
# PG_DURABLE=0 turns it off. SCHEMAGATE names another binary to compare.
# Usage: bench/engine_bench.sh [N]   (default 1000). Needs a build (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
export PG_DURABLE=${PG_DURABLE:-1}
# shellcheck source=bench/throwaway_server.sh
source bench/throwaway_server.sh
schemagate=${SCHEMAGATE:-$root/${BUILD_DIR:-build}/runner/schemagate}
echo "fsync: $("$psql_bin" -X -At -d "$DATABASE_URL" -c 'SHOW fsync')"
admin=$DATABASE_URL

db_url() { echo "${admin%/*}/$1"; }
create_db() { "$psql_bin" -X -q -d "$admin" -c "CREATE DATABASE $1" >/dev/null; }
elapsed_ms() { echo $(( ($(now_ns) - $1) / 1000000 )); }

# A linear history of $count revisions, each a table with an index.
project=$work/project
mkdir -p "$project/versions"
: >"$work/all.sql"
: >"$work/down.sql"
parent=""
for i in $(seq 1 "$count"); do
  id=$(printf '%012x' "$i")
  body="CREATE TABLE t_$i (id bigint PRIMARY KEY, name text NOT NULL);
CREATE INDEX t_${i}_name ON t_$i (name);"
  {
    echo "-- schemagate:revision $id"
    [[ -n $parent ]] && echo "-- schemagate:parents $parent"
    echo "-- schemagate:message table $i"
    echo
    echo "-- schemagate:up"
    echo "$body"
    echo
    echo "-- schemagate:down"
    echo "DROP TABLE t_$i;"
  } >"$project/versions/${id}_table_$i.sql"
  echo "$body" >>"$work/all.sql"
  echo "DROP TABLE t_$i;" | cat - "$work/down.sql" >"$work/down.tmp" && mv "$work/down.tmp" "$work/down.sql"
  parent=$id
done

echo "== apply $count migrations from empty"
create_db bench_psql
start=$(now_ns)
"$psql_bin" -X -q -1 -v ON_ERROR_STOP=1 -f "$work/all.sql" -d "$(db_url bench_psql)" >/dev/null
psql_ms=$(elapsed_ms "$start")
create_db bench_runner
start=$(now_ns)
DATABASE_URL=$(db_url bench_runner) "$schemagate" --dir "$project" --log-level warn upgrade heads
runner_ms=$(elapsed_ms "$start")
echo "psql -1 -f: ${psql_ms} ms   schemagate upgrade: ${runner_ms} ms   ratio: $(ratio "$runner_ms" "$psql_ms")"

echo "== downgrade all $count to base"
start=$(now_ns)
"$psql_bin" -X -q -1 -v ON_ERROR_STOP=1 -f "$work/down.sql" -d "$(db_url bench_psql)" >/dev/null
psql_ms=$(elapsed_ms "$start")
start=$(now_ns)
DATABASE_URL=$(db_url bench_runner) "$schemagate" --dir "$project" --log-level warn downgrade base
runner_ms=$(elapsed_ms "$start")
echo "psql -1 -f: ${psql_ms} ms   schemagate downgrade base: ${runner_ms} ms   ratio: $(ratio "$runner_ms" "$psql_ms")"
DATABASE_URL=$(db_url bench_runner) "$schemagate" --dir "$project" --log-level warn upgrade heads

echo "== a run at head (20 runs each)"
start=$(now_ns)
for _ in $(seq 1 20); do "$psql_bin" -X -q -c 'select 1' -d "$(db_url bench_runner)" >/dev/null; done
psql_ms=$(elapsed_ms "$start")
start=$(now_ns)
for _ in $(seq 1 20); do
  DATABASE_URL=$(db_url bench_runner) "$schemagate" --dir "$project" --log-level warn upgrade heads
done
runner_ms=$(elapsed_ms "$start")
echo "psql -c 'select 1': ${psql_ms} ms   schemagate upgrade at head: ${runner_ms} ms   ratio: $(ratio "$runner_ms" "$psql_ms")"

echo "== 32 racing runners vs one, $count migrations"
create_db bench_one
start=$(now_ns)
DATABASE_URL=$(db_url bench_one) "$schemagate" --dir "$project" --log-level warn upgrade heads
one_ms=$(elapsed_ms "$start")
create_db bench_race
start=$(now_ns)
pids=()
for _ in $(seq 1 32); do
  DATABASE_URL=$(db_url bench_race) "$schemagate" --dir "$project" --log-level warn \
    upgrade heads --lock-timeout 600 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
race_ms=$(elapsed_ms "$start")
echo "one runner: ${one_ms} ms   32 racing runners: ${race_ms} ms   ratio: $(ratio "$race_ms" "$one_ms")"
