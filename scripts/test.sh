#!/usr/bin/env bash
# The whole test suite, from nothing: installs what is missing, builds once,
# starts a throwaway PostgreSQL and runs every test through ctest in parallel.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh

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
