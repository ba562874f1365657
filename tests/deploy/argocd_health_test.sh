#!/usr/bin/env bash
# The Argo CD health check of deploy/argocd/ under Lua 5.1, as Argo CD runs
# it: one verdict per kind of MigrationJob status in argocd-samples/, and the
# argocd-cm patch embedding exactly that script.
# Usage: argocd_health_test.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
kubectl=$source_dir/.tools/bin/kubectl

work=$(mktemp -d /tmp/schemagate-argocd.XXXXXX)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools "$kubectl" lua5.1 jq
lua5.1 -e 'require("cjson")' 2>/dev/null ||
  { echo "FAIL: the Lua module cjson is missing: scripts/setup.sh installs lua-cjson"; exit 1; }
health=$source_dir/deploy/argocd/migrationjob-health.lua
verdict() {  # the status and message Argo CD would show for the sample
  lua5.1 "$source_dir/tests/deploy/argocd_health.lua" "$health" \
    "$source_dir/tests/deploy/argocd-samples/$1.json"
}

check "a MigrationJob the operator has not seen yet is progressing" equals \
  "$(verdict no-status)" "Progressing: waiting for the operator to observe generation 1"
check "a status of an older generation is not trusted, even when Ready" equals \
  "$(verdict old-generation)" "Progressing: waiting for the operator to observe generation 3"
check "a running Job is progressing, with the Reconciling message" equals \
  "$(verdict running)" "Progressing: Job shop-migrate-3-7f9c is running"
check "without conditions the phase is the message" equals \
  "$(verdict pending-without-conditions)" "Progressing: phase Pending"
check "Stalled is degraded, with its message" equals \
  "$(verdict stalled)" "Degraded: Secret shop/shop-db not found: create it with the database URL under key url"
check "a failed migration is degraded, not progressing" equals \
  "$(verdict failed)" "Degraded: Job shop-migrate-4-9d2a failed 3 times; Deployment shop-api stays paused"
check "Ready is healthy, naming the applied revision" equals \
  "$(verdict ready)" "Healthy: migrated to a84e1c9b3d72"

as_json "$kubectl" <"$source_dir/deploy/argocd/argocd-cm.yaml" >"$work/argocd-cm.json"
jq -j '.data["resource.customizations.health.schemagate.io_MigrationJob"]' \
  "$work/argocd-cm.json" >"$work/embedded.lua"
check "argocd-cm.yaml embeds migrationjob-health.lua verbatim" cmp "$work/embedded.lua" "$health"
check "argocd-cm.yaml patches Argo CD's own ConfigMap" equals \
  "$(jq -r '"\(.metadata.namespace)/\(.metadata.name)"' "$work/argocd-cm.json")" "argocd/argocd-cm"

finish
