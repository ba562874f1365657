#!/usr/bin/env bash
# A crash mid-plan leaves a prefix of the plan, each revision with its version
# row: the runner commits every step but the last asynchronously (executor.h).
# A real PostgreSQL with fsync on; the runner is killed -9 once a few steps have
# committed and the server stopped at once with `pg_ctl stop -m immediate`
# (no checkpoint, WAL not yet flushed is lost), then restarted. The version row
# must name revision k, tables t_1..t_k exist, t_(k+1) does not, and the history
# holds exactly k successful ups. Then a rerun completes the plan.
# Usage: crash_durability_test.sh SCHEMAGATE PROJECT_SOURCE_DIR
set -euo pipefail
schemagate=$1
source_dir=$2
count=400
work=$(mktemp -d)
chmod 755 "$work"
pgdir=$work/pg
runner_pid=""
cleanup() {
  if [[ -n $runner_pid ]]; then kill -9 "$runner_pid" 2>/dev/null || true; fi
  "$source_dir/scripts/pg.sh" stop "$pgdir"
  rm -rf "$work"
}
trap cleanup EXIT
PG_DURABLE=1 "$source_dir/scripts/pg.sh" start "$pgdir" >/dev/null
set -a
# shellcheck disable=SC1091
source "$pgdir/env"
set +a
as_owner() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
sql() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -c "$1"; }
[[ $(sql 'SHOW fsync') == on ]] || { echo "FAIL: the server runs with fsync off"; exit 1; }

mkdir -p "$work/project/versions"
parent=""
for i in $(seq 1 "$count"); do
  id=$(printf 'r%05d' "$i")
  {
    echo "-- schemagate:revision $id"
    [[ -n $parent ]] && echo "-- schemagate:parents $parent"
    echo "-- schemagate:message table $i"
    echo "-- schemagate:up"
    echo "CREATE TABLE t_$i (id bigint PRIMARY KEY, name text);"
    echo "CREATE INDEX t_${i}_name ON t_$i (name);"
  } >"$work/project/versions/${id}_t$i.sql"
  parent=$id
done

check_prefix() {  # the database holds revisions 1..k of the plan and nothing else
  local what=$1 version k tables ups
  version=$(sql "SELECT string_agg(version_num, ',') FROM schemagate_version")
  if [[ -z $version ]]; then k=0; else k=$((10#${version#r})); fi
  [[ $version == "" || $version == $(printf 'r%05d' "$k") ]] ||
    { echo "FAIL: $what: version rows '$version'"; exit 1; }
  tables=$(sql "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname ~ '^t_[0-9]+\$'")
  [[ $tables -eq $k ]] || { echo "FAIL: $what: version r$k but $tables tables"; exit 1; }
  if [[ $k -gt 0 ]]; then
    [[ $(sql "SELECT to_regclass('t_$k') IS NOT NULL AND to_regclass('t_${k}_name') IS NOT NULL") == t ]] ||
      { echo "FAIL: $what: t_$k or its index is missing"; exit 1; }
  fi
  ups=$(sql "SELECT count(*) FROM schemagate_history WHERE direction = 'up' AND outcome = 'succeeded'")
  [[ $ups -eq $k ]] || { echo "FAIL: $what: $ups history rows for $k revisions"; exit 1; }
  echo "ok: $what: a prefix of $k of $count revisions, each with its table, index and history row"
}

DATABASE_URL=$DATABASE_URL "$schemagate" --dir "$work/project" --log-level warn upgrade heads &
runner_pid=$!
# Wait until some steps have committed (a condition, not a time); the runner is
# then mid-plan, with asynchronous commits whose WAL may not be on disk yet.
until [[ $(sql "SELECT coalesce((SELECT count(*) FROM schemagate_history), 0)" 2>/dev/null || echo 0) -ge 20 ]]; do
  kill -0 "$runner_pid" 2>/dev/null || { echo "FAIL: the runner ended before it was killed"; exit 1; }
  sleep 0.05
done
kill -9 "$runner_pid"
as_owner "$PGBIN/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null
wait "$runner_pid" 2>/dev/null || true
runner_pid=""
PG_DURABLE=1 "$source_dir/scripts/pg.sh" run "$pgdir"
check_prefix "after kill -9 and an immediate server stop"
[[ $(sql "SELECT count(*) FROM schemagate_version") -eq 1 ]] ||
  { echo "FAIL: nothing survived the crash; the test proves nothing"; exit 1; }

DATABASE_URL=$DATABASE_URL "$schemagate" --dir "$work/project" --log-level warn upgrade heads
check_prefix "after a rerun"
[[ $(sql "SELECT version_num FROM schemagate_version") == $(printf 'r%05d' "$count") ]] ||
  { echo "FAIL: the rerun did not reach head"; exit 1; }
# The rerun's last commit was durable: a crash right after success loses nothing.
as_owner "$PGBIN/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null
PG_DURABLE=1 "$source_dir/scripts/pg.sh" run "$pgdir"
check_prefix "after an immediate server stop right after success"
[[ $(sql "SELECT version_num FROM schemagate_version") == $(printf 'r%05d' "$count") ]] ||
  { echo "FAIL: a reported success was lost in the crash"; exit 1; }
