# Sourced by the benchmarks: starts a throwaway PostgreSQL for this run and
# sets root, work, PGBIN, DATABASE_URL and psql_bin; everything goes on exit.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d /tmp/schemagate-bench.XXXXXX)
chmod 755 "$work"  # the server runs as another user
pgdir=$work/pg
trap '"$root/scripts/pg.sh" stop "$pgdir"; rm -rf "$work"' EXIT
"$root/scripts/pg.sh" start "$pgdir" >/dev/null
set -a
# shellcheck disable=SC1091
source "$pgdir/env"
set +a
psql_bin=$PGBIN/psql
now_ns() { date +%s%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
