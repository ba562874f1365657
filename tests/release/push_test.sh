#!/usr/bin/env bash
# The release's push step, against a real registry (crane's, on 127.0.0.1):
# two architectures' layouts from scripts/image.sh become one index that
# `crane push --index` uploads as the workflow does; a client then pulls each
# platform's configuration and files back. Both charts are packaged and pushed
# as OCI artifacts with the real helm, and pulled back.
# Usage: push_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$(cd "${1:?source dir}" && pwd)
build_dir=$(cd "${2:?build dir}" && pwd)
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
# shellcheck source=scripts/free_port.sh
source "$source_dir/scripts/free_port.sh"
# shellcheck source=tests/release/go_tool.sh
source "$source_dir/tests/release/go_tool.sh"
helm=$source_dir/.tools/bin/helm
require_tools umoci jq curl "$helm"
crane=$(go_tool crane github.com/google/go-containerregistry/cmd/crane v0.22.1)
image=$source_dir/scripts/image.sh
version=$(head -n 1 "$source_dir/VERSION")
work=$(mktemp -d /tmp/schemagate-push.XXXXXX)
registry_pid=
trap '[[ -z $registry_pid ]] || kill "$registry_pid"; rm -rf "$work"' EXIT

check "the workflow pushes what this test pushes" \
  grep -qF 'crane push --index "images/$kind" "$repository:$VERSION"' "$source_dir/.github/workflows/release.yml"

port=$(free_port)
"$crane" registry serve --address "127.0.0.1:$port" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 300); do
  curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break
  kill -0 "$registry_pid" 2>/dev/null || { cat "$work/registry.log"; echo "FAIL: the registry exited"; exit 1; }
  sleep 0.1
done

mkdir -p "$work/images"
env BUILD_DIR="$build_dir" IMAGE_ARCH=amd64 "$image" runner "$work/images/runner-amd64" 2>/dev/null
env BUILD_DIR="$build_dir" IMAGE_ARCH=arm64 "$image" runner "$work/images/runner-arm64" 2>/dev/null
"$image" index "$work/images/runner" "$work/images/runner-amd64" "$work/images/runner-arm64"
ref=127.0.0.1:$port/schemagate/schemagate:$version
check "crane push --index uploads the joined layout" \
  "$crane" push --insecure --index "$work/images/runner" "$ref"
digest=$("$crane" digest --insecure "$ref")
check "the tag is one index for amd64 and arm64" equals \
  "$("$crane" manifest --insecure "$ref" | jq -c '[.mediaType, [.manifests[].platform | .os + "/" + .architecture]]')" \
  '["application/vnd.oci.image.index.v1+json",["linux/amd64","linux/arm64"]]'
check "its digest is the local index's" equals "$digest" \
  "sha256:$(sha256sum "$work/images/runner/index.json" | cut -d' ' -f1)"
for platform in linux/amd64 linux/arm64; do
  check "$platform: user, entrypoint and version label as built" equals \
    "$("$crane" config --insecure --platform "$platform" "$ref" |
       jq -c '[.architecture, .config.User, .config.Entrypoint, .config.Labels["org.opencontainers.image.version"]]')" \
    "[\"${platform#linux/}\",\"65532:65532\",[\"/schemagate\"],\"$version\"]"
done
check "a pull of linux/amd64 holds the binary and the CA bundle" equals \
  "$("$crane" export --insecure --platform linux/amd64 "$ref" - | tar -tv | awk '/^-/ { print $NF }' | sort | tr '\n' ' ')" \
  "etc/ssl/certs/ca-certificates.crt schemagate "

check "the workflow pushes the charts as this test does" \
  grep -qF 'helm push "charts/$chart-$VERSION.tgz" "oci://ghcr.io/$owner/charts"' \
  "$source_dir/.github/workflows/release.yml"
export HELM_CONFIG_HOME=$work/helm HELM_CACHE_HOME=$work/helm-cache HELM_DATA_HOME=$work/helm-data
mkdir -p "$work/pulled"
for chart in schemagate-init schemagate-operator; do
  "$helm" package "$source_dir/helm/$chart" --destination "$work/charts" >/dev/null
  check "$chart: helm push as an OCI artifact" \
    "$helm" push --plain-http "$work/charts/$chart-$version.tgz" "oci://127.0.0.1:$port/charts"
  check "$chart: the registry serves it as $version" \
    "$crane" digest --insecure "127.0.0.1:$port/charts/$chart:$version"
  check "$chart: helm pulls it back, the same package" bash -c "
    '$helm' pull --plain-http oci://127.0.0.1:$port/charts/$chart --version '$version' --destination '$work/pulled' &&
    cmp '$work/pulled/$chart-$version.tgz' '$work/charts/$chart-$version.tgz'"
done

finish
