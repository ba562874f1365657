#!/usr/bin/env bash
# The MigrationJob CRD and the examples of deploy/, applied with the real
# kubectl to the test API server: short name, defaults, printer columns, the
# status subresource, and what the schema refuses.
# Usage: crd_test.sh KUBE_API_SERVER SOURCE_DIR
set -euo pipefail
server_bin=$1
source_dir=$2
kubectl=$source_dir/.tools/bin/kubectl

work=$(mktemp -d /tmp/schemagate-crd.XXXXXX)
server_pid=""
trap '[[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools "$kubectl"
refused() {  # refused PATTERN KUBECTL-ARGS...: kubectl fails and says PATTERN
  local pattern=$1
  shift
  ! "$kubectl" "$@" >"$work/out" 2>&1 && grep -q "$pattern" "$work/out"
}
invalid() {  # a MigrationJob document with SPEC as its spec
  printf 'apiVersion: schemagate.io/v1alpha1\nkind: MigrationJob\nmetadata: {name: bad}\nspec: %s\n' \
    "$1" >"$work/bad.yaml"
  echo "$work/bad.yaml"
}

start_api_server "$server_bin" "$work/api"

check "the CRD applies" "$kubectl" apply -f "$source_dir/deploy/crds/"
check "the examples apply" "$kubectl" apply -f "$source_dir/deploy/examples/"
check "the short name lists both MigrationJobs" equals \
  "$("$kubectl" get mj -o name | sort | tr '\n' ' ')" \
  "migrationjob.schemagate.io/shop-migrate migrationjob.schemagate.io/shop-migrate-gated "
check "the schema's defaults fill an example that leaves them out" equals \
  "$("$kubectl" get mj shop-migrate -o jsonpath='{.spec.target} {.spec.migrationsDir} {.spec.backoffLimit} {.spec.activeDeadlineSeconds}')" \
  "heads /migrations 2 900"
check "the rollout gate names its Deployment" equals \
  "$("$kubectl" get mj shop-migrate-gated -o jsonpath='{.spec.rollout.targetRef.kind}/{.spec.rollout.targetRef.name}')" \
  "Deployment/shop-api"
check "status is written through the status subresource" "$kubectl" patch mj shop-migrate \
  --subresource=status --type merge -p '{"status":{"phase":"Succeeded","appliedRevision":"a84e1c9b3d72"}}'
check "and read back" equals \
  "$("$kubectl" get mj shop-migrate -o jsonpath='{.status.phase} {.status.appliedRevision}')" \
  "Succeeded a84e1c9b3d72"
check "a spec without an image is refused" \
  refused "image" apply -f "$(invalid '{database: {urlSecretRef: {name: db, key: url}}}')"
check "a spec without the database Secret is refused" \
  refused "database" apply -f "$(invalid '{image: x}')"
check "a rollout target that is neither Deployment nor StatefulSet is refused" \
  refused "Job" apply -f "$(invalid '{image: x, database: {urlSecretRef: {name: db, key: url}}, rollout: {targetRef: {kind: Job, name: y}}}')"
check "a phase outside the enum is refused" \
  refused "Weird" patch mj shop-migrate --subresource=status --type merge -p '{"status":{"phase":"Weird"}}'

finish
