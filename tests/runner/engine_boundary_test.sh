#!/usr/bin/env bash
# The runner's database boundary (docs/design.md, "The database engine"):
# outside the engines' own directories (runner/postgres/, runner/sqlite/), no
# file includes the PostgreSQL driver or holds the runner's own SQL (catalog
# and lock queries, bookkeeping statements). Everything else reaches the
# database through engine::Database.
set -uo pipefail
root=${1:?usage: engine_boundary_test.sh SOURCE_DIR}
cd "$root/runner" || exit 1
driver='#include <pqxx'
sql='"(SELECT|INSERT INTO|DELETE FROM|UPDATE) |to_regclass\(|(FROM|JOIN) pg_|pg_advisory|pg_stat_|pg_locks|pg_backend_pid'
failed=0
for pattern in "$driver" "$sql"; do
  found=$(grep -rnE --include='*.cpp' --include='*.h' "$pattern" . | grep -v '^\./postgres/' |
    grep -v '^\./sqlite/')
  if [[ -n $found ]]; then
    echo "FAIL: outside runner/postgres/ and runner/sqlite/, matching /$pattern/:"
    echo "$found"
    failed=1
  fi
done
# The check must see the files it guards: the PostgreSQL side has both.
if ! grep -rqE "$driver" postgres/ || ! grep -rqE "$sql" postgres/; then
  echo "FAIL: runner/postgres/ holds no driver include or SQL: the patterns are stale"
  failed=1
fi
[[ $failed == 0 ]] && echo "ok: the driver and the runner's SQL stay in runner/postgres/ (and SQLite's in runner/sqlite/)"
exit $failed
