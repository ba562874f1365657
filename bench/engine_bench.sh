#!/usr/bin/env bash
# The runner against psql on the same server in the same run:
#   1. applying N generated migrations from empty vs `psql -X -1 -f` of the same SQL;
#   2. downgrading all N to base vs `psql -X -1 -f` of the down SQL, and vs psql
#      running it one transaction per revision (the floor when each revision
#      commits: a commit that drops a table always flushes the WAL);
#   3. a run when already at head vs `psql -X -c 'select 1'`, for histories of
#      AT_HEAD_SIZES revisions (default "1000 10000"; issue 22 part 2), and the
#      runner's own part of it: `schemagate heads`, which loads the directory
#      and resolves the heads without connecting; AT_HEAD_RUNS runs of each
#      (default 20), taking turns, with their total and median;
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
at_head_runs=${AT_HEAD_RUNS:-20}
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
  # PostgreSQL flushes the WAL at the commit of any transaction that dropped a
  # relation, whatever synchronous_commit says (the files are unlinked at
  # commit, so the commit record must be on disk first). One commit per revision
  # therefore costs one flush per revision here, which psql -1 does not pay: the
  # second baseline is psql running the same down SQL one transaction per
  # revision, asynchronous but the last, as the runner does. WAL flushes are
  # counted from pg_stat_wal for each.
  wal_syncs() { "$psql_bin" -X -At -d "$admin" -c 'SELECT wal_sync FROM pg_stat_wal'; }
  awk -v n="$count" '{ async = (NR < n ? " SET LOCAL synchronous_commit = off;" : "")
                       print "BEGIN;" async " " $0 " COMMIT;" }' "$work/down.sql" >"$work/down_each.sql"
  create_db bench_each
  "$psql_bin" -X -q -1 -v ON_ERROR_STOP=1 -f "$work/all.sql" -d "$(db_url bench_each)" >/dev/null
  echo "== downgrade all $count to base"
  syncs=$(wal_syncs)
  start=$(now_ns)
  "$psql_bin" -X -q -1 -v ON_ERROR_STOP=1 -f "$work/down.sql" -d "$(db_url bench_psql)" >/dev/null
  psql_ms=$(elapsed_ms "$start")
  psql_syncs=$(( $(wal_syncs) - syncs ))
  syncs=$(wal_syncs)
  start=$(now_ns)
  "$psql_bin" -X -q -v ON_ERROR_STOP=1 -f "$work/down_each.sql" -d "$(db_url bench_each)" >/dev/null
  each_ms=$(elapsed_ms "$start")
  each_syncs=$(( $(wal_syncs) - syncs ))
  syncs=$(wal_syncs)
  start=$(now_ns)
  DATABASE_URL=$(db_url bench_runner) "$schemagate" --dir "$project" --log-level warn downgrade base
  runner_ms=$(elapsed_ms "$start")
  runner_syncs=$(( $(wal_syncs) - syncs ))
  echo "psql -1 -f: ${psql_ms} ms (${psql_syncs} WAL flushes)   schemagate downgrade base: ${runner_ms} ms (${runner_syncs} WAL flushes)   ratio: $(ratio "$runner_ms" "$psql_ms")"
  echo "psql -f, a transaction per revision: ${each_ms} ms (${each_syncs} WAL flushes)   ratio against it: $(ratio "$runner_ms" "$each_ms")"
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
    echo "== a run at head, $size revisions ($at_head_runs runs each, taking turns)"
    dir=$(at_head_project "$size")
    create_db "at_head_$size"
    url=$(db_url "at_head_$size")
    "$schemagate" --dir "$dir" --log-level warn upgrade heads --sql |
      PGOPTIONS='-c synchronous_commit=off' "$psql_bin" -X -q -v ON_ERROR_STOP=1 -d "$url" >/dev/null
    DATABASE_URL=$url "$schemagate" --dir "$dir" --log-level warn check
    # The commands take turns, run after run, so that a machine whose load
    # changes meanwhile weighs on each alike; each one's total and median run.
    : >"$work/psql.us"; : >"$work/runner.us"; : >"$work/offline.us"
    : >"$work/before.us"; : >"$work/before_offline.us"
    timed() {  # timed FILE COMMAND...: appends the command's wall time (µs) to FILE
      local file=$1 start end
      shift
      start=${EPOCHREALTIME/./}  # bash's own clock: no process started to read it
      "$@" >/dev/null
      end=${EPOCHREALTIME/./}
      echo $(( end - start )) >>"$file"
    }
    for _ in $(seq 1 "$at_head_runs"); do
      timed "$work/psql.us" "$psql_bin" -X -q -c 'select 1' -d "$url"
      DATABASE_URL=$url timed "$work/runner.us" "$schemagate" --dir "$dir" --log-level warn upgrade heads
      timed "$work/offline.us" "$schemagate" --dir "$dir" --log-level warn heads
      if [[ -n ${SCHEMAGATE_BEFORE:-} ]]; then
        DATABASE_URL=$url timed "$work/before.us" "$SCHEMAGATE_BEFORE" --dir "$dir" --log-level warn upgrade heads
        timed "$work/before_offline.us" "$SCHEMAGATE_BEFORE" --dir "$dir" --log-level warn heads
      fi
    done
    total_ms() { awk '{ s += $1 } END { printf "%d", s / 1e3 }' "$1"; }
    median_ms() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] / 1e3 }'; }
    psql_ms=$(total_ms "$work/psql.us") runner_ms=$(total_ms "$work/runner.us")
    offline_ms=$(total_ms "$work/offline.us")
    echo "psql -c 'select 1': ${psql_ms} ms (median $(median_ms "$work/psql.us"))   schemagate upgrade at head: ${runner_ms} ms (median $(median_ms "$work/runner.us"))   ratio: $(ratio "$runner_ms" "$psql_ms")"
    echo "  of which before connecting (schemagate heads, no database): ${offline_ms} ms (median $(median_ms "$work/offline.us"))   ratio to psql: $(ratio "$offline_ms" "$psql_ms")"
    if [[ -n ${SCHEMAGATE_BEFORE:-} ]]; then
      before_ms=$(total_ms "$work/before.us") before_offline_ms=$(total_ms "$work/before_offline.us")
      echo "  before ($SCHEMAGATE_BEFORE): upgrade at head ${before_ms} ms (median $(median_ms "$work/before.us")), ratio $(ratio "$before_ms" "$psql_ms"); heads ${before_offline_ms} ms (median $(median_ms "$work/before_offline.us"))"
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
