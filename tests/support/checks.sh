# Sourced by the shell tests: named checks that count, and a closing line
# ctest's output readers understand ("N passed, M failed").
passed=0
failed=0

check() {  # check DESCRIPTION COMMAND...: runs COMMAND, reports ok or FAIL
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; passed=$((passed + 1)); else echo "FAIL: $what"; failed=$((failed + 1)); fi
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

start_api_server() {  # start_api_server BINARY STATE_DIR: sets server_pid and KUBECONFIG
  "$1" --state-dir "$2" >/dev/null 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do [[ -f $2/ready ]] && break; sleep 0.1; done
  [[ -f $2/ready ]] || { echo "FAIL: kube-api-server did not start"; exit 1; }
  export KUBECONFIG=$2/kubeconfig
}
