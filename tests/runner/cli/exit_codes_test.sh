#!/usr/bin/env bash
# The real binary maps errors to the documented exit codes, keeps results on
# stdout and logs on stderr. Usage: exit_codes_test.sh SCHEMAGATE EXAMPLE_DIR
set -u
schemagate=$1
example=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/support/checks.sh
source "$(dirname "$0")/../../support/checks.sh"

expect_exit 0 "heads of the example" -- "$schemagate" --config "$example/schemagate.yaml" heads
grep -qx 'a84e1c9b3d72 (head)' "$work/out" || fail "heads output: $(cat "$work/out")"
[[ ! -s "$work/err" ]] || fail "heads wrote to stderr"

expect_exit 0 "history of the example" -- "$schemagate" --config "$example/schemagate.yaml" history
[[ $(wc -l <"$work/out") -eq 7 ]] || fail "history has $(wc -l <"$work/out") lines, want 7"

mkdir -p "$work/bad/versions"
printf -- '-- schemagate:revision 0123456789ab\n-- schemagate:parents ba9876543210\n-- schemagate:up\n' \
  >"$work/bad/versions/0123456789ab_orphan.sql"
expect_exit 2 "unknown parent exits 2" -- "$schemagate" --dir "$work/bad" heads
grep -q '0123456789ab_orphan.sql:2: parent ba9876543210' "$work/err" || fail "message: $(cat "$work/err")"

expect_exit 2 "unknown command exits 2" -- "$schemagate" frobnicate
expect_exit 2 "JSON logs for errors" -- "$schemagate" --log-format json --dir "$work/nowhere" heads
grep -q '^{"time":"[^"]*","level":"error","msg":"migration directory' "$work/err" || fail "json: $(cat "$work/err")"

finish
