#!/usr/bin/env bash
# Configures and builds schemagate into $BUILD_DIR (default: build/), with the
# tests and benchmarks and warnings as errors. The Dockerfile calls it too.
# STATIC=ON BUILD_TESTS=OFF BUILD_BENCH=OFF builds the fully static runner.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" \
  -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DSCHEMAGATE_BUILD_TESTS="${BUILD_TESTS:-ON}" \
  -DSCHEMAGATE_BUILD_BENCH="${BUILD_BENCH:-ON}" \
  -DSCHEMAGATE_STATIC="${STATIC:-OFF}" \
  -DSCHEMAGATE_WERROR=ON >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"
