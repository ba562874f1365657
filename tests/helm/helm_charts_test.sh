#!/usr/bin/env bash
# The schemagate-init library chart, through the real helm and kubectl: lint,
# render with default and non-default values; then `helm install` of the
# example app on the real control plane, its 3 replicas' init containers
# racing to migrate the real PostgreSQL: every pod becomes Ready and each
# migration is applied exactly once. An upgrade whose migration fails leaves
# the new pod in Init:Error / Init:CrashLoopBackOff, the runner's last lines in
# its status, while the old ReplicaSet keeps serving.
# Usage: helm_charts_test.sh CLUSTER_DIR SOURCE_DIR
set -euo pipefail
cluster=$1
source_dir=$2
work=$(mktemp -d /tmp/schemagate-helm.XXXXXX)
database=sg_helm_init
namespace="helm-shop"
# shellcheck source=tests/support/helm_test.sh
source "$source_dir/tests/support/helm_test.sh"

# A clean copy, as a checkout has it: no `helm dependency build` output. The
# example reaches the library through its committed charts/schemagate-init link.
cp -r "$source_dir/helm" "$work/helm"
rm -f "$work"/helm/examples/*/Chart.lock "$work"/helm/examples/*/charts/*.tgz
chart=$work/helm/examples/shop-api
check "helm lint --strict of the library chart" "$helm" lint --strict "$work/helm/schemagate-init"
check "helm lint of the example app chart on a clean copy, as the README says" \
  quiet "$helm" lint "$chart"
check "helm lint --strict of the example app chart" "$helm" lint --strict "$chart"
check "helm lint --strict with the wait mode" "$helm" lint --strict "$chart" --set migrations.mode=wait

"$helm" template shop "$chart" >"$work/migrate.yaml"
"$helm" template shop-wait "$chart" --set migrations.mode=wait --set migrations.target=abc123 \
  --set migrations.databaseUrlSecret.name=other-db --set migrations.databaseUrlSecret.key=dsn \
  >"$work/wait.yaml"
# Every optional value set, in both modes; wait mode also with no wait for the database.
custom=(--set migrations.imagePullPolicy=Always --set migrations.runAsUser=null
  --set-json 'migrations.extraArgs=["--lock-mode","table",5]'
  --set-json 'migrations.extraEnv=[{"name":"PGSSLROOTCERT","value":"/var/run/ca/ca.crt"}]'
  --set-json 'migrations.extraVolumeMounts=[{"name":"ca","mountPath":"/var/run/ca","readOnly":true}]'
  --set-json 'extraVolumes=[{"name":"ca","configMap":{"name":"db-ca"}}]')
"$helm" template shop-custom "$chart" "${custom[@]}" --set migrations.waitForDbSeconds=0 >"$work/custom.yaml"
"$helm" template shop-custom-wait "$chart" "${custom[@]}" --set migrations.mode=wait \
  --set migrations.waitForDbSeconds=0 >"$work/custom-wait.yaml"
"$helm" template shop-uid "$chart" --set migrations.runAsUser=1000 --set migrations.waitForDbSeconds=15 \
  >"$work/uid.yaml"
"$helm" template shop-all "$chart" --set migrations.phase=all >"$work/all.yaml"
"$helm" template shop-all-wait "$chart" --set migrations.phase=all --set migrations.mode=wait \
  >"$work/all-wait.yaml"
refused() {  # refused PATTERN HELM-ARGS...: helm template fails and says PATTERN
  local pattern=$1
  shift
  if "$helm" template x "$chart" "$@" >"$work/refused.txt" 2>&1 || ! grep -qF -- "$pattern" "$work/refused.txt"; then
    sed 's/^/  /' "$work/refused.txt"
    return 1
  fi
}
check "a phase other than expand or all is refused, saying why" \
  refused 'config.phase must be expand (contract revisions wait for a run after the rollout) or all, not "contract"' \
  --set migrations.phase=contract
check "a missing image is refused with the key to set" refused 'config.image is required' --set migrations.image=
check "a negative waitForDbSeconds is refused with the key and the meaning of 0" \
  refused 'config.waitForDbSeconds must be 0 (do not wait) or more, not -1' --set migrations.waitForDbSeconds=-1
check "a waitForDbSeconds that is no number is refused" \
  refused 'config.waitForDbSeconds must be a number of seconds' --set migrations.waitForDbSeconds=soon
check "an unknown imagePullPolicy is refused with the three allowed" \
  refused 'config.imagePullPolicy must be Always, IfNotPresent or Never, not "Sometimes"' \
  --set migrations.imagePullPolicy=Sometimes

# The renderings as the real API server takes them.
use_cluster "$cluster"
fresh_namespace "$kubectl" "$namespace"
ns=(--namespace "$namespace")
server_accepts() {
  "$kubectl" apply "${ns[@]}" --dry-run=server -f "$work/migrate.yaml" -f "$work/wait.yaml" \
    -f "$work/custom.yaml" -f "$work/custom-wait.yaml" -f "$work/uid.yaml" >"$work/out" 2>&1 ||
    { sed 's/^/  /' "$work/out"; return 1; }
}
check "the server accepts every rendering" server_accepts
get() { yq_deployment "$1" | jq -c "$2"; }
yq_deployment() { as_json "$kubectl" <"$work/$1.yaml" | jq -c 'select(.kind == "Deployment")'; }
check "migrate mode runs upgrade heads from the mounted Secret" equals \
  "$(get migrate '.spec.template.spec.initContainers[0].args')" \
  '["--dir","/migrations","--database-url-file","/var/run/schemagate/database/url","--log-format","json","upgrade","heads","--phase","expand","--wait-for-db","60","--lock-timeout","600"]'
check "the URL comes from the Secret as a file, never an env variable" equals \
  "$(get migrate '.spec.template.spec | [.volumes[0].secret.secretName, .volumes[0].secret.items[0].key, [.initContainers[0].env[].name]]')" \
  '["shop-db","url",["POD_NAME"]]'
check "the init container runs as non-root on a read-only root file system" equals \
  "$(get migrate '.spec.template.spec.initContainers[0].securityContext | [.runAsNonRoot, .runAsUser, .readOnlyRootFilesystem, .allowPrivilegeEscalation, .capabilities.drop[0]]')" \
  '[true,65532,true,false,"ALL"]'
check "wait mode waits instead of migrating, with the other Secret and key" equals \
  "$(get wait '.spec.template.spec | [.initContainers[0].name, .initContainers[0].args[6], .initContainers[0].args[3], .volumes[0].secret.secretName]')" \
  '["schemagate-wait","wait","/var/run/schemagate/database/dsn","other-db"]'
check "wait mode waits for the expand phase by default" equals \
  "$(get wait '.spec.template.spec.initContainers[0].args | .[index("--phase") + 1]')" '"expand"'
check "phase all reaches the runner in both modes" equals \
  "$(get all '.spec.template.spec.initContainers[0].args | .[index("--phase") + 1]') $(get all-wait '.spec.template.spec.initContainers[0].args | .[index("--phase") + 1]')" \
  '"all" "all"'
check "by default the image is pulled IfNotPresent, with no extra env or mounts" equals \
  "$(get migrate '.spec.template.spec.initContainers[0] | [.imagePullPolicy, (.env | length), (.volumeMounts | length)]')" \
  '["IfNotPresent",1,1]'
check "wait mode waits 60 s for the database by default too" equals \
  "$(get wait '.spec.template.spec.initContainers[0].args | .[index("--wait-for-db") + 1]')" '"60"'
check "waitForDbSeconds 0 is passed on as --wait-for-db 0 (no wait), not turned into 60" equals \
  "$(get custom '.spec.template.spec.initContainers[0].args | .[index("--wait-for-db") + 1]')" '"0"'
check "and in wait mode" equals \
  "$(get custom-wait '.spec.template.spec.initContainers[0].args | .[index("--wait-for-db") + 1]')" '"0"'
check "another waitForDbSeconds reaches the runner" equals \
  "$(get uid '.spec.template.spec.initContainers[0].args | .[index("--wait-for-db") + 1]')" '"15"'
check "extraArgs come after the chart's own arguments, as strings, in both modes" equals \
  "$(get custom '.spec.template.spec.initContainers[0].args[-5:]') $(get custom-wait '.spec.template.spec.initContainers[0].args[-5:]')" \
  '["--lock-timeout","600","--lock-mode","table","5"] ["--wait-for-db","0","--lock-mode","table","5"]'
check "imagePullPolicy, extraEnv and extraVolumeMounts reach the container" equals \
  "$(get custom '.spec.template.spec.initContainers[0] | [.imagePullPolicy, .env[1], .volumeMounts[1]]')" \
  '["Always",{"name":"PGSSLROOTCERT","value":"/var/run/ca/ca.crt"},{"mountPath":"/var/run/ca","name":"ca","readOnly":true}]'
check "runAsUser null: runAsNonRoot only, uid and gid left to the platform" equals \
  "$(get custom '.spec.template.spec.initContainers[0].securityContext | [.runAsNonRoot, has("runAsUser"), has("runAsGroup")]')" \
  '[true,false,false]'
check "runAsUser 1000: that uid, the image's group" equals \
  "$(get uid '.spec.template.spec.initContainers[0].securityContext | [.runAsNonRoot, .runAsUser, .runAsGroup]')" \
  '[true,1000,65532]'

# Installed: the database the init containers migrate, in the Secret the chart names.
psql -d "$SCHEMAGATE_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
url=${SCHEMAGATE_TEST_DATABASE_URL%/*}/$database
"$kubectl" create secret generic shop-db "${ns[@]}" --from-literal "url=$url" >/dev/null
check "helm install of the example app: 3 replicas migrate and become Ready" \
  quiet "$helm" install shop "$chart" "${ns[@]}" --wait --timeout 180s
check "the database is at head" equals \
  "$(psql -At -d "$url" -c 'SELECT version_num FROM schemagate_version')" a84e1c9b3d72
check "each migration was applied exactly once by the racing replicas" equals \
  "$(psql -At -d "$url" -c "SELECT count(*) FILTER (WHERE n <> 1) || ' ' || count(*) FROM (SELECT revision, count(*) n FROM schemagate_history WHERE direction = 'up' AND outcome = 'succeeded' GROUP BY revision) t")" \
  "0 $(ls "$source_dir/examples/library/migrations/versions/"*.sql | wc -l)"
ready_pods() {  # ready_pods IMAGE: how many Ready pods run IMAGE
  "$kubectl" get pods "${ns[@]}" -o json | jq --arg image "$1" '[.items[]
    | select(.spec.containers[0].image == $image and .metadata.deletionTimestamp == null
             and any(.status.conditions[]?; .type == "Ready" and .status == "True"))] | length'
}
check "three pods serve" equals "$(ready_pods registry.example/shop-api:1.4.0)" 3

# An upgrade whose migration fails.
"$helm" upgrade shop "$chart" "${ns[@]}" --set image=registry.example/shop-api:2.0.0 \
  --set migrations.image=registry.example/shop-migrations:failing >/dev/null
init_failing() {  # the new pod's STATUS column, once its init container has failed and been restarted
  local pod
  pod=$("$kubectl" get pods "${ns[@]}" -o json | jq -r '.items[]
    | select(.spec.containers[0].image == "registry.example/shop-api:2.0.0")
    | select(.status.initContainerStatuses[0].restartCount >= 1) | .metadata.name' | head -1)
  [[ -n $pod ]] && "$kubectl" get pod "$pod" "${ns[@]}" --no-headers | awk '{print $3}'
}
failing_status=""
for _ in $(seq 1 600); do
  failing_status=$(init_failing || true)
  [[ $failing_status == Init:Error || $failing_status == Init:CrashLoopBackOff ]] && break
  sleep 0.2
done
check "the new pod's failed migration shows as Init:Error or Init:CrashLoopBackOff ($failing_status)" \
  grep -qxE 'Init:(Error|CrashLoopBackOff)' <<<"$failing_status"
check "and its status ends with the runner's log, naming the failing migration (FallbackToLogsOnError)" \
  grep -q f00dfa11ed01 <("$kubectl" get pods "${ns[@]}" -o json | jq -r '.items[]
    | select(.spec.containers[0].image == "registry.example/shop-api:2.0.0")
    | .status.initContainerStatuses[0] | (.lastState.terminated.message, .state.terminated.message) // empty')
check "and the old ReplicaSet keeps serving: three pods of 1.4.0 Ready" equals \
  "$(ready_pods registry.example/shop-api:1.4.0)" 3
check "none of 2.0.0" equals "$(ready_pods registry.example/shop-api:2.0.0)" 0
check "the database stays at the last good head" equals \
  "$(psql -At -d "$url" -c 'SELECT version_num FROM schemagate_version')" a84e1c9b3d72

finish
