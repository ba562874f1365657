#!/usr/bin/env bash
# Inputs that used to crash or hang the real binary: each must end promptly
# with a typed exit code and a message naming the culprit.
# Usage: hostile_input_test.sh SCHEMAGATE
set -u
schemagate=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
checks=0

expect() {  # expect CODE PATTERN DESCRIPTION -- COMMAND...
  local want=$1 pattern=$2 what=$3
  shift 4
  checks=$((checks + 1))
  timeout 60 "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [[ $got -ne $want ]] || ! grep -q -- "$pattern" "$work/out" "$work/err"; then
    echo "FAIL: $what: exit $got, want $want and '$pattern'"; head -c 2000 "$work/err"
    failures=$((failures + 1))
  else
    echo "ok: $what"
  fi
}

migration() {  # migration DIR ID BODY
  mkdir -p "$1/versions"
  printf -- '-- schemagate:revision %s\n-- schemagate:up\n%s\n' "$2" "$3" >"$1/versions/$2_x.sql"
}

migration "$work/loop" aaaaaaaaaaa1 'SELECT 1;'
ln -s self.sql "$work/loop/versions/self.sql"
expect 2 'self.sql: ' "a link to itself in versions/" -- "$schemagate" --dir "$work/loop" heads

migration "$work/plain" aaaaaaaaaaa1 'SELECT 1;'
expect 2 '/dev/zero: larger than' "--database-url-file /dev/zero" -- \
  "$schemagate" --database-url-file /dev/zero --dir "$work/plain" current

migration "$work/deep" aaaaaaaaaaa1 "SELECT 1$(printf '+1%.0s' $(seq 100000));"
expect 0 'SELECT 1+1+1' "a 100,000-term expression, offline" -- \
  "$schemagate" --dir "$work/deep" upgrade --sql

migration "$work/nul" aaaaaaaaaaa1 'SELECT 1;'
printf 'SELECT 2;\0DROP TABLE t;\n' >>"$work/nul/versions/aaaaaaaaaaa1_x.sql"
expect 2 'aaaaaaaaaaa1_x.sql:4: a NUL byte' "a NUL byte in a body" -- \
  "$schemagate" --dir "$work/nul" upgrade --sql

expect 2 'no revision' "a target of 47,000 characters" -- \
  "$schemagate" --dir "$work/deep" show "$(head -c 47000 /dev/zero | tr '\0' a)"

mkdir -p "$work/dbmate"
{ printf -- '-- migrate:up '; head -c 100000 /dev/zero | tr '\0' x; printf '\nSELECT 1;\n'; } \
  >"$work/dbmate/1_tail.sql"
{ head -c 100000 /dev/zero | tr '\0' ' '; printf '\n-- migrate:up\nSELECT 2;\n'; } \
  >"$work/dbmate/2_blanks.sql"
expect 0 'imported' "import of dbmate marker lines with a 100 KB tail" -- \
  "$schemagate" --dir "$work/imported" import --from dbmate "$work/dbmate"

echo "$((checks - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
