#!/usr/bin/env bash
# schemagate-init's migrationJob: the example app chart with migrations.mode
# hook, through the real helm and kubectl. Rendered: a Job with Helm's
# pre-install/pre-upgrade and Argo CD's PreSync hook annotations, the runner's
# upgrade as the init container would run it, and a Deployment without init
# containers; what the template refuses. On the real control plane: helm
# install runs the Job first, which migrates the real PostgreSQL, and Helm
# deletes it once it succeeded; an upgrade whose migration fails fails the
# upgrade, leaves the Deployment as it was and keeps the failed Job, whose pod's
# status carries the runner's last lines; the next upgrade replaces it.
# Usage: migration_hook_test.sh CLUSTER_DIR SOURCE_DIR
set -euo pipefail
cluster=$1
source_dir=$2
work=$(mktemp -d /tmp/schemagate-hook.XXXXXX)
database=sg_helm_hook
namespace="helm-hook"
ns=(--namespace "$namespace")
# shellcheck source=tests/support/helm_test.sh
source "$source_dir/tests/support/helm_test.sh"
chart=$source_dir/helm/examples/shop-api
hook=(--set migrations.mode=hook --set replicas=1)
render() {  # render NAME HELM-ARGS...: the example as release NAME, into $work/NAME.{yaml,json}
  local name=$1
  shift
  "$helm" template "$name" "$chart" "${hook[@]}" "$@" 2>/dev/null >"$work/$name.yaml"
  as_json "$kubectl" <"$work/$name.yaml" | jq -s . >"$work/$name.json"
}
job() { jq -c ".[] | select(.kind == \"Job\") | $2" "$work/$1.json"; }
refused() {  # refused PATTERN HELM-ARGS...: helm template fails and says PATTERN
  local pattern=$1
  shift
  if "$helm" template x "$chart" "${hook[@]}" "$@" >"$work/refused" 2>&1 || ! grep -qF -- "$pattern" "$work/refused"; then
    sed 's/^/  /' "$work/refused"
    return 1
  fi
}

check "helm lint --strict of the example with the hook" quiet "$helm" lint --strict "$chart" "${hook[@]}"
render shop
check "mode hook renders the Deployment and a Job" equals "$(jq -c '[.[].kind] | sort' "$work/shop.json")" '["Deployment","Job"]'
check "whose pods have no init container: the Job migrated before they are applied" equals \
  "$(jq -c '.[] | select(.kind == "Deployment") | .spec.template.spec | has("initContainers")' "$work/shop.json")" false
check "the Job is a Helm pre-install and pre-upgrade hook and an Argo CD PreSync hook, a failed one kept" equals \
  "$(job shop .metadata.annotations)" \
  '{"argocd.argoproj.io/hook":"PreSync","argocd.argoproj.io/hook-delete-policy":"BeforeHookCreation,HookSucceeded","argocd.argoproj.io/sync-wave":"-5","helm.sh/hook":"pre-install,pre-upgrade","helm.sh/hook-delete-policy":"before-hook-creation,hook-succeeded","helm.sh/hook-weight":"-5"}'
check "it runs the init container's upgrade, from the mounted Secret" equals \
  "$(job shop '.spec.template.spec | [.containers[0].args, .volumes[0].secret.secretName]')" \
  '[["--dir","/migrations","--database-url-file","/var/run/schemagate/database/url","--log-format","json","upgrade","heads","--phase","expand","--wait-for-db","60","--lock-timeout","600"],"shop-db"]'
check "once, with no service account token, within a deadline, as non-root" equals \
  "$(job shop '[.spec.backoffLimit, .spec.activeDeadlineSeconds, (.spec.template.spec | .restartPolicy, .automountServiceAccountToken, .containers[0].securityContext.runAsNonRoot)]')" \
  '[1,900,"Never",false,true]'
render custom --set migrations.hook.weight=3 --set migrations.hook.deletePolicy=hook-failed\\,before-hook-creation \
  --set migrations.hook.backoffLimit=0 --set migrations.hook.activeDeadlineSeconds=120 \
  --set migrations.hook.podAnnotations.sidecar\\.istio\\.io/inject=false --set migrations.hook.serviceAccountName=migrator \
  --set-json 'migrations.extraVolumeMounts=[{"name":"ca","mountPath":"/var/run/ca","readOnly":true}]' \
  --set-json 'extraVolumes=[{"name":"ca","configMap":{"name":"db-ca"}}]'
