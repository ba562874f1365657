#!/usr/bin/env bash
# The completion scripts of both binaries, as generated from their option
# definitions: bash's loaded in bash and asked for a few partial words, zsh's
# checked by zsh -n and loaded by compinit.
# Usage: completion_test.sh SCHEMAGATE SCHEMAGATE_OPERATOR
set -u
schemagate=$1
operator=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/support/checks.sh
source "$(dirname "$0")/../../support/checks.sh"
require_tools zsh

"$schemagate" completion bash >"$work/schemagate.bash" || { echo "FAIL: schemagate completion bash"; exit 1; }
"$operator" completion bash >"$work/operator.bash" || { echo "FAIL: schemagate-operator completion bash"; exit 1; }

# expect SCRIPT "WORDS..." "EXPECTED REPLIES (sorted, space separated)"
# The last word is the one being completed (may be empty).
expect() {
  local script=$1 line=$2 want=$3
  local got
  got=$(bash --norc --noprofile -c '
    source "$1"
    read -r -a COMP_WORDS <<<"$2"
    [[ $2 == *" " ]] && COMP_WORDS+=("")
    # bash splits --option=value at the "=" (COMP_WORDBREAKS).
    words=()
    for w in "${COMP_WORDS[@]}"; do
      if [[ $w == --*=* ]]; then words+=("${w%%=*}" "=" "${w#*=}"); else words+=("$w"); fi
    done
    COMP_WORDS=("${words[@]}")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    complete -p "${COMP_WORDS[0]}" >/dev/null || exit 3
    function=$(complete -p "${COMP_WORDS[0]}" | sed -E "s/.*-F ([^ ]+).*/\1/")
    "$function"
    printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ $//"
  ' _ "$script" "$line")
  check "'$line' completes to '$want'" equals "$got" "$want"
}

S=$work/schemagate.bash
O=$work/operator.bash
expect "$S" "schemagate up" "upgrade"
expect "$S" "schemagate down" "downgrade"
expect "$S" "schemagate comp" "completion"
expect "$S" "schemagate upgrade --lock-m" "--lock-mode"
expect "$S" "schemagate upgrade --progress" "--progress-interval"
expect "$S" "schemagate upgrade --lock-mode " "advisory table"
expect "$S" "schemagate --log-format=j" "json"
expect "$S" "schemagate --log-level warn downgrade he" "head heads"
expect "$S" "schemagate --dir migrations stamp b" "base"
expect "$S" "schemagate heads --sq" ""
expect "$S" "schemagate import --from f" "flyway"
expect "$S" "schemagate completion " "bash zsh"
expect "$S" "schemagate --termin" "--termination-log"
expect "$O" "schemagate-operator --leader-election-i" "--leader-election-id"
expect "$O" "schemagate-operator --log-format " "json text"
expect "$O" "schemagate-operator compl" "completion"
expect "$O" "schemagate-operator completion " "bash zsh"

for binary in "$schemagate" "$operator"; do
  name=$(basename "$binary")
  "$binary" completion zsh >"$work/_$name"
  check "zsh -n accepts $name's completion" zsh -n "$work/_$name"
  # Loaded for real: compinit, then the function is registered for the binary.
  check "zsh registers $name's completion" zsh -f -c "autoload -Uz compinit && compinit -u -D && \
    source '$work/_$name' && [[ \${_comps[$name]} == _${name//-/_} ]]"
done

check "completion for an unknown shell (fish) is refused" \
  bash -c '! "$1" completion fish >/dev/null 2>&1' _ "$schemagate"

finish
