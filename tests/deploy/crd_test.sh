#!/usr/bin/env bash
# The MigrationJob CRD and the examples of deploy/, applied with the real
# kubectl to the real API server, which validates and defaults them with the
# CRD's structural schema: short name, defaults, the status subresource, and
# what the schema refuses, with the server's own messages.
# Usage: crd_test.sh CLUSTER_DIR SOURCE_DIR
set -euo pipefail
cluster=$1
source_dir=$2
kubectl=$source_dir/.tools/bin/kubectl

work=$(mktemp -d /tmp/schemagate-crd.XXXXXX)
trap '"$kubectl" delete namespace crd-test --wait=false >/dev/null 2>&1; rm -rf "$work"' EXIT
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools "$kubectl" jq
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

use_cluster "$cluster"
check "the CRD applies" "$kubectl" apply -f "$source_dir/deploy/crds/"
check "and is established" "$kubectl" wait --for condition=Established crd/migrationjobs.schemagate.io --timeout 60s
fresh_namespace "$kubectl" crd-test
export KUBECONFIG=$work/kubeconfig
"$kubectl" config view --raw --kubeconfig "$cluster/kubeconfig" >"$KUBECONFIG"
"$kubectl" config set-context --current --namespace crd-test >/dev/null
check "the examples apply, and the one that shapes its pod" \
  "$kubectl" apply -f "$source_dir/deploy/examples/" -f "$source_dir/deploy/examples/more/"
check "the short name lists the examples' three MigrationJobs" equals \
  "$("$kubectl" get mj -o name | sort | tr '\n' ' ')" \
  "migrationjob.schemagate.io/shop-migrate migrationjob.schemagate.io/shop-migrate-gated migrationjob.schemagate.io/shop-migrate-meshed "
check "the meshed example keeps its pod's annotations, arguments and mounts, as the schema knows them" equals \
  "$("$kubectl" get mj shop-migrate-meshed -o json | jq -c '.spec | [.podTemplate.metadata.annotations["sidecar.istio.io/inject"],
     .container.args, .container.volumeMounts[0].mountPath, .podTemplate.spec.volumes[0].configMap.name]')" \
  '["false",["--lock-mode","table"],"/etc/shop-db-ca","shop-db-ca"]'
check "the schema's defaults fill an example that leaves them out" equals \
  "$("$kubectl" get mj shop-migrate -o jsonpath='{.spec.target} {.spec.migrationsDir} {.spec.backoffLimit} {.spec.activeDeadlineSeconds} {.spec.safetyChecks} {.spec.phases}')" \
  "heads /migrations 2 900 false auto"
check "the rollout gate names its Deployment" equals \
  "$("$kubectl" get mj shop-migrate-gated -o jsonpath='{.spec.rollout.targetRef.kind}/{.spec.rollout.targetRef.name}')" \
  "Deployment/shop-api"
check "status is written through the status subresource" "$kubectl" patch mj shop-migrate \
  --subresource=status --type merge -p '{"status":{"phase":"Succeeded","appliedRevision":"a84e1c9b3d72"}}'
check "and read back" equals \
  "$("$kubectl" get mj shop-migrate -o jsonpath='{.status.phase} {.status.appliedRevision}')" \
  "Succeeded a84e1c9b3d72"
check "kubectl get shows the Ready condition's status and reason as columns" equals \
  "$("$kubectl" patch mj shop-migrate --subresource=status --type merge -p \
       '{"status":{"conditions":[{"type":"Ready","status":"False","reason":"MigrationFailed","message":"m","lastTransitionTime":"2026-11-22T06:00:00Z"}]}}' >/dev/null &&
     "$kubectl" get mj shop-migrate | awk '{print $1, $2, $3, $4, $5}')" \
  "NAME PHASE READY REASON REVISION
shop-migrate Succeeded False MigrationFailed a84e1c9b3d72"
check "a spec without an image is refused, the field named" \
  refused 'spec.image: Required value' apply -f "$(invalid '{database: {urlSecretRef: {name: db, key: url}}}')"
check "a spec without the database Secret is refused" \
  refused 'spec.database: Required value' apply -f "$(invalid '{image: x}')"
check "a rollout target that is neither Deployment nor StatefulSet is refused" \
  refused 'spec.rollout.targetRef.kind: Unsupported value: "Job"' \
  apply -f "$(invalid '{image: x, database: {urlSecretRef: {name: db, key: url}}, rollout: {targetRef: {kind: Job, name: y}}}')"
