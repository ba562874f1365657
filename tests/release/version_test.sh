#!/usr/bin/env bash
# One version for everything: VERSION, what both binaries print with
# --version, the charts and deploy/'s image tags; the git revision's fallback
# outside git; and scripts/bump-version.sh on a scratch copy of the tree.
# Usage: version_test.sh SOURCE_DIR SCHEMAGATE SCHEMAGATE_OPERATOR
set -euo pipefail
source_dir=$(cd "${1:?source dir}" && pwd)
schemagate=${2:?schemagate binary}
operator=${3:?schemagate-operator binary}
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
work=$(mktemp -d /tmp/schemagate-version.XXXXXX)
trap 'rm -rf "$work"' EXIT
version=$(head -n 1 "$source_dir/VERSION")
consistency=$source_dir/tests/release/version_consistency.sh

check "the tree agrees with VERSION ($version)" "$consistency" "$source_dir"

revision_ok() {  # revision_ok LINE PROGRAM: "PROGRAM VERSION (revision R)", R a real commit or unknown
  local pattern="^$2 ${version//./\\.} \\(revision ([0-9a-f]{12})\\)$|^$2 ${version//./\\.} \\(revision unknown\\)$"
  [[ $1 =~ $pattern ]] || { echo "  got: $1"; return 1; }
  [[ -z ${BASH_REMATCH[1]} ]] || git -C "$source_dir" cat-file -e "${BASH_REMATCH[1]}^{commit}" ||
    { echo "  $1 names no commit of $source_dir"; return 1; }
}
check "schemagate --version prints the version and revision" \
  revision_ok "$("$schemagate" --version)" schemagate
check "schemagate-operator --version prints the version and revision" \
  revision_ok "$("$operator" --version)" schemagate-operator

# The revision as CMake records it, for a tree with and without git.
record() {  # record SOURCE [REVISION]: the generated file's revision() body
  cmake -DSOURCE_DIR="$1" -DVERSION="$version" -DREVISION="${2:-}" \
    -DTEMPLATE="$source_dir/common/src/build_info.cpp.in" -DOUTPUT="$work/build_info.cpp" \
    -P "$source_dir/common/cmake/build_info.cmake" &&
    grep -o 'revision() { return "[^"]*"' "$work/build_info.cpp" | cut -d'"' -f2
}
mkdir -p "$work/no-git"
check "a tree without git records the revision as unknown" equals "$(record "$work/no-git")" unknown
check "-DSCHEMAGATE_REVISION names it from outside" equals "$(record "$work/no-git" 0123abcd)" 0123abcd

# bump-version.sh on a scratch git copy of the tree, with a Keep a Changelog file.
scratch=$work/tree
mkdir -p "$scratch"
(cd "$source_dir" && git ls-files -z --cached --others --exclude-standard |
   tar --null -T - -c 2>/dev/null) | tar -x -C "$scratch"
cp "$source_dir/tests/release/fixtures/changelog.txt" "$scratch/CHANGELOG.md"
git() { command git -C "$scratch" -c user.name=test -c user.email=test@example.invalid "$@"; }
git init -q && git add -A && git commit -qm scratch

set +e
bad=$("$scratch/scripts/bump-version.sh" 1.2 2>&1); bad_code=$?
same=$("$scratch/scripts/bump-version.sh" "$version" 2>&1); same_code=$?
set -e
check "a malformed version is refused (exit 2) with the usage" \
  bash -c "[[ $bad_code -eq 2 ]] && grep -q 'usage: scripts/bump-version.sh X.Y.Z' <<<'$bad'"
check "the current version is refused (exit 1)" \
  bash -c "[[ $same_code -eq 1 ]] && grep -q 'already says' <<<'$same'"
check "refusals change nothing" bash -c "[[ -z \$(git -C '$scratch' status --porcelain) ]]"

check "bump-version.sh 7.8.9 succeeds" "$scratch/scripts/bump-version.sh" 7.8.9
check "VERSION says 7.8.9" equals "$(cat "$scratch/VERSION")" 7.8.9
check "the tree agrees with the new VERSION" "$consistency" "$scratch"
check "both charts' version and appVersion are 7.8.9" equals \
  "$(grep -hE '^(version|appVersion):' "$scratch"/helm/schemagate-{init,operator}/Chart.yaml | tr '\n' ' ')" \
  'version: 7.8.9 appVersion: "7.8.9" version: 7.8.9 appVersion: "7.8.9" '
check "the example app keeps its own chart version" \
  grep -qx 'version: 0.1.0' "$scratch/helm/examples/shop-api/Chart.yaml"
check "no image reference of the old version is left anywhere" \
  bash -c "! git -C '$scratch' grep -nE 'ghcr\.io/schemagate/schemagate(-operator)?:${version//./\\.}\b'"
check "the tests that load the operator image follow" \
  grep -q "ghcr.io/schemagate/schemagate-operator:7.8.9" "$scratch/tests/kube/images.sh"
today=$(date -u +%F)
check "CHANGELOG: Unreleased becomes 7.8.9 with today's date, under an empty Unreleased" \
  equals "$(grep -E '^## ' "$scratch/CHANGELOG.md" | head -3 | tr '\n' '|')" \
  "## [Unreleased]|## [7.8.9] - $today|## [0.1.0] - 2026-12-01|"
check "CHANGELOG: the compare links follow" equals \
  "$(grep -E '^\[(Unreleased|7\.8\.9)\]:' "$scratch/CHANGELOG.md" | tr '\n' '|')" \
  "[Unreleased]: https://github.com/schemagate/schemagate/compare/v7.8.9...HEAD|[7.8.9]: https://github.com/schemagate/schemagate/compare/v0.1.0...v7.8.9|"
check "the released section holds what Unreleased held" equals \
  "$("$scratch/scripts/changelog-section.sh" 7.8.9 "$scratch/CHANGELOG.md")" \
  "$(printf '### Added\n- A feature not released yet.')"

# A place that disagrees is named with its line.
sed -i 's/schemagate-operator:7.8.9/schemagate-operator:7.8.8/' "$scratch/deploy/deployment.yaml"
sed -i 's/^appVersion: .*/appVersion: "7.9.0"/' "$scratch/helm/schemagate-init/Chart.yaml"
set +e
found=$("$consistency" "$scratch"); code=$?
set -e
check "a disagreement fails the check" [ "$code" -eq 1 ]
check "it names deploy/deployment.yaml's line" grep -qE '^deploy/deployment.yaml:[0-9]+: .*7\.8\.8' <<<"$found"
check "it names the chart's appVersion" grep -qE '^helm/schemagate-init/Chart.yaml:9: appVersion is 7\.9\.0' <<<"$found"

finish
