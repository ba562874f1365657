#!/usr/bin/env bash
# The real binary maps errors to the documented exit codes, keeps results on
# stdout and logs on stderr. Usage: exit_codes_test.sh SCHEMAGATE EXAMPLE_DIR
set -u
schemagate=$1
example=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

expect() {  # expect CODE DESCRIPTION -- COMMAND...
  local want=$1 what=$2
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [[ $got -ne $want ]]; then
    echo "FAIL: $what: exit $got, want $want"; cat "$work/err"; failures=$((failures + 1))
  else
    echo "ok: $what"
  fi
}

expect 0 "heads of the example" -- "$schemagate" --config "$example/schemagate.yaml" heads
grep -qx 'a84e1c9b3d72 (head)' "$work/out" || { echo "FAIL: heads output: $(cat "$work/out")"; failures=$((failures + 1)); }
[[ ! -s "$work/err" ]] || { echo "FAIL: heads wrote to stderr"; failures=$((failures + 1)); }

expect 0 "history of the example" -- "$schemagate" --config "$example/schemagate.yaml" history
[[ $(wc -l <"$work/out") -eq 7 ]] || { echo "FAIL: history has $(wc -l <"$work/out") lines, want 7"; failures=$((failures + 1)); }

mkdir -p "$work/bad/versions"
printf -- '-- schemagate:revision 0123456789ab\n-- schemagate:parents ba9876543210\n-- schemagate:up\n' \
  >"$work/bad/versions/0123456789ab_orphan.sql"
expect 2 "unknown parent exits 2" -- "$schemagate" --dir "$work/bad" heads
grep -q '0123456789ab_orphan.sql:2: parent ba9876543210' "$work/err" || { echo "FAIL: message: $(cat "$work/err")"; failures=$((failures + 1)); }

expect 2 "unknown command exits 2" -- "$schemagate" frobnicate
expect 2 "JSON logs for errors" -- "$schemagate" --log-format json --dir "$work/nowhere" heads
grep -q '^{"time":"[^"]*","level":"error","msg":"migration directory' "$work/err" || { echo "FAIL: json: $(cat "$work/err")"; failures=$((failures + 1)); }

echo "$((7 - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
