#!/usr/bin/env bash
# Configures and builds schemagate into $BUILD_DIR (default: build/), with the
# tests and benchmarks and warnings as errors. The Dockerfile calls it too.
# The runner binary is linked fully statically (STATIC=OFF for a dynamic one),
# so the tests exercise the binary the FROM-scratch image ships.
# REVISION names the git commit --version reports when the tree has no git.
# TARGETS (space-separated) builds only those targets, e.g. TARGETS=schemagate.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" \
  -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DSCHEMAGATE_BUILD_TESTS="${BUILD_TESTS:-ON}" \
  -DSCHEMAGATE_BUILD_BENCH="${BUILD_BENCH:-ON}" \
  -DSCHEMAGATE_STATIC="${STATIC:-ON}" \
  -DSCHEMAGATE_WERROR=ON \
  -DSCHEMAGATE_REVISION="${REVISION:-}" >/dev/null
targets=()
for target in ${TARGETS:-}; do targets+=(--target "$target"); done
cmake --build "$build_dir" --parallel "$(nproc)" "${targets[@]}"
