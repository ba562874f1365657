#!/usr/bin/env bash
# schemagate's container images as OCI image layouts, built without a daemon
# (Debian's umoci), from the binaries of scripts/build.sh:
#   - runner: FROM scratch, the static /schemagate and the CA bundle;
#   - operator: /usr/local/bin/schemagate-operator with exactly the shared
#     libraries ldd lists (Debian packages no static cpprestsdk or
#     prometheus-cpp), the CA bundle and a passwd entry for its user.
# Both run as uid 65532 and carry the org.opencontainers.image labels. The
# Dockerfile's final stages copy the same root file systems (made by the
# `rootfs` form below in its build stage) and set the same configuration;
# tests/image/dockerfile_parity_test.sh compares the two.
#
# Usage:
#   scripts/image.sh runner|operator OUT_DIR        the image, tagged VERSION, as OCI layout OUT_DIR
#   scripts/image.sh rootfs runner|operator DIR BINARY   only its root file system
#   scripts/image.sh config runner|operator         its configuration, one setting a line
#   scripts/image.sh index OUT_DIR LAYOUT...        one multi-architecture layout of single ones
# Environment: BUILD_DIR (default build) holds the binaries, built when missing;
# IMAGE_TAG (default: VERSION); IMAGE_SOURCE (the repository's URL, a label);
# IMAGE_ARCH (default: this machine's); SOURCE_DATE_EPOCH (default: the last
# commit's time) dates the image and its files, so a rebuild is identical.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(head -n 1 "$root/VERSION")

die() { echo "image.sh: $*" >&2; exit 1; }
usage() {
  sed -n '/^# Usage:/,/^# Environment/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

# The configuration of each image, the one place it is written.
config() {  # config runner|operator: "user U", "entrypoint JSON", "cmd JSON", "label K=V" lines
  echo "user 65532:65532"
  case $1 in
    runner)
      echo 'entrypoint ["/schemagate"]'
      echo 'cmd ["--help"]'
      echo "label org.opencontainers.image.title=schemagate"
      echo "label org.opencontainers.image.description=PostgreSQL schema migrations for Kubernetes: the runner"
      ;;
    operator)
      echo 'entrypoint ["/usr/local/bin/schemagate-operator"]'
      echo 'cmd []'
      echo "label org.opencontainers.image.title=schemagate-operator"
      echo "label org.opencontainers.image.description=PostgreSQL schema migrations for Kubernetes: the operator"
      ;;
    *) usage ;;
  esac
  echo "label org.opencontainers.image.licenses=Apache-2.0"
  echo "label org.opencontainers.image.source=${IMAGE_SOURCE:-https://github.com/schemagate/schemagate}"
  echo "label org.opencontainers.image.version=$version"
  echo "label org.opencontainers.image.revision=$(revision)"
  echo "label org.opencontainers.image.created=$(created)"
}

revision() {  # the full commit, as the binaries record it: unknown outside git
  git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown
}
epoch() {
  echo "${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}"
}
created() { date -u -d "@$(epoch)" +%Y-%m-%dT%H:%M:%SZ; }

architecture() {
  if [[ -n ${IMAGE_ARCH:-} ]]; then echo "$IMAGE_ARCH"; return; fi
  case $(uname -m) in
    x86_64) echo amd64 ;;
    aarch64) echo arm64 ;;
    *) uname -m ;;
  esac
}

binary_path() {  # binary_path runner|operator: built with scripts/build.sh when missing
  local build_dir=${BUILD_DIR:-$root/build} target path
  case $1 in
    runner) target=schemagate path=$build_dir/runner/schemagate ;;
    operator) target=schemagate-operator path=$build_dir/operator/schemagate-operator ;;
  esac
  if [[ ! -x $path ]]; then
    echo "image.sh: building $target into $build_dir" >&2
    BUILD_DIR=$build_dir TARGETS=$target "$root/scripts/build.sh" >&2
  fi
  echo "$path"
}

ca_bundle() {  # ca_bundle ROOT: where the Dockerfile and the runner look for it
  [[ -f /etc/ssl/certs/ca-certificates.crt ]] || die "no /etc/ssl/certs/ca-certificates.crt: scripts/setup.sh installs ca-certificates"
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$1/etc/ssl/certs/ca-certificates.crt"
}

rootfs() {  # rootfs runner|operator DIR BINARY
  local kind=$1 dir=$2 binary=$3
  [[ -x $binary ]] || die "$binary is not an executable"
  [[ ! -e $dir ]] || [[ -z $(ls -A "$dir") ]] || die "$dir exists and is not empty"
  mkdir -p "$dir"
  case $kind in
    runner)
      if ldd "$binary" >/dev/null 2>&1; then
        die "$binary is dynamically linked; the FROM-scratch runner needs STATIC=ON scripts/build.sh"
      fi
      install -m 0755 "$binary" "$dir/schemagate"
      strip "$dir/schemagate"
      ;;
    operator)
      install -D -m 0755 "$binary" "$dir/usr/local/bin/schemagate-operator"
      strip "$dir/usr/local/bin/schemagate-operator"
      local library
      while read -r library; do
        install -D -m 0755 "$(readlink -f "$library")" "$dir$library"
      done < <(ldd "$binary" | grep -o '/[^ ]*')
      # distroless' user: some libraries look the uid up.
      install -d -m 0755 "$dir/etc"
      printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$dir/etc/passwd"
      printf 'root:x:0:\nnonroot:x:65532:\n' >"$dir/etc/group"
      chmod 0644 "$dir/etc/passwd" "$dir/etc/group"
      ;;
    *) usage ;;
  esac
  ca_bundle "$dir"
  find "$dir" -type d -exec chmod 0755 {} +
  find "$dir" -exec touch -h -d "@$(epoch)" {} +
}

