#!/usr/bin/env bash
# Prints the body of one version's section of CHANGELOG.md (Keep a Changelog:
# "## [X.Y.Z] - DATE" headings), without its heading and without the blank
# lines around it: the text of that version's GitHub release.
# Fails, naming the file, when the section is missing or empty.
# Usage: scripts/changelog-section.sh X.Y.Z|vX.Y.Z [CHANGELOG]
set -euo pipefail
version=${1:-}
version=${version#v}
changelog=${2:-$(dirname "$0")/../CHANGELOG.md}
if [[ -z $version ]]; then
  echo "usage: scripts/changelog-section.sh X.Y.Z [CHANGELOG]" >&2
  exit 2
fi
[[ -f $changelog ]] || { echo "changelog-section: $changelog does not exist" >&2; exit 1; }

section=$(VERSION=$version awk '
  function is_heading(line) { return line ~ /^## / }
  inside && (is_heading($0) || /^\[[^]]+\]: /) { exit }
  inside { print; next }
  is_heading($0) {
    heading = $0
    sub(/^## +/, "", heading)
    sub(/^\[/, "", heading)
    sub(/\].*$|[ \t].*$/, "", heading)
    sub(/^v/, "", heading)
    if (heading == ENVIRON["VERSION"]) inside = 1
  }
' "$changelog" | sed -e '/./,$!d' | sed -e ':tail' -e '/^\n*$/{$d;N;b tail' -e '}')

if [[ -z ${section//[[:space:]]/} ]]; then
  if grep -qE "^## \[?v?${version//./\\.}\]?([ \t]|$)" "$changelog"; then
    echo "changelog-section: the section of $version in $changelog is empty" >&2
  else
    echo "changelog-section: $changelog has no \"## [$version] - DATE\" heading" \
      "(scripts/bump-version.sh $version makes it from Unreleased)" >&2
  fi
  exit 1
fi
printf '%s\n' "$section"
