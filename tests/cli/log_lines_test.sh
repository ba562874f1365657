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
failures=0
passed=0
hostile=$'dir "quoted" \\ back\x01\x1f\x7f tab\t bad\xff\xc3 utf8 \xc3\xa9'

check_json() {  # check_json WHAT FILE
  local what=$1 file=$2 lines=0
  [[ -s $file ]] || { echo "FAIL: $what: no log line"; failures=$((failures + 1)); return; }
  while IFS= read -r line; do
    lines=$((lines + 1))
    if ! jq -e '.time and .level and .msg' <<<"$line" >/dev/null 2>&1; then
      echo "FAIL: $what: not a JSON log line: $line"; failures=$((failures + 1)); return
    fi
    if ! jq -e '.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$")' \
        <<<"$line" >/dev/null; then
      echo "FAIL: $what: time is not RFC 3339 UTC: $line"; failures=$((failures + 1)); return
    fi
  done <"$file"
  if ! iconv -f UTF-8 -t UTF-8 "$file" >/dev/null 2>&1; then
    echo "FAIL: $what: not UTF-8"; failures=$((failures + 1)); return
  fi
  if LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f]' "$file"; then
    echo "FAIL: $what: raw control character"; failures=$((failures + 1)); return
  fi
  passed=$((passed + 1))
}

check_text() {  # check_text WHAT FILE
  local what=$1 file=$2
  [[ -s $file ]] || { echo "FAIL: $what: no log line"; failures=$((failures + 1)); return; }
  if head -1 "$file" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}([+-][0-9]{2}:[0-9]{2}|Z) (info|warning|error) '; then
    passed=$((passed + 1))
  else
    echo "FAIL: $what: time without offset: $(head -1 "$file")"; failures=$((failures + 1))
  fi
}

"$schemagate" --log-format json --dir "$work/$hostile" heads 2>"$work/runner.json" >/dev/null
check_json "schemagate, a hostile directory name" "$work/runner.json"
jq -r .msg "$work/runner.json" | grep -q 'dir "quoted" \\ back' ||
  { echo "FAIL: the message lost its text: $(cat "$work/runner.json")"; failures=$((failures + 1)); }
"$operator" --log-format json --kubeconfig "$work/$hostile" 2>"$work/operator.json" >/dev/null
check_json "schemagate-operator, a hostile kubeconfig path" "$work/operator.json"

"$schemagate" --dir "$work/nowhere" heads 2>"$work/runner.txt" >/dev/null
check_text "schemagate text" "$work/runner.txt"
"$operator" --kubeconfig "$work/nowhere" 2>"$work/operator.txt" >/dev/null
check_text "schemagate-operator text" "$work/operator.txt"
TZ=Asia/Kolkata "$schemagate" --dir "$work/nowhere" heads 2>"$work/runner-tz.txt" >/dev/null
check_text "schemagate text in another time zone" "$work/runner-tz.txt"

echo "$passed passed, $failures failed"
[[ $failures -eq 0 ]]
