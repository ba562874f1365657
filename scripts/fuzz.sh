#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (address and undefined
# behaviour sanitizers on) and runs each for FUZZ_SECONDS (default 15) from
# its seed corpus in fuzz/corpus/<target>/. Fails on the first crash, hang,
# leak or untyped error; the input that caused it is kept and named. The
# mutations follow FUZZ_SEED (default 1), so that CI explores the same
# sequence every run and a finding is reproducible rather than luck;
# FUZZ_SEED=0 lets libFuzzer pick a new seed, for exploring.
# Exits 77 (skipped, for ctest) when clang's libFuzzer is not installed:
# scripts/setup.sh installs it.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-15}
seed=${FUZZ_SEED:-1}

if ! command -v clang++ >/dev/null ||
   ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, long) { return 0; }' |
     clang++ -x c++ -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
  echo "fuzz: clang++ with libFuzzer is not installed (scripts/setup.sh); skipped" >&2
  exit 77
fi

CC=clang CXX=clang++ cmake -S . -B "$build_dir" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSCHEMAGATE_BUILD_FUZZ=ON -DSCHEMAGATE_BUILD_TESTS=OFF -DSCHEMAGATE_BUILD_BENCH=OFF \
  -DSCHEMAGATE_STATIC=OFF -DSCHEMAGATE_WERROR=ON >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)" --target fuzz_targets

findings=$(mktemp -d /tmp/schemagate-fuzz.XXXXXX)
failed=()
for corpus in fuzz/corpus/*/; do
  target=$(basename "$corpus")
  # New inputs go to a scratch directory: the corpus in the repository stays
  # the small, reviewed seed set.
  mkdir -p "$findings/$target/new"
  echo "fuzz: $target for ${seconds}s" >&2
  if ! "$build_dir/fuzz/$target" -seed="$seed" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 \
      -max_len=262144 -print_final_stats=1 -artifact_prefix="$findings/$target/" \
      "$findings/$target/new" "$corpus" >"$findings/$target/log" 2>&1; then
    tail -n 40 "$findings/$target/log" >&2
    failed+=("$target")
  else
    grep -E '^stat::number_of_executed_units' "$findings/$target/log" >&2 || true
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: findings in ${failed[*]}; inputs and logs in $findings" >&2
  exit 1
fi
rm -rf "$findings"
echo "fuzz: no findings" >&2
