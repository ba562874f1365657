#!/usr/bin/env bash
# `schemagate lint` as CI runs it: the examples lint clean, a hazard exits 1
# with file and line, warnings alone exit 0, bad usage exits 2, and the SARIF
# and JSON outputs are what code review tools read.
# Usage: lint_test.sh SCHEMAGATE EXAMPLES_DIR
set -u
schemagate=$(realpath "$1")
examples=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/support/checks.sh
source "$(dirname "$0")/../../support/checks.sh"

# Every example project with a schemagate.yaml lints clean, without a database.
for config in "$examples"/*/schemagate.yaml; do
  expect_exit 0 "$(basename "$(dirname "$config")") lints clean" -- \
    env -u DATABASE_URL "$schemagate" --config "$config" lint
  grep -q '^0 error(s), 0 warning(s)' "$work/out" || fail "example findings: $(cat "$work/out")"
done

project=$work/project
mkdir -p "$project/versions"
revision() {  # revision ID PARENT HEADER BODY
  { echo "-- schemagate:revision $1"
    [[ -n $2 ]] && echo "-- schemagate:parents $2"
    [[ -n $3 ]] && printf '%s\n' "$3"
    echo "-- schemagate:up"
    printf '%s\n' "$4"; } >"$project/versions/$1_r.sql"
}
revision aaaaaaaaaaaa "" "" "CREATE TABLE accounts (id bigint PRIMARY KEY, email text);"
revision bbbbbbbbbbbb aaaaaaaaaaaa "" "$(printf 'SELECT 1;\nCREATE INDEX accounts_email_idx ON accounts (email);')"

expect_exit 1 "a blocking CREATE INDEX exits 1" -- env -u DATABASE_URL "$schemagate" --dir "$project" lint
grep -q "bbbbbbbbbbbb_r.sql:5: error \[require-concurrent-index-creation\]" "$work/out" ||
  fail "text finding: $(cat "$work/out")"
grep -q "locks: SHARE on accounts, held for the whole index build" "$work/out" ||
  fail "lock line: $(cat "$work/out")"

revision cccccccccccc bbbbbbbbbbbb "" "ALTER TABLE accounts ADD COLUMN name text;"
expect_exit 0 "ALTER TABLE under the runner's lock_timeout" -- env -u DATABASE_URL "$schemagate" --dir "$project" lint cccccccccccc
expect_exit 1 "ALTER TABLE with --statement-lock-timeout 0" -- env -u DATABASE_URL "$schemagate" --dir "$project" lint cccccccccccc --statement-lock-timeout 0
grep -q "cccccccccccc_r.sql:4: error \[require-lock-timeout\]" "$work/out" || fail "lock timeout finding: $(cat "$work/out")"
rm "$project/versions/cccccccccccc_r.sql"
expect_exit 0 "only the named revision" -- env -u DATABASE_URL "$schemagate" --dir "$project" lint aaaaaaaaaaaa
expect_exit 1 "--since the first revision" -- env -u DATABASE_URL "$schemagate" --dir "$project" lint --since aaaaaaaaaaaa
expect_exit 2 "revisions and --since together" -- env -u DATABASE_URL "$schemagate" --dir "$project" lint aaaaaaaaaaaa --since aaaaaaaaaaaa
expect_exit 2 "upgrade --safety-checks with --sql" -- env -u DATABASE_URL "$schemagate" --dir "$project" upgrade --sql --safety-checks
expect_exit 2 "an unknown format" -- env -u DATABASE_URL "$schemagate" --dir "$project" lint --format xml

expect_exit 1 "SARIF output" -- env -u DATABASE_URL "$schemagate" --dir "$project" lint --format sarif
grep -q '"version":"2.1.0"' "$work/out" || fail "sarif version: $(cat "$work/out")"
grep -q '"ruleId":"require-concurrent-index-creation"' "$work/out" || fail "sarif result"
grep -q '"region":{"startLine":5}' "$work/out" || fail "sarif region"
if command -v python3 >/dev/null; then
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["runs"][0]; assert r["tool"]["driver"]["rules"]; assert r["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]' "$work/out" ||
    fail "sarif is not the expected JSON"
fi

# A project level lowers the rule: warnings alone exit 0.
printf 'directory: .\nlint:\n  rules:\n    require-concurrent-index-creation: warning\n' >"$project/schemagate.yaml"
expect_exit 0 "a rule lowered to a warning exits 0" -- env -u DATABASE_URL "$schemagate" --config "$project/schemagate.yaml" lint --format json
grep -q '"errors":0,"warnings":1' "$work/out" || fail "json summary: $(cat "$work/out")"

printf 'directory: .\nlint:\n  rules:\n    no-such-rule: off\n' >"$project/schemagate.yaml"
expect_exit 2 "an unknown rule in schemagate.yaml exits 2" -- env -u DATABASE_URL "$schemagate" --config "$project/schemagate.yaml" lint
grep -q "schemagate.yaml:4: unknown lint rule 'no-such-rule'" "$work/err" || fail "message: $(cat "$work/err")"
rm "$project/schemagate.yaml"

# A reasoned ignore accepts the finding; an unknown rule id is refused by file and line.
revision bbbbbbbbbbbb aaaaaaaaaaaa "-- schemagate:lint-ignore require-concurrent-index-creation accounts is empty at this point" \
  "CREATE INDEX accounts_email_idx ON accounts (email);"
expect_exit 0 "a lint-ignore with its reason" -- env -u DATABASE_URL "$schemagate" --dir "$project" lint
revision bbbbbbbbbbbb aaaaaaaaaaaa "-- schemagate:lint-ignore require-everything because" "SELECT 1;"
expect_exit 2 "a lint-ignore of an unknown rule" -- env -u DATABASE_URL "$schemagate" --dir "$project" lint
grep -q "bbbbbbbbbbbb_r.sql:3: unknown lint rule 'require-everything'" "$work/err" || fail "message: $(cat "$work/err")"

finish