json_words() {  # json_words JSON-ARRAY: one umoci flag per element
  local flag=$1 array=$2 word
  # An empty array clears the setting: umoci's --clear takes care of that.
  while IFS= read -r word; do printf '%s\n%s\n' "$flag" "$word"; done < <(jq -r '.[]' <<<"$array")
}

image() {  # image runner|operator OUT_DIR
  local kind=$1 out=$2 tag=${IMAGE_TAG:-$version} binary
  command -v umoci >/dev/null || die "umoci is missing: scripts/setup.sh installs it"
  command -v jq >/dev/null || die "jq is missing: scripts/setup.sh installs it"
  if [[ -e $out ]]; then
    [[ -f $out/oci-layout || -z $(ls -A "$out") ]] || die "$out exists and is not an OCI layout"
    rm -rf "$out"
  fi
  binary=$(binary_path "$kind")
  local reported
  reported=$("$binary" --version)
  [[ $reported == *" $version (revision "* ]] ||
    die "$binary says \"$reported\", not version $version: rebuild it (scripts/build.sh)"

  # umoci 0.4.7's insert truncates large files in the layer it writes; a
  # bundle repacked whole writes them complete.
  local owner=()
  [[ $(id -u) -eq 0 ]] || owner=(--rootless)
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  umoci init --layout "$out"
  umoci new --image "$out:$tag"
  umoci unpack "${owner[@]}" --image "$out:$tag" "$scratch/bundle" >/dev/null
  rootfs "$kind" "$scratch/bundle/rootfs" "$binary"
  umoci repack "${owner[@]}" --image "$out:$tag" --history.created_by "scripts/image.sh $kind" \
    --history.created "$(created)" "$scratch/bundle"

  local settings=() key value line
  while IFS= read -r line; do
    key=${line%% *} value=${line#* }
    case $key in
      user) settings+=(--config.user "$value") ;;
      entrypoint) mapfile -t -O "${#settings[@]}" settings < <(json_words --config.entrypoint "$value") ;;
      cmd) mapfile -t -O "${#settings[@]}" settings < <(json_words --config.cmd "$value") ;;
      label) settings+=(--config.label "$value" --manifest.annotation "$value") ;;
    esac
  done < <(config "$kind")
  umoci config --image "$out:$tag" --no-history --clear config.cmd --clear config.entrypoint \
    --os linux --architecture "$(architecture)" --created "$(created)" \
    --author "schemagate" "${settings[@]}"
  umoci gc --layout "$out"
  chmod -R a+rX "$out"
  echo "$out:$tag ($kind, $(architecture)): $(du -sb "$out/blobs" | cut -f1) bytes of blobs" >&2
}

# The images of several architectures as one index, the form `crane push
# --index` and registries serve for multi-architecture pulls.
index() {  # index OUT_DIR LAYOUT...
  local out=$1 layout descriptor manifest config platform entries=()
  shift
  [[ $# -gt 0 ]] || usage
  [[ ! -e $out ]] || die "$out exists"
  mkdir -p "$out/blobs/sha256"
  for layout in "$@"; do
    [[ -f $layout/index.json ]] || die "$layout is not an OCI layout (no index.json)"
    [[ $(jq '.manifests | length' "$layout/index.json") -eq 1 ]] || die "$layout holds more than one image"
    descriptor=$(jq -c '.manifests[0]' "$layout/index.json")
    manifest=$layout/blobs/sha256/$(jq -r '.digest | sub("^sha256:"; "")' <<<"$descriptor")
    config=$layout/blobs/sha256/$(jq -r '.config.digest | sub("^sha256:"; "")' "$manifest")
    platform=$(jq -c '{architecture, os}' "$config")
    cp -n "$layout"/blobs/sha256/* "$out/blobs/sha256/"
    entries+=("$(jq -c --argjson platform "$platform" '. + {platform: $platform} | del(.annotations)' <<<"$descriptor")")
  done
  printf '%s\n' "${entries[@]}" | jq -s '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: .}' \
    >"$out/index.json"
  [[ $(jq '[.manifests[].platform.architecture] | unique | length' "$out/index.json") -eq $# ]] ||
    die "two of the layouts have the same architecture"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$out/oci-layout"
  chmod -R a+rX "$out"
}

case ${1:-} in
  runner|operator) [[ $# -eq 2 ]] || usage; image "$1" "$2" ;;
  rootfs) [[ $# -eq 4 ]] || usage; rootfs "$2" "$3" "$4" ;;
  config) [[ $# -eq 2 ]] || usage; config "$2" ;;
  index) shift; index "$@" ;;
  *) usage ;;
esac
