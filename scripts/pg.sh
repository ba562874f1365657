#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for the quick start, the tests and
# the benchmarks. It runs as a non-root user (postgres when started by root),
# authenticates with scram-sha-256, and lives entirely inside DIR.
#
#   scripts/pg.sh start DIR   init and run it; DIR/env then holds DATABASE_URL and PGBIN
#   scripts/pg.sh init DIR    only create it (DIR/env is written; nothing listens yet)
#   scripts/pg.sh run DIR     run a server made by init
#   scripts/pg.sh stop DIR    stop it and delete DIR
set -euo pipefail

command=${1:?usage: pg.sh start|stop DIR}
dir=${2:?usage: pg.sh start|stop DIR}
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# shellcheck source=scripts/free_port.sh
source "$(dirname "$0")/free_port.sh"

init() {
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$dir"; fi
    password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    as_owner bash -c "umask 077; printf '%s\n' '$password' >'$dir/pwfile'"
    as_owner "$pgbin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
      --auth=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log"
    port=$(free_port)
    cat >"$dir/env" <<ENV
DATABASE_URL=postgresql://postgres:$password@127.0.0.1:$port/postgres
PGBIN=$pgbin
PGPORT=$port
ENV
    chmod 644 "$dir/env"
}

run() {
    port=$(sed -n 's/^PGPORT=//p' "$dir/env")
    # Durability settings are off: this server is thrown away after the run.
    # PG_DURABLE=1 keeps PostgreSQL's defaults (fsync on), for crash tests and
    # benchmarks that measure commits.
    local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    if [[ ${PG_DURABLE:-0} == 1 ]]; then durability="-c fsync=on"; fi
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 $durability" \
      >/dev/null
}

case $command in
  init) init ;;
  run) run ;;
  start) init; run ;;
  stop)
    if [[ -d $dir/data ]]; then
      as_owner "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg.sh start|init|run|stop DIR" >&2
    exit 2
    ;;
esac
