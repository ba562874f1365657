#!/usr/bin/env bash
# scripts/changelog-section.sh, which gives a GitHub release its text, on a
# Keep a Changelog fixture: a middle section, the last one before the link
# definitions, a v-prefixed tag, and the refusals.
# Usage: changelog_section_test.sh SOURCE_DIR
set -euo pipefail
source_dir=$(cd "${1:?source dir}" && pwd)
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
section=$source_dir/scripts/changelog-section.sh
fixture=$source_dir/tests/release/fixtures/changelog.txt
work=$(mktemp -d /tmp/schemagate-changelog.XXXXXX)
trap 'rm -rf "$work"' EXIT

check "a middle section, whole, without its heading or the next one" equals \
  "$("$section" 0.1.0 "$fixture")" \
  "$(printf '%s\n' '### Added' '- The runner: upgrade, downgrade and stamp.' '- The operator.' '' \
      '### Fixed' '- `## [0.0.9]` inside a line is not a heading.')"
check "the last section stops before the link definitions" equals \
  "$("$section" 0.0.9 "$fixture")" "$(printf '%s\n' '### Added' '- The first preview.')"
check "a tag's v prefix is dropped" equals "$("$section" v0.0.9 "$fixture")" \
  "$("$section" 0.0.9 "$fixture")"

refused() {  # refused PATTERN ARGS...: exit 1 and PATTERN on stderr
  local pattern=$1 output code=0
  shift
  output=$("$section" "$@" 2>&1 >/dev/null) || code=$?
  [[ $code -eq 1 ]] && grep -q -- "$pattern" <<<"$output" || { echo "  exit $code: $output"; return 1; }
}
check "a version without a section is refused, naming the file" \
  refused "changelog.txt has no \"## \[9.9.9\] - DATE\" heading" 9.9.9 "$fixture"
check "0.1 does not match 0.1.0" refused 'no "## \[0.1\]' 0.1 "$fixture"
printf '# Changelog\n\n## [1.0.0] - 2026-12-07\n\n## [0.9.0] - 2026-12-01\n- x\n' >"$work/empty.md"
check "an empty section is refused" refused "section of 1.0.0 in .* is empty" 1.0.0 "$work/empty.md"
check "a missing file is refused" refused "does not exist" 1.0.0 "$work/none.md"
printf '## [2.0.0] - 2026-12-07\n\n- last, no trailing links\n\n\n' >"$work/last.md"
check "the file's last section ends at the end of the file" equals \
  "$("$section" 2.0.0 "$work/last.md")" "- last, no trailing links"

finish
