#!/usr/bin/env bash
# The operator on a local Kubernetes, for a first look: starts a throwaway
# PostgreSQL and the real control plane (scripts/kube.sh; the first run builds
# it, several minutes), installs the operator from deploy/ as a pod, applies
# the example MigrationJob that gates the shop-api Deployment, and shows the
# migration go Ready and the Deployment roll out. `scripts/quickstart.sh --kube`
# runs it; with --keep everything stays up and KUBECONFIG is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
keep=false
[[ ${1:-} == --keep ]] && keep=true

scripts/setup.sh
scripts/build.sh
build=$root/${BUILD_DIR:-build}
kubectl=$root/.tools/bin/kubectl

pgdir=$(mktemp -d /tmp/schemagate-pg.XXXXXX)
kubedir=$(mktemp -d /tmp/schemagate-kube.XXXXXX)
$keep || trap '"$root/scripts/kube.sh" stop "$kubedir"; "$root/scripts/pg.sh" stop "$pgdir"' EXIT
scripts/pg.sh start "$pgdir"
database_url=$(sed -n 's/^DATABASE_URL=//p' "$pgdir/env")
echo "starting the control plane (the first run builds Kubernetes)..."
scripts/kube.sh start "$kubedir"
bash tests/kube/images.sh "$kubedir" "$build/runner/schemagate" "$build/operator/schemagate-operator" "$root"
export KUBECONFIG=$kubedir/kubeconfig

# step ARGS...: shows `kubectl ARGS` and runs it with the kubectl of .tools/
step() { printf '\n$ kubectl %s\n' "$*"; "$kubectl" "$@"; }
step apply -k deploy/
step rollout status deployment/schemagate-operator -n schemagate-system --timeout 180s

"$kubectl" create namespace shop >/dev/null
# The example Secret names an example host; this one the local PostgreSQL.
"$kubectl" create secret generic shop-db -n shop --from-literal "url=$database_url" >/dev/null
"$kubectl" create deployment shop-api -n shop --image registry.example/shop-api:1.4.0 --replicas 2 >/dev/null
step apply -n shop -f deploy/examples/migrationjob-with-rollout-gate.yaml
step wait -n shop --for=condition=Ready migrationjob/shop-migrate-gated --timeout 180s
step rollout status -n shop deployment/shop-api --timeout 180s
step get -n shop migrationjobs,jobs,deployments,pods
step get events -n shop --field-selector involvedObject.kind=MigrationJob

if $keep; then
  printf '\nThe cluster keeps running: export KUBECONFIG=%s\n' "$KUBECONFIG"
  printf 'kubectl is %s; stop everything with:\n  %s/scripts/kube.sh stop %s; %s/scripts/pg.sh stop %s\n' \
    "$kubectl" "$root" "$kubedir" "$root" "$pgdir"
fi
