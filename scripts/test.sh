#!/usr/bin/env bash
# The whole test suite, from nothing: installs what is missing, builds once,
# starts a throwaway PostgreSQL and runs every test through ctest in parallel
# (its Kubernetes tests on the control plane that ctest's fixture starts).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The control plane (cached under .tools/ after the first run) builds beside
# the C++ build, so that its module downloads overlap the compiling.
kube_log=$(mktemp /tmp/schemagate-kube-build.XXXXXX)
scripts/kube.sh build >"$kube_log" 2>&1 &
kube_build=$!
scripts/build.sh
if ! wait "$kube_build"; then
  cat "$kube_log" >&2
  exit 1
fi
rm -f "$kube_log"

pgdir=$(mktemp -d /tmp/schemagate-pg.XXXXXX)
trap 'scripts/pg.sh stop "$pgdir"' EXIT
scripts/pg.sh start "$pgdir"
set -a
# shellcheck disable=SC1091
source "$pgdir/env"
set +a
export SCHEMAGATE_TEST_DATABASE_URL=$DATABASE_URL
unset DATABASE_URL

ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --parallel "$(nproc)" "$@"
