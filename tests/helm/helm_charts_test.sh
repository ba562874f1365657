#!/usr/bin/env bash
# The schemagate-init library chart, through the real helm and kubectl:
# lint, render with default and non-default values, apply the rendered
# Deployment to the test API server and read the init container back with
# kubectl, then run exactly those arguments with the static runner in an
# empty root holding only what the pod would mount, against the real
# PostgreSQL of scripts/test.sh.
# Usage: helm_charts_test.sh KUBE_API_SERVER SCHEMAGATE SOURCE_DIR
set -euo pipefail
server_bin=$1
schemagate=$2
source_dir=$3
helm=$source_dir/.tools/bin/helm
kubectl=$source_dir/.tools/bin/kubectl
: "${SCHEMAGATE_TEST_DATABASE_URL:?run through scripts/test.sh, which starts PostgreSQL}"

work=$(mktemp -d /tmp/schemagate-helm.XXXXXX)
server_pid=""
trap '[[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools "$helm" "$kubectl"

# A copy, so that `helm dependency build` writes nothing into the source tree.
cp -r "$source_dir/helm" "$work/helm"
chart=$work/helm/examples/shop-api
"$helm" dependency build "$chart" >/dev/null
check "helm lint --strict of the library chart" "$helm" lint --strict "$work/helm/schemagate-init"
check "helm lint --strict of the example app chart" "$helm" lint --strict "$chart"
check "helm lint --strict with the wait mode" "$helm" lint --strict "$chart" --set migrations.mode=wait

"$helm" template shop "$chart" >"$work/migrate.yaml"
"$helm" template shop-wait "$chart" --set migrations.mode=wait --set migrations.target=abc123 \
  --set migrations.databaseUrlSecret.name=other-db --set migrations.databaseUrlSecret.key=dsn \
  >"$work/wait.yaml"
refused() { ! "$helm" template x "$chart" --set migrations.image= >"$work/refused.txt" 2>&1 &&
  grep -q 'config.image is required' "$work/refused.txt"; }
check "a missing image is refused with the key to set" refused

# The test API server, and kubectl reading the applied objects back.
start_api_server "$server_bin" "$work/api"
check "kubectl applies both renderings" bash -c \
  "'$kubectl' apply -f '$work/migrate.yaml' >/dev/null && '$kubectl' apply -f '$work/wait.yaml' >/dev/null"
get() { "$kubectl" get deployment "$1" -o jsonpath="$2"; }
pod='{.spec.template.spec'
check "migrate mode runs upgrade heads from the mounted Secret" equals \
  "$(get shop "$pod.initContainers[0].args}")" \
  '["--dir","/migrations","--database-url-file","/var/run/schemagate/database/url","--log-format","json","upgrade","heads","--wait-for-db","60","--lock-timeout","600"]'
check "the URL comes from the Secret as a file, never an env variable" equals \
  "$(get shop "$pod.volumes[0].secret.secretName}/$pod.volumes[0].secret.items[0].key} env=$pod.initContainers[0].env[*].name}")" \
  "shop-db/url env=POD_NAME"
check "the init container runs as non-root on a read-only root file system" equals \
  "$(get shop "$pod.initContainers[0].securityContext.runAsNonRoot} $pod.initContainers[0].securityContext.runAsUser} $pod.initContainers[0].securityContext.readOnlyRootFilesystem} $pod.initContainers[0].securityContext.allowPrivilegeEscalation} $pod.initContainers[0].securityContext.capabilities.drop[0]}")" \
  "true 65532 true false ALL"
check "wait mode waits instead of migrating, with the other Secret and key" equals \
  "$(get shop-wait "$pod.initContainers[0].name} $pod.initContainers[0].args[6]} $pod.initContainers[0].args[3]} $pod.volumes[0].secret.secretName}")" \
  "schemagate-wait wait /var/run/schemagate/database/dsn other-db"

# Run the rendered arguments as the pod would: the runner image's root file
# system (the static binary and the migrations) plus the mounted Secret.
root=$work/root
mkdir -p "$root/var/run/schemagate/database"
cp "$schemagate" "$root/schemagate"
cp -r "$source_dir/examples/library/migrations" "$root/migrations"
database=sg_helm_$$
"$PGBIN/psql" -X -q -d "$SCHEMAGATE_TEST_DATABASE_URL" -c "CREATE DATABASE $database"
printf '%s' "${SCHEMAGATE_TEST_DATABASE_URL%/*}/$database" >"$root/var/run/schemagate/database/url"
chmod -R a+rX "$root"
mapfile -t args < <(get shop "$pod.initContainers[0].args}" | tr -d '[]"' | tr ',' '\n')
# A pod's environment: nothing but what the container spec sets.
chroot_bin=$(command -v chroot)
run_as_pod() { env -i POD_NAME=shop-0 "$chroot_bin" --userspec=65532:65532 "$root" /schemagate "$@"; }
if [[ $(id -u) -ne 0 ]]; then
  unshare_bin=$(command -v unshare)
  run_as_pod() { env -i POD_NAME=shop-0 "$unshare_bin" -r "$chroot_bin" "$root" /schemagate "$@"; }
fi
check "the rendered init container migrates the database" run_as_pod "${args[@]}"
check "and the database is at head" equals \
  "$("$PGBIN/psql" -X -At -d "${SCHEMAGATE_TEST_DATABASE_URL%/*}/$database" -c 'select version_num from schemagate_version')" \
  "a84e1c9b3d72"
"$PGBIN/psql" -X -q -d "$SCHEMAGATE_TEST_DATABASE_URL" -c "DROP DATABASE $database WITH (FORCE)"

finish
