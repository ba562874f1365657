#!/usr/bin/env bash
# scripts/image.sh builds both images as OCI layouts without a daemon; each is
# unpacked as a runtime would and its entrypoint runs from the unpacked root
# file system as the image's user: the runner migrates the library example on
# the real PostgreSQL, the operator prints its version. Then two
# architectures' layouts become one index, as the release pushes them.
# Usage: image_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$(cd "${1:?source dir}" && pwd)
build_dir=$(cd "${2:?build dir}" && pwd)
: "${SCHEMAGATE_TEST_DATABASE_URL:?run through scripts/test.sh, which starts PostgreSQL}"
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools umoci jq psql
image=$source_dir/scripts/image.sh
version=$(head -n 1 "$source_dir/VERSION")
work=$(mktemp -d /tmp/schemagate-image.XXXXXX)
chmod 755 "$work"
database=schemagate_image_test_$$
cleanup() {
  psql -d "$SCHEMAGATE_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for kind in runner operator; do
  check "image.sh $kind builds an OCI layout" \
    env BUILD_DIR="$build_dir" "$image" "$kind" "$work/$kind"
done

rootless=()
[[ $(id -u) -eq 0 ]] || rootless=(--rootless)
unpack() {  # unpack KIND: the bundle (config.json and rootfs/) as a runtime sees it
  umoci unpack "${rootless[@]}" --image "$work/$1:$version" "$work/$1-bundle" >/dev/null
}
config_of() {  # config_of KIND: the image configuration blob
  local layout=$work/$1 manifest
  manifest=$layout/blobs/sha256/$(jq -r '.manifests[0].digest | sub("^sha256:"; "")' "$layout/index.json")
  jq . "$layout/blobs/sha256/$(jq -r '.config.digest | sub("^sha256:"; "")' "$manifest")"
}
in_image() {  # in_image KIND ARGS...: the entrypoint, from the unpacked root, as the image's user
  local kind=$1 uid gid entrypoint
  shift
  uid=$(jq -r '.process.user.uid' "$work/$kind-bundle/config.json")
  gid=$(jq -r '.process.user.gid' "$work/$kind-bundle/config.json")
  mapfile -t entrypoint < <(config_of "$kind" | jq -r '.config.Entrypoint[]')
  if [[ $(id -u) -eq 0 ]]; then
    chroot --userspec="$uid:$gid" "$work/$kind-bundle/rootfs" "${entrypoint[@]}" "$@"
  else
    unshare -r chroot "$work/$kind-bundle/rootfs" "${entrypoint[@]}" "$@"
  fi
}

holds() { jq -e "$2" <<<"$1" >/dev/null; }  # holds JSON FILTER: FILTER is true of JSON

for kind in runner operator; do
  unpack "$kind"
  config=$(config_of "$kind")
  check "$kind: runs as 65532:65532" equals "$(jq -r '.config.User' <<<"$config")" 65532:65532
  check "$kind: the runtime bundle runs as uid 65532" \
    equals "$(jq -c '.process.user | [.uid, .gid]' "$work/$kind-bundle/config.json")" '[65532,65532]'
  check "$kind: the OCI labels" equals \
    "$(jq -r '.config.Labels | to_entries | map(.key + "=" + (.value | tostring)) | .[]' <<<"$config" |
         grep -E 'licenses|version|source' | sort | tr '\n' ' ')" \
    "org.opencontainers.image.licenses=Apache-2.0 org.opencontainers.image.source=https://github.com/schemagate/schemagate org.opencontainers.image.version=$version "
  check "$kind: revision and created labels are set" holds "$config" \
    '.config.Labels["org.opencontainers.image.revision"] != "" and
     (.config.Labels["org.opencontainers.image.created"] | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T"))'
  check "$kind: amd64 or arm64, linux" holds "$config" '.os == "linux" and (.architecture | test("amd64|arm64"))'
done

layers_whole() {  # layers_whole KIND: every layer is a complete gzip'd tar
  local layout=$work/$1 manifest layer
  manifest=$layout/blobs/sha256/$(jq -r '.manifests[0].digest | sub("^sha256:"; "")' "$layout/index.json")
  for layer in $(jq -r '.layers[].digest | sub("^sha256:"; "")' "$manifest"); do
    tar -tzf "$layout/blobs/sha256/$layer" >/dev/null || return 1
  done
}
runner_root=$work/runner-bundle/rootfs
operator_root=$work/operator-bundle/rootfs
check "runner: its layer is a whole tar archive" layers_whole runner
check "operator: its layer is a whole tar archive" layers_whole operator
strip -o "$work/schemagate.stripped" "$build_dir/runner/schemagate"
strip -o "$work/operator.stripped" "$build_dir/operator/schemagate-operator"
check "runner: the binary is the build's, stripped, byte for byte" \
  cmp "$work/schemagate.stripped" "$runner_root/schemagate"
check "operator: the binary is the build's, stripped, byte for byte" \
  cmp "$work/operator.stripped" "$operator_root/usr/local/bin/schemagate-operator"
check "runner: the root holds the static binary and the CA bundle, nothing else" equals \
  "$(cd "$runner_root" && find . -type f | sort | tr '\n' ' ')" "./etc/ssl/certs/ca-certificates.crt ./schemagate "
check "runner: the binary is static" bash -c "! ldd '$runner_root/schemagate' >/dev/null 2>&1"
check "runner: the entrypoint and default arguments" equals \
  "$(config_of runner | jq -c '[.config.Entrypoint, .config.Cmd]')" '[["/schemagate"],["--help"]]'

# A project's image adds its migrations; the runner migrates the real server.
cp -r "$source_dir/examples/library/migrations" "$runner_root/migrations"
chmod -R a+rX "$runner_root/migrations"
psql -d "$SCHEMAGATE_TEST_DATABASE_URL" -qc "CREATE DATABASE $database"
url=${SCHEMAGATE_TEST_DATABASE_URL%/*}/$database
check "runner: upgrade heads from the unpacked image" \
  in_image runner --dir /migrations --database-url "$url" upgrade heads
check "runner: the database is at the example's head" \
  equals "$(in_image runner --dir /migrations --database-url "$url" current 2>/dev/null)" "a84e1c9b3d72 (head)"
check "runner: its tables exist" equals \
  "$(psql -d "$url" -tAc "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('books', 'authors')")" 2

operator_version=$(in_image operator --version || true)
check "operator: --version from the unpacked image (its libraries all there) names the release" \
  bash -c "[[ '$operator_version' == 'schemagate-operator $version (revision '* ]]"
check "operator: its user has a passwd entry" grep -q '^nonroot:x:65532:65532:' "$operator_root/etc/passwd"
check "operator: the entrypoint" equals \
  "$(config_of operator | jq -c '.config.Entrypoint')" '["/usr/local/bin/schemagate-operator"]'

# The same content rebuilt is the same image: the layouts are reproducible.
env BUILD_DIR="$build_dir" "$image" runner "$work/runner-again" 2>/dev/null
check "rebuilding gives the same manifest digest" equals \
  "$(jq -r '.manifests[0].digest' "$work/runner-again/index.json")" "$(jq -r '.manifests[0].digest' "$work/runner/index.json")"

# Two architectures in one index (the second reuses this machine's binary: the
# structure is under test, not the foreign code).
other=arm64
[[ $(config_of runner | jq -r .architecture) != arm64 ]] || other=amd64
env BUILD_DIR="$build_dir" IMAGE_ARCH=$other "$image" runner "$work/runner-$other" 2>/dev/null
check "index: two layouts become one" "$image" index "$work/multi" "$work/runner" "$work/runner-$other"
check "index: one manifest per architecture" equals \
  "$(jq -c '[.mediaType, ([.manifests[].platform.architecture] | sort)]' "$work/multi/index.json")" \
  "[\"application/vnd.oci.image.index.v1+json\",[\"amd64\",\"arm64\"]]"
check "index: every blob is there under its digest" bash -c "cd '$work/multi/blobs/sha256' && for blob in *; do
    [[ \$(sha256sum \"\$blob\" | cut -d' ' -f1) == \"\$blob\" ]] || exit 1; done
  for digest in \$(jq -r '.manifests[].digest' ../../index.json); do [[ -f \${digest#sha256:} ]] || exit 1; done"
set +e
same=$("$image" index "$work/multi-same" "$work/runner" "$work/runner-again" 2>&1)
set -e
check "index: two layouts of one architecture are refused" grep -q 'same architecture' <<<"$same"

echo "sizes: runner $(du -sb "$work/runner/blobs" | cut -f1) bytes, operator $(du -sb "$work/operator/blobs" | cut -f1) bytes (compressed layouts)"
finish
