#!/usr/bin/env bash
# How promptly waiters learn of the lock holder's end: 32 copies of the runner
# racing on an empty database against one runner alone, same run, same history
# of N one-table migrations (default 200). Each lock mode, and a mixed fleet
# (half advisory, half table). Prints each ratio; the aim is at most 2 on 2
# cores. The last line is the floor no lock can remove: 32 runners starting,
# connecting (SCRAM) and finding nothing to do, against one.
# Usage: bench/lock_bench.sh [N]. Needs a build (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}
# shellcheck source=bench/throwaway_server.sh
source bench/throwaway_server.sh
schemagate=$root/${BUILD_DIR:-build}/runner/schemagate
admin=$DATABASE_URL

db_url() { echo "${admin%/*}/$1"; }
create_db() { "$psql_bin" -X -q -d "$admin" -c "CREATE DATABASE $1" >/dev/null; }
elapsed_ms() { echo $(( ($(now_ns) - $1) / 1000000 )); }

project=$work/project
mkdir -p "$project/versions"
parent=""
for i in $(seq 1 "$count"); do
  id=$(printf '%012x' "$i")
  {
    echo "-- schemagate:revision $id"
    [[ -n $parent ]] && echo "-- schemagate:parents $parent"
    echo "-- schemagate:message table $i"
    echo
    echo "-- schemagate:up"
    echo "CREATE TABLE t_$i (id bigint PRIMARY KEY);"
  } >"$project/versions/${id}_table_$i.sql"
  parent=$id
done

run() {  # run DB MODE...: one runner per mode given, all at once; prints ms
  local db=$1 start pids=()
  shift
  create_db "$db"
  start=$(now_ns)
  for mode in "$@"; do
    DATABASE_URL=$(db_url "$db") "$schemagate" --dir "$project" --log-level warn \
      upgrade heads --lock-timeout 600 --lock-mode "$mode" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  elapsed_ms "$start"
}

repeat() { local n=$1 word=$2 out=(); for _ in $(seq 1 "$n"); do out+=("$word"); done; echo "${out[@]}"; }

for mode in advisory table mixed; do
  if [[ $mode == mixed ]]; then
    one_ms=$(run "one_$mode" advisory)
    # shellcheck disable=SC2046
    race_ms=$(run "race_$mode" $(repeat 16 advisory) $(repeat 16 table))
  else
    one_ms=$(run "one_$mode" "$mode")
    # shellcheck disable=SC2046
    race_ms=$(run "race_$mode" $(repeat 32 "$mode"))
  fi
  echo "$mode: one runner ${one_ms} ms   32 racing: ${race_ms} ms   ratio: $(ratio "$race_ms" "$one_ms")"
done

run noop advisory >/dev/null
noop_one_start=$(now_ns)
DATABASE_URL=$(db_url noop) "$schemagate" --dir "$project" --log-level warn upgrade heads
noop_one_ms=$(elapsed_ms "$noop_one_start")
noop_start=$(now_ns)
pids=()
for _ in $(seq 1 32); do
  DATABASE_URL=$(db_url noop) "$schemagate" --dir "$project" --log-level warn upgrade heads &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
noop_ms=$(elapsed_ms "$noop_start")
echo "at head (nothing to do): one runner ${noop_one_ms} ms   32 at once: ${noop_ms} ms"
