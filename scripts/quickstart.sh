#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, starts a
# throwaway PostgreSQL and runs schemagate on the bundled library example.
# With --keep the server stays up and its URL is printed. With --kube it
# shows the operator on a local Kubernetes instead (scripts/quickstart-kube.sh).
# With --sqlite it runs the tutorial on SQLite instead, no server at all
# (examples/library-sqlite); --keep then keeps the database file.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
keep=false
kube=false
sqlite=false
for argument in "$@"; do
  case $argument in
    --kube) kube=true ;;
    --keep) keep=true ;;
    --sqlite) sqlite=true ;;
    *) echo "usage: quickstart.sh [--keep] [--kube | --sqlite]" >&2; exit 2 ;;
  esac
done
if $kube; then
  if $keep; then exec scripts/quickstart-kube.sh --keep; fi
  exec scripts/quickstart-kube.sh
fi

scripts/setup.sh
# Only the runner: the tests, benchmarks and operator build with scripts/test.sh,
# into the same build directory, reusing what this compiled.
TARGETS=schemagate scripts/build.sh
schemagate=$PWD/${BUILD_DIR:-build}/runner/schemagate
step() { printf '\n$ schemagate %s\n' "$*"; "$schemagate" "$@"; }

if $sqlite; then
  dbdir=$(mktemp -d /tmp/schemagate-sqlite.XXXXXX)
  $keep || trap 'rm -rf "$dbdir"' EXIT
  export DATABASE_URL=sqlite:///$dbdir/test.db
  cd examples/library-sqlite
  step upgrade heads
  step current
  step downgrade -1
  step current
  step downgrade base
  step upgrade heads
  if $keep; then
    printf '\nThe SQLite database stays: export DATABASE_URL=%s\n' "$DATABASE_URL"
  fi
  exit 0
fi

pgdir=$(mktemp -d /tmp/schemagate-pg.XXXXXX)
$keep || trap '"$root/scripts/pg.sh" stop "$pgdir"' EXIT
scripts/pg.sh start "$pgdir"
set -a
# shellcheck disable=SC1091
source "$pgdir/env"
set +a

cd examples/library
step history
step branches
step upgrade heads
step current
step check
step downgrade -1
step current
step upgrade heads

if $keep; then
  printf '\nPostgreSQL keeps running: export DATABASE_URL=%s\n' "$DATABASE_URL"
  printf 'stop it with: %s/scripts/pg.sh stop %s\n' "$root" "$pgdir"
fi
