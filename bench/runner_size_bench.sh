#!/usr/bin/env bash
# The static runner's stripped size against its budget, and what it is made of:
# the ELF sections, and each archive's share of the link (from a link map of the
# same objects, relinked into a temporary directory with the build's own flags).
# Usage: [BUILD_DIR=build] [BUDGET_KIB=7168] bench/runner_size_bench.sh
# Exits 1 when the binary is over the budget. Needs scripts/build.sh first
# (STATIC=ON, its default).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
budget_kib=${BUDGET_KIB:-7168}
binary=$build/runner/schemagate
[[ -x $binary ]] || { echo "missing $binary (scripts/build.sh)" >&2; exit 1; }
work=$(mktemp -d /tmp/schemagate-size-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

strip -o "$work/schemagate" "$binary"
size_kib=$(( ($(stat -c %s "$work/schemagate") + 1023) / 1024 ))
echo "== sections (stripped)"
size -A "$work/schemagate" | awk '$1 ~ /^\./ && $2 > 65536 { printf "  %-20s %6d KiB\n", $1, $2 / 1024 }'

echo "== share of each archive in the link"
link=$build/runner/CMakeFiles/schemagate.dir/link.txt
if [[ -f $link ]]; then
  command=$(sed -e "s| -o schemagate | -o $work/relinked |" "$link")
  (cd "$build/runner" && eval "$command -Wl,-Map=$work/map") >/dev/null 2>&1 || true
fi
if [[ -s $work/map ]]; then
  # Input sections after "Linker script and memory map", debug sections left out.
  awk 'function hex(text,   value, i) {  # mawk has no strtonum
         value = 0
         for (i = 3; i <= length(text); i++) value = value * 16 + index("0123456789abcdef", substr(text, i, 1)) - 1
         return value
       }
       /^Linker script and memory map/ { on = 1; next } !on { next }
       /^ \.[^ ]+$/ { section = $1; next }
       /^ (\.[^ ]+)? +0x[0-9a-f]+ +0x[0-9a-f]+ / {
         name = (NF == 4 ? $1 : section); file = $NF
         if (name ~ /^\.(debug|comment)/) next
         sub(/\(.*/, "", file); n = split(file, part, "/")
         bytes[part[n]] += hex(NF == 4 ? $3 : $2)
       }
       END { for (f in bytes) if (bytes[f] >= 8192) printf "%d %s\n", bytes[f] / 1024, f }' "$work/map" |
    sort -rn | head -n 12 | awk '{ printf "  %-32s %6d KiB\n", $2, $1 }'
else
  echo "  (no link map: $link missing or the relink failed)"
fi

echo "== stripped size"
echo "schemagate: $size_kib KiB, budget $budget_kib KiB ($(awk -v s="$size_kib" -v b="$budget_kib" \
  'BEGIN { printf "%.2f", s / b }') of it)"
if (( size_kib > budget_kib )); then
  echo "over the budget by $((size_kib - budget_kib)) KiB"
  exit 1
fi
