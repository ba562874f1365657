#!/usr/bin/env bash
# Both binaries' log lines as a log pipeline reads them: in JSON, every line
# parses (jq), is well-formed UTF-8 (iconv) and holds no raw control
# character, whatever bytes the message held; in text, every line starts with
# a time that carries its offset from UTC.
# Usage: log_lines_test.sh SCHEMAGATE SCHEMAGATE_OPERATOR
set -u
schemagate=$1
operator=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/support/checks.sh
source "$(dirname "$0")/../../support/checks.sh"
require_tools jq iconv
hostile=$'dir "quoted" \\ back\x01\x1f\x7f tab\t bad\xff\xc3 utf8 \xc3\xa9'

json_lines() {  # json_lines FILE: every line a JSON log line with an RFC 3339 UTC time, UTF-8, no raw control character
  local file=$1
  [[ -s $file ]] || { echo "  no log line"; return 1; }
  while IFS= read -r line; do
    jq -e '.time and .level and .msg' <<<"$line" >/dev/null 2>&1 ||
      { echo "  not a JSON log line: $line"; return 1; }
    jq -e '.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$")' \
      <<<"$line" >/dev/null || { echo "  time is not RFC 3339 UTC: $line"; return 1; }
  done <"$file"
  iconv -f UTF-8 -t UTF-8 "$file" >/dev/null 2>&1 || { echo "  not UTF-8"; return 1; }
  ! LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f]' "$file" || { echo "  raw control character"; return 1; }
}

text_line() {  # text_line FILE: the first line starts with a time that carries its UTC offset
  [[ -s $1 ]] || { echo "  no log line"; return 1; }
  head -1 "$1" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}([+-][0-9]{2}:[0-9]{2}|Z) (info|warning|error) ' ||
    { echo "  time without offset: $(head -1 "$1")"; return 1; }
}

"$schemagate" --log-format json --dir "$work/$hostile" heads 2>"$work/runner.json" >/dev/null
check "schemagate, a hostile directory name" json_lines "$work/runner.json"
check "the message keeps its text" grep -q 'dir "quoted" \\ back' <(jq -r .msg "$work/runner.json")
"$operator" --log-format json --kubeconfig "$work/$hostile" 2>"$work/operator.json" >/dev/null
check "schemagate-operator, a hostile kubeconfig path" json_lines "$work/operator.json"

"$schemagate" --dir "$work/nowhere" heads 2>"$work/runner.txt" >/dev/null
check "schemagate text" text_line "$work/runner.txt"
"$operator" --kubeconfig "$work/nowhere" 2>"$work/operator.txt" >/dev/null
check "schemagate-operator text" text_line "$work/operator.txt"
TZ=Asia/Kolkata "$schemagate" --dir "$work/nowhere" heads 2>"$work/runner-tz.txt" >/dev/null
check "schemagate text in another time zone" text_line "$work/runner-tz.txt"

finish
