#!/usr/bin/env bash
# The MigrationJob CRD as a template of the schemagate-operator chart, through
# the real helm on the real control plane, along the path docs/charts.md gives:
# a release of the former chart (CRD from crds/, which Helm never upgrades) is
# refused an upgrade until the CRD is adopted, then owns it; an upgrade carries
# a change of deploy/crds to the server; uninstalling keeps the CRD and its
# MigrationJobs (crds.keep), a new install adopts it again; with crds.keep=false
# uninstalling deletes it; a CRD applied by kubectl (deploy/) is taken over with
# --take-ownership.
# Usage: operator_chart_crds_test.sh CLUSTER_DIR SOURCE_DIR
set -euo pipefail
cluster=$1
source_dir=$2
helm=$source_dir/.tools/bin/helm
kubectl=$source_dir/.tools/bin/kubectl

work=$(mktemp -d /tmp/schemagate-chart-crds.XXXXXX)
ns=crd-ops
crd=crd/migrationjobs.schemagate.io
cleanup() {
  "$helm" uninstall crds --namespace "$ns" --wait >/dev/null 2>&1 || true
  "$kubectl" delete namespace "$ns" --ignore-not-found --wait=false >/dev/null 2>&1
  # The other tests find the CRD as deploy/ has it.
  "$kubectl" apply -f "$source_dir/deploy/crds/" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools "$helm" "$kubectl" jq
quiet() { "$@" >"$work/out" 2>&1 || { sed 's/^/  /' "$work/out"; return 1; }; }
chart=$source_dir/helm/schemagate-operator
# Only the CRD matters here: an operator image no node has keeps the pod from
# running, and no listener takes a port of the shared host network.
release=(--namespace "$ns" --set image.repository=registry.example/not-pulled --set metrics.enabled=false)
crd_field() { "$kubectl" get "$crd" -o jsonpath="$1" 2>&1; }
owner() { crd_field '{.metadata.labels.app\.kubernetes\.io/managed-by} {.metadata.annotations.meta\.helm\.sh/release-name} {.metadata.annotations.helm\.sh/resource-policy}'; }

# The chart as it was: the CRD in crds/, no template. cp -L resolves files/crds.
cp -rL "$chart" "$work/former"
rm "$work/former/templates/crds.yaml"
mkdir "$work/former/crds"
cp "$source_dir"/deploy/crds/*.yaml "$work/former/crds/"
# The chart after a change of deploy/crds: one more printer column.
cp -rL "$chart" "$work/changed"
sed -i 's/^      additionalPrinterColumns:$/&\n        - {name: Target, type: string, jsonPath: .spec.target}/' \
  "$work/changed/files/crds/schemagate.io_migrationjobs.yaml"
check "the changed copy has the column (the test's own premise)" \
  grep -q 'name: Target' "$work/changed/files/crds/schemagate.io_migrationjobs.yaml"
columns=$(as_json "$kubectl" <"$source_dir/deploy/crds/schemagate.io_migrationjobs.yaml" |
  jq -r '[.spec.versions[0].additionalPrinterColumns[].name] | join(" ")')

use_cluster "$cluster"
"$helm" uninstall crds --namespace "$ns" --wait >/dev/null 2>&1 || true
"$kubectl" delete "$crd" --ignore-not-found --wait >/dev/null
fresh_namespace "$kubectl" "$ns"

check "a release of the former chart installs the CRD from crds/" quiet "$helm" install crds "$work/former" "${release[@]}"
check "which Helm does not own" equals "$(owner)" "  "
refused_upgrade() {
  ! "$helm" upgrade crds "$chart" "${release[@]}" >"$work/out" 2>&1 &&
    grep -q 'CustomResourceDefinition "migrationjobs.schemagate.io".*exists and cannot be imported into the current release' "$work/out" ||
    { sed 's/^/  /' "$work/out"; return 1; }
}
check "so the upgrade to the template is refused, naming the CRD" refused_upgrade
check "the adoption docs/charts.md gives: Helm's label" \
  quiet "$kubectl" label "$crd" app.kubernetes.io/managed-by=Helm
check "and the release's annotations" \
  quiet "$kubectl" annotate "$crd" meta.helm.sh/release-name=crds meta.helm.sh/release-namespace="$ns"
check "then the upgrade succeeds" quiet "$helm" upgrade crds "$chart" "${release[@]}"
check "and the release owns the CRD, kept on uninstall" equals "$(owner)" "Helm crds keep"

check "an upgrade with a changed deploy/crds" quiet "$helm" upgrade crds "$work/changed" "${release[@]}"
check "updates the CRD on the server (crds/ never would)" equals \
  "$(crd_field '{.spec.versions[0].additionalPrinterColumns[*].name}')" "Target $columns"
check "and the next upgrade brings it back to deploy/crds" quiet "$helm" upgrade crds "$chart" "${release[@]}"
check "as the server shows" equals \
  "$(crd_field '{.spec.versions[0].additionalPrinterColumns[*].name}')" "$columns"

"$kubectl" apply --namespace "$ns" -f - >/dev/null <<'YAML'
apiVersion: schemagate.io/v1alpha1
kind: MigrationJob
metadata: {name: survivor}
spec:
  image: registry.example/shop-migrations:1.4.0
  database: {urlSecretRef: {name: db, key: url}}
YAML
check "helm uninstall" quiet "$helm" uninstall crds --namespace "$ns" --wait
check "keeps the CRD" equals "$(crd_field '{.metadata.name}')" migrationjobs.schemagate.io
check "and the MigrationJobs" equals \
  "$("$kubectl" get mj survivor --namespace "$ns" -o jsonpath='{.metadata.name}' 2>&1)" survivor
check "an install under the same release name adopts the kept CRD" quiet "$helm" install crds "$chart" "${release[@]}"

check "crds.keep=false drops the keep policy" quiet "$helm" upgrade crds "$chart" "${release[@]}" --set crds.keep=false
check "as the server shows" equals "$(owner)" "Helm crds "
check "and then helm uninstall" quiet "$helm" uninstall crds --namespace "$ns" --wait
check "deletes the CRD, with its MigrationJobs" quiet "$kubectl" wait --for=delete "$crd" --timeout 120s

check "with the CRD applied by kubectl, as deploy/ does" quiet "$kubectl" apply -f "$source_dir/deploy/crds/"
check "helm install --take-ownership takes it over" quiet "$helm" install crds "$chart" "${release[@]}" --take-ownership
check "and the release owns it" equals "$(owner)" "Helm crds keep"

finish
