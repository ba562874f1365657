#!/usr/bin/env bash
# Sizes of the two images scripts/image.sh builds: what a registry stores and a
# node pulls (the compressed layer, config and manifest), what the root file
# system holds unpacked, and what is in it.
# Usage: bench/image_size_bench.sh   (BUILD_DIR as for scripts/image.sh; builds
# the binaries when they are missing)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/schemagate-image-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

kib() { echo "$(( ($1 + 1023) / 1024 )) KiB"; }
blob() { echo "$1/blobs/sha256/${2#sha256:}"; }

printf '%-9s %12s %12s %6s  %s\n' image pulled unpacked files "largest files"
for kind in runner operator; do
  BUILD_DIR=${BUILD_DIR:-build} scripts/image.sh "$kind" "$work/$kind" 2>/dev/null
  layout=$work/$kind
  manifest=$(blob "$layout" "$(jq -r '.manifests[0].digest' "$layout/index.json")")
  pulled=$(( $(stat -c %s "$manifest") + $(jq '[.config.size, .layers[].size] | add' "$manifest") ))
  mkdir "$work/$kind-root"
  for layer in $(jq -r '.layers[].digest' "$manifest"); do
    tar -xzf "$(blob "$layout" "$layer")" -C "$work/$kind-root"
  done
  unpacked=$(find "$work/$kind-root" -type f -printf '%s\n' | awk '{ total += $1 } END { print total }')
  files=$(find "$work/$kind-root" -type f | wc -l)
  largest=$(cd "$work/$kind-root" && find . -type f -printf '%s %P\n' | sort -rn | head -n 3 |
              awk '{ printf "%s%s %d KiB", (NR > 1 ? ", " : ""), $2, ($1 + 1023) / 1024 }')
  printf '%-9s %12s %12s %6s  %s\n' "$kind" "$(kib "$pulled")" "$(kib "$unpacked")" "$files" "$largest"
done
