#!/usr/bin/env bash
# The Dockerfile's final stages make what scripts/image.sh makes: the same
# root file system (the build stage runs `scripts/image.sh rootfs` and the
# stage copies it whole), user, entrypoint, command and labels, read from the
# Dockerfile's text and compared with `scripts/image.sh config` (no Docker
# daemon is needed, nor used).
# Usage: dockerfile_parity_test.sh SOURCE_DIR
set -euo pipefail
source_dir=$(cd "${1:?source dir}" && pwd)
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
dockerfile=$source_dir/Dockerfile

stage() {  # stage NAME: the stage's instructions, continuation lines joined
  awk -v name="$1" '
    /^FROM / { inside = (tolower($NF) == name); next }
    inside && !/^[ \t]*#/ { print }' "$dockerfile" |
    sed -e ':join' -e '/\\$/{N;s/\\\n[ \t]*/ /;b join' -e '}'
}
instruction() {  # instruction NAME KEYWORD: the arguments of the stage's last KEYWORD
  stage "$1" | sed -n "s/^$2 //p" | tail -n 1
}
labels() {  # labels NAME: "key=value" lines, with build arguments as the values image.sh puts
  stage "$1" | sed -n 's/^LABEL //p' | grep -oE '[a-z.]+="[^"]*"' | sed -E 's/^([^=]*)="(.*)"$/\1=\2/' |
    sed -e "s/=\${VERSION}\$/=$version/" -e "s/=\${REVISION}\$/=REVISION/" -e "s/=\${CREATED}\$/=CREATED/" | sort
}
expected_labels() {  # what image.sh sets, revision and created as placeholders
  "$source_dir/scripts/image.sh" config "$1" | sed -n 's/^label //p' |
    sed -E -e 's/^(org\.opencontainers\.image\.revision)=.*/\1=REVISION/' \
           -e 's/^(org\.opencontainers\.image\.created)=.*/\1=CREATED/' | sort
}
setting() {  # setting NAME KEY: image.sh's value
  "$source_dir/scripts/image.sh" config "$1" | sed -n "s/^$2 //p"
}
version=$(head -n 1 "$source_dir/VERSION")
declare -A binaries=([runner]=/build/runner/schemagate [operator]=/build/operator/schemagate-operator)

for name in runner operator; do
  check "$name: FROM scratch" grep -qE "^FROM scratch AS $name\$" "$dockerfile"
  check "$name: the build stage makes its root file system with image.sh" \
    grep -qF "scripts/image.sh rootfs $name /rootfs/$name ${binaries[$name]}" "$dockerfile"
  check "$name: the stage copies that root file system and nothing else" \
    equals "$(stage "$name" | grep -E '^(COPY|ADD|RUN) ')" "COPY --from=build /rootfs/$name/ /"
  check "$name: USER" equals "$(instruction "$name" USER)" "$(setting "$name" user)"
  check "$name: ENTRYPOINT" equals "$(instruction "$name" ENTRYPOINT | jq -c .)" "$(setting "$name" entrypoint | jq -c .)"
  check "$name: CMD" equals "$(instruction "$name" CMD | jq -c .)" "$(setting "$name" cmd | jq -c .)"
  check "$name: the same labels" equals "$(labels "$name")" "$(expected_labels "$name")"
done
check "the labels include the licence, source, version, revision and created" \
  bash -c "[[ \$(grep -cE 'licenses=Apache-2.0|source=|version=|revision=|created=' <<<'$(labels runner)') -eq 5 ]]"

# The comparison itself can fail: a Dockerfile that drifted is caught.
drifted=$(mktemp)
trap 'rm -f "$drifted"' EXIT
sed 's/^USER 65532:65532$/USER 0:0/; s/licenses="Apache-2.0"/licenses="MIT"/' "$dockerfile" >"$drifted"
dockerfile=$drifted
check "a drifted USER is seen" bash -c "[[ '$(instruction runner USER)' != '$(setting runner user)' ]]"
check "a drifted label is seen" bash -c "[[ '$(labels runner | tr '\n' ' ')' != '$(expected_labels runner | tr '\n' ' ')' ]]"

finish