check "hook weight, delete policy (in Argo CD's words too), retries and deadline as set" equals \
  "$(job custom '[.metadata.annotations["helm.sh/hook-weight"], .metadata.annotations["argocd.argoproj.io/hook-delete-policy"], .spec.backoffLimit, .spec.activeDeadlineSeconds]')" \
  '["3","HookFailed,BeforeHookCreation",0,120]'
check "pod annotations, the service account, and the app's extraVolumes for its mounts" equals \
  "$(job custom '.spec.template | [.metadata.annotations["sidecar.istio.io/inject"], .spec.serviceAccountName, has("automountServiceAccountToken"), .spec.volumes[1].name, .spec.containers[0].volumeMounts[1].name]')" \
  '["false","migrator",false,"ca","ca"]'
check "a delete policy Helm does not know is refused, naming the three" \
  refused 'config.hook.deletePolicy: "hook-done" is none of before-hook-creation, hook-succeeded, hook-failed' \
  --set migrations.hook.deletePolicy=hook-done
check "a weight that is no whole number is refused" \
  refused 'config.hook.weight must be a whole number, not "soon"' --set migrations.hook.weight=soon
check "an unknown mode is refused, naming the three" \
  refused 'migrations.mode must be migrate, wait or hook, not "later"' --set migrations.mode=later

use_cluster "$cluster"
fresh_namespace "$kubectl" "$namespace"
server_accepts() {
  "$kubectl" apply "${ns[@]}" --dry-run=server -f "$work/shop.yaml" -f "$work/custom.yaml" >"$work/out" 2>&1 ||
    { sed 's/^/  /' "$work/out"; return 1; }
}
check "the server accepts both renderings" server_accepts

psql -d "$SCHEMAGATE_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
url=${SCHEMAGATE_TEST_DATABASE_URL%/*}/$database
"$kubectl" create secret generic shop-db "${ns[@]}" --from-literal "url=$url" >/dev/null
check "helm install: the hook Job migrates, then the app is applied and becomes Ready" \
  quiet "$helm" install shop "$chart" "${ns[@]}" "${hook[@]}" --wait --timeout 180s
check "the database is at head, each migration applied once" equals \
  "$(psql -At -d "$url" -c "SELECT version_num FROM schemagate_version") $(psql -At -d "$url" -c "SELECT count(*) FILTER (WHERE n <> 1) FROM (SELECT revision, count(*) n FROM schemagate_history WHERE direction = 'up' AND outcome = 'succeeded' GROUP BY revision) t")" \
  "a84e1c9b3d72 0"
check "Helm deleted the Job once it succeeded (hook-succeeded)" equals \
  "$("$kubectl" get jobs "${ns[@]}" -o name)" ""

failed_upgrade() {
  ! "$helm" upgrade shop "$chart" "${ns[@]}" "${hook[@]}" --set image=registry.example/shop-api:2.0.0 \
    --set migrations.image=registry.example/shop-migrations:failing --set migrations.hook.backoffLimit=0 \
    --wait --timeout 180s >"$work/out" 2>&1 && grep -q 'pre-upgrade hooks failed' "$work/out" ||
    { sed 's/^/  /' "$work/out"; return 1; }
}
check "an upgrade whose migration fails fails, in its pre-upgrade hook" failed_upgrade
check "the Deployment was not touched: still 1.4.0" equals \
  "$("$kubectl" get deployment shop "${ns[@]}" -o jsonpath='{.spec.template.spec.containers[0].image}')" \
  registry.example/shop-api:1.4.0
check "the failed Job is kept for its logs" equals \
  "$("$kubectl" get job shop-schemagate-migrate "${ns[@]}" -o jsonpath='{.status.conditions[?(@.type=="Failed")].status}')" True
check "its pod's status ends with the runner's log, naming the failing migration" \
  grep -q f00dfa11ed01 <("$kubectl" get pods "${ns[@]}" -l job-name=shop-schemagate-migrate \
    -o jsonpath='{.items[*].status.containerStatuses[0].state.terminated.message}')
check "the database stays at the last good head" equals \
  "$(psql -At -d "$url" -c 'SELECT version_num FROM schemagate_version')" a84e1c9b3d72
check "the next upgrade replaces the failed Job (before-hook-creation) and goes through" \
  quiet "$helm" upgrade shop "$chart" "${ns[@]}" "${hook[@]}" --set image=registry.example/shop-api:2.0.0 --wait --timeout 180s
check "with the app at 2.0.0" equals \
  "$("$kubectl" get deployment shop "${ns[@]}" -o jsonpath='{.spec.template.spec.containers[0].image}')" \
  registry.example/shop-api:2.0.0

finish
