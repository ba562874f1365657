#!/usr/bin/env bash
# Every place that names schemagate's release agrees with the VERSION file:
# both charts' version and appVersion, the example chart's dependency on
# schemagate-init, the Dockerfile's VERSION argument, and each ghcr.io/schemagate image tag in deploy/ and the
# README. Prints one line per disagreement (file, line, what to run) and
# exits 1 when there is any.
# Usage: version_consistency.sh SOURCE_DIR
set -euo pipefail
root=${1:?source dir}
cd "$root"
fix="run scripts/bump-version.sh VERSION to set every place at once"
version=$(head -n 1 VERSION 2>/dev/null || true)
if [[ ! $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "VERSION:1: \"$version\" is not X.Y.Z or X.Y.Z-PRERELEASE ($fix)"
  exit 1
fi
problems=0
disagree() {  # disagree FILE:LINE WHAT FOUND
  echo "$1: $2 is $3 but VERSION says $version ($fix)"
  problems=$((problems + 1))
}

for chart in helm/schemagate-init/Chart.yaml helm/schemagate-operator/Chart.yaml; do
  for key in version appVersion; do
    found=$(grep -n "^$key:" "$chart" || true)
    value=$(sed -E 's/^[0-9]+:[a-zA-Z]+: *"?([^"]*)"?.*/\1/' <<<"$found")
    [[ -n $found && $value == "$version" ]] || disagree "$chart:${found%%:*}" "$key" "${value:-missing}"
  done
done

# The dependency block of the example chart: the version line after its name.
example=helm/examples/shop-api/Chart.yaml
found=$(awk '/- name: schemagate-init/ { inside = 1; next }
             inside && /^ *version:/ { print NR ":" $2; exit }' "$example")
[[ ${found#*:} == "$version" ]] || disagree "$example:${found%%:*}" "the schemagate-init dependency" "${found#*:}"

found=$(grep -n '^ARG VERSION=' Dockerfile || true)
[[ ${found#*=} == "$version" ]] || disagree "Dockerfile:${found%%:*}" "ARG VERSION" "${found#*=}"

references=0
while IFS= read -r line; do
  references=$((references + 1))
  location=${line%%:ghcr.io*}
  tag=${line##*:}
  [[ $tag == "$version" ]] || disagree "$location" "the image tag of ${line#"$location":}" "$tag"
done < <(grep -rnoE 'ghcr\.io/schemagate/schemagate(-operator)?:[0-9A-Za-z.-]*[0-9A-Za-z]' \
           deploy README.md 2>/dev/null || true)
if [[ $references -eq 0 ]]; then
  echo "deploy/: no ghcr.io/schemagate image reference found (deployment.yaml should name the operator's)"
  problems=$((problems + 1))
fi
[[ $problems -eq 0 ]]
