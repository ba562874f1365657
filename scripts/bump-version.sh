#!/usr/bin/env bash
# Sets the release everywhere it is written: VERSION (which CMake reads for
# --version), both charts' version and appVersion, the example chart's
# dependency on schemagate-init, the Dockerfile's VERSION argument, every
# ghcr.io/schemagate image tag of the old version in the tracked files
# (deploy/, the README, the tests that load that image), and CHANGELOG.md's Unreleased section, which becomes the version's
# with today's date under a new empty Unreleased heading.
# Usage: scripts/bump-version.sh X.Y.Z[-PRERELEASE]
set -euo pipefail
cd "$(dirname "$0")/.."
new=${1:-}
if [[ ! $new =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "usage: scripts/bump-version.sh X.Y.Z[-PRERELEASE] (got \"$new\")" >&2
  exit 2
fi
old=$(head -n 1 VERSION)
if [[ $new == "$old" ]]; then
  echo "bump-version: VERSION already says $new; nothing to do" >&2
  exit 1
fi

echo "$new" >VERSION
for chart in helm/schemagate-init/Chart.yaml helm/schemagate-operator/Chart.yaml; do
  sed -i -E "s/^version: .*/version: $new/; s/^appVersion: .*/appVersion: \"$new\"/" "$chart"
done
sed -i -E "s/^ARG VERSION=.*/ARG VERSION=$new/" Dockerfile
sed -i -E "/- name: schemagate-init/,/^ *version:/ s/^( *version:).*/\1 $new/" \
  helm/examples/shop-api/Chart.yaml

# Image references: the old tag exactly (not 0.1.0 inside 0.1.01 or 0.1.0-rc.1).
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git grep -lIE "ghcr\.io/schemagate/schemagate(-operator)?:" || true)
else
  mapfile -t files < <(grep -rlIE "ghcr\.io/schemagate/schemagate(-operator)?:" . \
                         --exclude-dir='build*' --exclude-dir=.tools --exclude-dir=.git || true)
fi
if [[ ${#files[@]} -gt 0 ]]; then
  OLD=$old NEW=$new perl -pi -e \
    's{(ghcr\.io/schemagate/schemagate(?:-operator)?:)\Q$ENV{OLD}\E(?![0-9A-Za-z.-]*[0-9A-Za-z])}{$1$ENV{NEW}}g' \
    "${files[@]}"
fi

if [[ -f CHANGELOG.md ]] && ! grep -qE "^## \[$new\]" CHANGELOG.md; then
  NEW=$new OLD=$old DATE=$(date -u +%F) perl -0pi -e '
    s{^## \[Unreleased\][^\n]*\n}{## [Unreleased]\n\n## [$ENV{NEW}] - $ENV{DATE}\n}m;
    # Compare links at the bottom, where the file keeps them.
    s{^\[Unreleased\]: (.*?)v?\Q$ENV{OLD}\E\.\.\.HEAD$}{[Unreleased]: $1v$ENV{NEW}...HEAD\n[$ENV{NEW}]: $1v$ENV{OLD}...v$ENV{NEW}}m;
  ' CHANGELOG.md
fi

tests/release/version_consistency.sh . >&2
echo "bump-version: $old -> $new; review with git diff, then commit and tag v$new" >&2
