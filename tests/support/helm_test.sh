# shellcheck shell=bash
# Sourced by the Helm tests once `source_dir`, `work`, `database` and
# `namespace` are set: the real helm and kubectl from .tools, psql on the
# test server, checks.sh, and a cleanup on exit that drops the namespace,
# the database and the work directory.
: "${source_dir:?}" "${work:?}" "${database:?}" "${namespace:?}"
: "${SCHEMAGATE_TEST_DATABASE_URL:?run through scripts/test.sh, which starts PostgreSQL}"
helm=$source_dir/.tools/bin/helm
kubectl=$source_dir/.tools/bin/kubectl
psql() { PGOPTIONS='-c client_min_messages=warning' "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
cleanup() {
  "$kubectl" delete namespace "$namespace" --ignore-not-found --wait=false >/dev/null 2>&1
  psql -d "$SCHEMAGATE_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools "$helm" "$kubectl" jq
quiet() { "$@" >"$work/out" 2>&1 || { sed 's/^/  /' "$work/out"; return 1; }; }
