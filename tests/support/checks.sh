# Sourced by the shell tests: named checks that count, and a closing line
# ctest's output readers understand ("N passed, M failed").
passed=0
failed=0

check() {  # check DESCRIPTION COMMAND...: runs COMMAND, reports ok or FAIL
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; passed=$((passed + 1)); else echo "FAIL: $what"; failed=$((failed + 1)); fi
}

fail() {  # fail WHAT: a check that failed outside check()
  echo "FAIL: $*"
  failed=$((failed + 1))
}

# expect_exit CODE DESCRIPTION -- COMMAND...: COMMAND ends with exit CODE. Its
# stdout and stderr are left in $work/out and $work/err for further checks.
expect_exit() {
  local want=$1 what=$2
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [[ $got -eq $want ]]; then
    echo "ok: $what"
    passed=$((passed + 1))
  else
    fail "$what: exit $got, want $want"
    sed 's/^/  /' "$work/out" "$work/err"
  fi
}

equals() {  # equals ACTUAL EXPECTED, showing both when they differ
  [[ $1 == "$2" ]] || { echo "  got:  $1"; echo "  want: $2"; return 1; }
}

finish() {  # the closing line; the exit status says whether every check passed
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}

as_json() {  # as_json KUBECTL < YAML: the objects as a stream of JSON documents
  # An empty patch applied --local converts without a server and knows any kind.
  "$1" patch --local -f - --type merge -p '{}' -o json
}

require_tools() {  # require_tools TOOL...: a path must be executable, a name on PATH
  local tool
  for tool in "$@"; do
    if [[ $tool == */* ]]; then [[ -x $tool ]]; else command -v "$tool" >/dev/null; fi ||
      { echo "FAIL: $tool missing: scripts/setup.sh installs it"; exit 1; }
  done
}

use_cluster() {  # use_cluster DIR: the control plane ctest's fixture started (tests/kube/cluster_up.sh)
  [[ -f $1/env ]] || { echo "FAIL: no control plane at $1: run the test through ctest, whose fixture starts it"; exit 1; }
  export KUBECONFIG=$1/kubeconfig
}

# fresh_namespace KUBECTL NAME: NAME, made anew (a previous run's is deleted first).
fresh_namespace() {
  "$1" delete namespace "$2" --ignore-not-found --wait >/dev/null
  "$1" create namespace "$2" >/dev/null
}
