#!/usr/bin/env bash
# docs/reference.md names every command and option that the binaries' --help
# lists (check_reference.py), and the checker catches a reference that fell
# behind: an option, a command, a global option or an operator flag left out,
# and a command documented that no longer exists.
# Usage: reference_test.sh SCHEMAGATE SCHEMAGATE_OPERATOR SOURCE_DIR
set -uo pipefail
schemagate=${1:?schemagate binary}
operator=${2:?schemagate-operator binary}
source_dir=${3:?source dir}
here=$source_dir/tests/docs
reference=$source_dir/docs/reference.md
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools python3 "$schemagate" "$operator"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check "docs/reference.md names every command and option of --help" \
  python3 "$here/check_reference.py" "$schemagate" "$operator" "$reference"

# A copy of the reference that fell behind the binaries in five ways.
python3 - "$reference" "$work/stale.md" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
def in_section(heading, old, new):
    global text
    start = text.index(heading)
    end = text.find("\n#", start + len(heading))
    end = len(text) if end < 0 else end
    section = text[start:end]
    assert old in section, (heading, old)
    text = text[:start] + section.replace(old, new) + text[end:]
in_section("### `schemagate upgrade`", "`--lock-lease`, ", "")
in_section("### Global options", "| `--termination-log FILE` |", "| `--termination-logfile FILE` |")
in_section("## `schemagate-operator`", "| `--workers N` |", "| `--worker-count N` |")
text = text.replace("### `schemagate verify`", "### `schemagate verification`")
text += "\n### `schemagate frobnicate`\n\nGone.\n"
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
stale_output=$(python3 "$here/check_reference.py" "$schemagate" "$operator" "$work/stale.md")
stale_status=$?
echo "$stale_output" | sed 's/^/  | /'
check "a stale reference fails" [ "$stale_status" -eq 1 ]
expect_reported() {  # expect_reported WHAT TEXT
  check "reported: $1" grep -qF -- "$2" <<<"$stale_output"
}
expect_reported "a command's option left out" "section 'schemagate upgrade' does not name --lock-lease"
expect_reported "a global option left out" "section 'Global options' does not name --termination-log"
expect_reported "an operator flag left out" "section 'schemagate-operator' does not name --workers"
expect_reported "a command left out" "no section 'schemagate verify'"
expect_reported "a misnamed command" "section 'schemagate verification' documents a command"
expect_reported "a command that does not exist" "section 'schemagate frobnicate' documents a command"
check "nothing else is reported" equals "$(grep -c "^$work/stale.md: " <<<"$stale_output")" 6

finish
