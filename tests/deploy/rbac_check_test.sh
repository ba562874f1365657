#!/usr/bin/env bash
# rbac_check.sh itself, on hand-made request logs against deploy/rbac.yaml:
# rbac-samples/operator-requests.json (the calls the reconciler makes) is
# covered exactly; a call more (a single Job read or deleted among them), a
# rule left unused, a Role used outside its namespace and a Role bound to
# nobody are each reported.
# Usage: rbac_check_test.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
kubectl=$source_dir/.tools/bin/kubectl

work=$(mktemp -d /tmp/schemagate-rbac.XXXXXX)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools "$kubectl" jq
rbac_check=$source_dir/tests/deploy/rbac_check.sh
requests=$source_dir/tests/deploy/rbac-samples/operator-requests.json
as_json "$kubectl" <"$source_dir/deploy/rbac.yaml" >"$work/rbac.json"

reports() {  # reports PATTERN LOG [RBAC]: rbac_check.sh fails and prints PATTERN
  if bash "$rbac_check" "$2" "${3:-$work/rbac.json}" >"$work/out" 2>&1 || ! grep -qF -- "$1" "$work/out"; then
    sed 's/^/  /' "$work/out"
    return 1
  fi
}
edited() {  # edited NAME JQ-FILTER: the reference log, changed; prints the file
  jq "$2" "$requests" >"$work/$1.json"
  echo "$work/$1.json"
}

check "the reconciler's calls are covered by the rules, and use every one" \
  bash "$rbac_check" "$requests" "$work/rbac.json"
check "a call no rule allows is reported with its verb and resource" reports \
  'not allowed: GET /api/v1/namespaces/shop/configmaps?limit=500 (list configmaps in group "" in namespace shop)' \
  "$(edited extra '. + ["GET /api/v1/namespaces/shop/configmaps?limit=500"]')"
check "a rule no call used is reported" reports \
  'never used: ClusterRole schemagate-operator: create events in group "" cluster-wide' \
  "$(edited unused 'map(select(. != "POST /api/v1/namespaces/shop/events"))')"
check "a GET with watch=true is a watch, not a list" reports \
  'never used: ClusterRole schemagate-operator: list migrationjobs' \
  "$(edited no-list 'map(select(startswith("GET /apis/schemagate.io/v1alpha1/migrationjobs?limit") | not))')"
check "and so is one with watch=1" reports \
  'never used: ClusterRole schemagate-operator: list jobs' \
  "$(edited no-job-list 'map(select(startswith("GET /apis/batch/v1/jobs?labelSelector") | not))')"
# Jobs come from the watch cache and go by their TTL: no rule for one Job.
check "reading one Job is not allowed" reports \
  'not allowed: GET /apis/batch/v1/namespaces/shop/jobs/shop-migrate-3-7f9c (get jobs in group "batch" in namespace shop)' \
  "$(edited job-get '. + ["GET /apis/batch/v1/namespaces/shop/jobs/shop-migrate-3-7f9c"]')"
check "nor deleting one" reports \
  'not allowed: DELETE /apis/batch/v1/namespaces/shop/jobs/shop-migrate-2-1c3e (delete jobs in group "batch" in namespace shop)' \
  "$(edited job-delete '. + ["DELETE /apis/batch/v1/namespaces/shop/jobs/shop-migrate-2-1c3e"]')"
check "a status write needs the status subresource's rule" reports \
  'never used: ClusterRole schemagate-operator: update migrationjobs/status' \
  "$(edited no-status 'map(select(endswith("/status") | not))')"
check "the leader election Role allows nothing outside its namespace" reports \
  'not allowed: PUT /apis/coordination.k8s.io/v1/namespaces/shop/leases/x (update leases in group "coordination.k8s.io" in namespace shop)' \
  "$(edited lease-elsewhere '. + ["PUT /apis/coordination.k8s.io/v1/namespaces/shop/leases/x"]')"
jq 'select(.kind != "RoleBinding")' "$work/rbac.json" >"$work/unbound.json"
check "a Role without a binding is reported" reports \
  'not bound: Role schemagate-operator-leader-election is granted to nobody' "$requests" "$work/unbound.json"
echo '["garbage"]' >"$work/garbage.json"
check "an unreadable log entry is an error naming it" reports \
  'cannot read the request log entry "garbage"' "$work/garbage.json"

finish