check "a target that no revision name can hold is refused" \
  refused 'spec.target in body should match' \
  apply -f "$(invalid '{image: x, target: "a b", database: {urlSecretRef: {name: db, key: url}}}')"
check "a negative backoffLimit is refused" \
  refused 'spec.backoffLimit in body should be greater than or equal to 0' \
  apply -f "$(invalid '{image: x, backoffLimit: -1, database: {urlSecretRef: {name: db, key: url}}}')"
check "spec.phases other than auto or all is refused" \
  refused 'spec.phases: Unsupported value: "expand"' \
  apply -f "$(invalid '{image: x, phases: expand, database: {urlSecretRef: {name: db, key: url}}}')"
check "a phase outside the enum is refused" \
  refused 'status.phase: Unsupported value: "Weird"' \
  patch mj shop-migrate --subresource=status --type merge -p '{"status":{"phase":"Weird"}}'
check "an unknown spec field is refused under kubectl's strict field validation" \
  refused 'unknown field "spec.surprise"' \
  apply -f "$(invalid '{image: x, surprise: 1, database: {urlSecretRef: {name: db, key: url}}}')"
pruned() {  # without validation, the structural schema prunes the field and keeps the rest
  "$kubectl" apply --validate=false -f "$work/bad.yaml" >/dev/null &&
    equals "$("$kubectl" get mj bad -o jsonpath='{.spec.surprise}|{.spec.image}')" "|x"
}
check "and pruned by the server when not validated" pruned
custom() {  # a MigrationJob "custom" whose pod is shaped by podTemplate and container
  cat >"$work/custom.yaml" <<'YAML'
apiVersion: schemagate.io/v1alpha1
kind: MigrationJob
metadata: {name: custom}
spec:
  image: x
  database: {urlSecretRef: {name: db, key: url}}
  podTemplate:
    metadata:
      labels: {team: shop}
      annotations: {sidecar.istio.io/inject: "false"}
    spec:
      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [db]}]}]}}}
      nodeSelector: {pool: db}
      tolerations: [{key: db, operator: Exists}]
      priorityClassName: migrations
      securityContext: {runAsNonRoot: true}
      volumes: [{name: ca, configMap: {name: db-ca}}]
      imagePullSecrets: [{name: registry}]
      serviceAccountName: migrator
  container:
    args: [--lock-mode, table]
    env: [{name: PGSSLROOTCERT, value: /etc/db-ca/ca.crt}]
    envFrom: [{configMapRef: {name: pg}}]
    volumeMounts: [{name: ca, mountPath: /etc/db-ca, readOnly: true}]
    resources: {limits: {memory: 64Mi}}
    securityContext: {readOnlyRootFilesystem: true}
    imagePullPolicy: Always
YAML
  echo "$work/custom.yaml"
}
check "a MigrationJob with podTemplate and container applies" "$kubectl" apply -f "$(custom)"
check "and keeps them" equals \
  "$("$kubectl" get mj custom -o jsonpath='{.spec.podTemplate.metadata.annotations.sidecar\.istio\.io/inject} {.spec.podTemplate.spec.volumes[0].name} {.spec.container.args} {.spec.container.imagePullPolicy}')" \
  'false ca ["--lock-mode","table"] Always'
check "a container arg that is not a string is refused, the field named" \
  refused 'spec.container.args\[0\] in body must be of type string' \
  apply -f "$(invalid '{image: x, database: {urlSecretRef: {name: db, key: url}}, container: {args: [1]}}')"
check "a pod label that is not a string is refused" \
  refused 'spec.podTemplate.metadata.labels.team in body must be of type string' \
  apply -f "$(invalid '{image: x, database: {urlSecretRef: {name: db, key: url}}, podTemplate: {metadata: {labels: {team: 1}}}}')"
check "a runAsUser that is not a number is refused" \
  refused 'spec.podTemplate.spec.securityContext.runAsUser in body must be of type integer' \
  apply -f "$(invalid '{image: x, database: {urlSecretRef: {name: db, key: url}}, podTemplate: {spec: {securityContext: {runAsUser: nobody}}}}')"
check "an unknown image pull policy is refused" \
  refused 'spec.container.imagePullPolicy: Unsupported value: "Sometimes"' \
  apply -f "$(invalid '{image: x, database: {urlSecretRef: {name: db, key: url}}, container: {imagePullPolicy: Sometimes}}')"
check "a volume mount without its path is refused" \
  refused 'spec.container.volumeMounts\[0\].mountPath: Required value' \
  apply -f "$(invalid '{image: x, database: {urlSecretRef: {name: db, key: url}}, container: {volumeMounts: [{name: ca}]}}')"
finish
