#!/usr/bin/env bash
# The runner against psql on the same server in the same run:
#   1. applying N generated migrations from empty vs `psql -X -1 -f` of the same SQL;
#   2. downgrading all N to base vs `psql -X -1 -f` of the down SQL;
#   3. a run when already at head vs `psql -X -c 'select 1'`, for histories of
#      AT_HEAD_SIZES revisions (default "1000 10000"; issue 22 part 2), and the
#      runner's own part of it: `schemagate heads`, which loads the directory
#      and resolves the heads without connecting;
#   4. 32 runners racing on an empty database vs one runner.
# The server runs with fsync on (commits cost what they cost in production);
# PG_DURABLE=0 turns it off. SCHEMAGATE names another binary to compare;
# SCHEMAGATE_BEFORE, one to time beside it in the at-head rows.
# SECTIONS picks some of "apply downgrade at-head race" (default: all four).
# Usage: bench/engine_bench.sh [N]   (default 1000). Needs a build (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
sections=" ${SECTIONS:-apply downgrade at-head race} "
at_head_sizes=${AT_HEAD_SIZES:-1000 10000}
export PG_DURABLE=${PG_DURABLE:-1}
# shellcheck source=bench/throwaway_server.sh
source bench/throwaway_server.sh
schemagate=${SCHEMAGATE:-$root/${BUILD_DIR:-build}/runner/schemagate}
echo "fsync: $("$psql_bin" -X -At -d "$DATABASE_URL" -c 'SHOW fsync')"
admin=$DATABASE_URL

db_url() { echo "${admin%/*}/$1"; }
create_db() { "$psql_bin" -X -q -d "$admin" -c "CREATE DATABASE $1" >/dev/null; }
elapsed_ms() { echo $(( ($(now_ns) - $1) / 1000000 )); }

wants() { [[ $sections == *" $1 "* ]]; }
runs=20

if wants apply || wants downgrade || wants race; then
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
fi

if wants apply || wants downgrade; then
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
fi

if wants downgrade; then
  echo "== downgrade all $count to base"
  start=$(now_ns)
  "$psql_bin" -X -q -1 -v ON_ERROR_STOP=1 -f "$work/down.sql" -d "$(db_url bench_psql)" >/dev/null
  psql_ms=$(elapsed_ms "$start")
  start=$(now_ns)
  DATABASE_URL=$(db_url bench_runner) "$schemagate" --dir "$project" --log-level warn downgrade base
  runner_ms=$(elapsed_ms "$start")
  echo "psql -1 -f: ${psql_ms} ms   schemagate downgrade base: ${runner_ms} ms   ratio: $(ratio "$runner_ms" "$psql_ms")"
fi

if wants at-head; then
  # A linear history of $1 revisions (a sequence each: cheap to create, so that
  # 10,000 are applied in seconds), applied through the runner's own offline
  # script, which writes the version row and a history row with its checksum
  # for every revision, as `upgrade` does.
  at_head_project() {
    local dir=$work/at-head-$1 parent="" id i
    mkdir -p "$dir/versions"
    for i in $(seq 1 "$1"); do
      id=$(printf '%012x' "$i")
      {
        echo "-- schemagate:revision $id"
        [[ -n $parent ]] && echo "-- schemagate:parents $parent"
        echo "-- schemagate:message sequence $i"
        echo
        echo "-- schemagate:up"
        echo "CREATE SEQUENCE s_$i;"
        echo
        echo "-- schemagate:down"
        echo "DROP SEQUENCE s_$i;"
      } >"$dir/versions/${id}_sequence_$i.sql"
      parent=$id
    done
    echo "$dir"
  }
  for size in $at_head_sizes; do
    echo "== a run at head, $size revisions ($runs runs each)"
    dir=$(at_head_project "$size")
    create_db "at_head_$size"
    url=$(db_url "at_head_$size")
    "$schemagate" --dir "$dir" --log-level warn upgrade heads --sql |
      PGOPTIONS='-c synchronous_commit=off' "$psql_bin" -X -q -v ON_ERROR_STOP=1 -d "$url" >/dev/null
    DATABASE_URL=$url "$schemagate" --dir "$dir" --log-level warn check
    start=$(now_ns)
    for _ in $(seq 1 "$runs"); do "$psql_bin" -X -q -c 'select 1' -d "$url" >/dev/null; done
    psql_ms=$(elapsed_ms "$start")
    start=$(now_ns)
    for _ in $(seq 1 "$runs"); do
      DATABASE_URL=$url "$schemagate" --dir "$dir" --log-level warn upgrade heads
    done
    runner_ms=$(elapsed_ms "$start")
    start=$(now_ns)
    for _ in $(seq 1 "$runs"); do "$schemagate" --dir "$dir" --log-level warn heads >/dev/null; done
    offline_ms=$(elapsed_ms "$start")
    echo "psql -c 'select 1': ${psql_ms} ms   schemagate upgrade at head: ${runner_ms} ms   ratio: $(ratio "$runner_ms" "$psql_ms")"
    echo "  of which before connecting (schemagate heads, no database): ${offline_ms} ms   ratio to psql: $(ratio "$offline_ms" "$psql_ms")"
    if [[ -n ${SCHEMAGATE_BEFORE:-} ]]; then
      start=$(now_ns)
      for _ in $(seq 1 "$runs"); do
        DATABASE_URL=$url "$SCHEMAGATE_BEFORE" --dir "$dir" --log-level warn upgrade heads
      done
      before_ms=$(elapsed_ms "$start")
      start=$(now_ns)
      for _ in $(seq 1 "$runs"); do "$SCHEMAGATE_BEFORE" --dir "$dir" --log-level warn heads >/dev/null; done
      before_offline_ms=$(elapsed_ms "$start")
      echo "  before ($SCHEMAGATE_BEFORE): upgrade at head ${before_ms} ms, ratio $(ratio "$before_ms" "$psql_ms"); heads ${before_offline_ms} ms"
    fi
  done
fi

if wants race; then
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
fi
