#!/usr/bin/env bash
# Lints the GitHub workflows with actionlint, installed once with `go install`
# into .tools/actionlint-VERSION/ (tests/release/go_tool.sh); shellcheck
# (scripts/setup.sh) checks their run: steps.
# Usage: actionlint.sh SOURCE_DIR
set -euo pipefail
source_dir=$(cd "${1:?source dir}" && pwd)
version=v1.7.12
command -v shellcheck >/dev/null || { echo "FAIL: shellcheck is missing: scripts/setup.sh installs it"; exit 1; }
# shellcheck source=tests/release/go_tool.sh
source "$source_dir/tests/release/go_tool.sh"
actionlint=$(go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$version")
"$actionlint" --version | head -n 1
cd "$source_dir"
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
[[ ${#workflows[@]} -gt 0 ]] || { echo "FAIL: no workflow in .github/workflows"; exit 1; }
"$actionlint" -no-color "${workflows[@]}"
echo "ok: actionlint finds nothing in ${workflows[*]}"
# The lint can fail: an unknown job output and a shell error are both reported.
broken='on: push
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - run: echo ${{ needs.nothing.outputs.x }}; cd $(dirname $0)'
if "$actionlint" -no-color -stdin-filename broken.yml - <<<"$broken" >/dev/null; then
  echo "FAIL: actionlint passed a broken workflow"
  exit 1
fi
echo "ok: actionlint refuses a broken workflow"
