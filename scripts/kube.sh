#!/usr/bin/env bash
# The real Kubernetes control plane on 127.0.0.1, for the tests, the operator
# benchmark and the Kubernetes quick start: etcd, kube-apiserver,
# kube-controller-manager and kube-scheduler built from one pinned release
# (tests/kube/go.mod), and the node agent in place of a kubelet.
#
#   scripts/kube.sh build              build, or reuse, the binaries under .tools/
#   scripts/kube.sh start DIR          start everything; DIR/kubeconfig is cluster admin,
#                                      DIR/env holds KUBECONFIG
#   scripts/kube.sh stop DIR           stop everything and delete DIR
#   scripts/kube.sh image DIR REF ROOTFS [ENTRYPOINT...]
#                                      a container of image REF runs with ROOTFS as its root,
#                                      ENTRYPOINT as the image's (what a pod's command replaces)
#   scripts/kube.sh bin                print the directory holding the control plane's binaries
#
# Certificates are made by openssl; the API server authorizes with Node,RBAC,
# and every component has its own identity, as on a real cluster.
set -euo pipefail

source_dir=$(cd "$(dirname "$0")/.." && pwd)
module_dir=$source_dir/tests/kube
release=$(sed -n 's/^\tk8s.io\/kubernetes \(v[0-9.]*\)$/\1/p' "$module_dir/go.mod")
# shellcheck source=scripts/free_port.sh
source "$source_dir/scripts/free_port.sh"

usage() {
  echo "usage: kube.sh build | bin | start DIR | stop DIR | image DIR REF ROOTFS" >&2
  exit 2
}

# Two caches under .tools/: the control plane, keyed by the release and the
# module's go.sum (it changes only with them), and our own test programs (the
# node agent, the fault proxy), keyed by their sources. Each is built into a
# temporary directory and renamed when complete, so an interrupted or failed
# build leaves nothing that a later run would trust.
hash_of() {  # hash_of FILE...: a short hash of the files' contents
  sha256sum "$@" | sha256sum | cut -c1-12
}
# The version a release build stamps in, which clients read from /version
# (helm checks a chart's kubeVersion against it).
version_stamp() {
  local minor=${release#v1.} package
  minor=${minor%%.*}
  for package in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    printf ' -X %s.gitVersion=%s -X %s.gitMajor=1 -X %s.gitMinor=%s' "$package" "$release" "$package" "$package" "$minor"
    printf ' -X %s.gitTreeState=clean -X %s.buildDate=1970-01-01T00:00:00Z' "$package" "$package"
  done
}
control_plane_dir() {
  echo "$source_dir/.tools/kube-$release-$(cd "$module_dir" && hash_of go.mod go.sum <(version_stamp))"
}
test_programs_dir() {
  local sources
  mapfile -t sources < <(cd "$module_dir" && find cmd -name '*.go' | sort)
  echo "$source_dir/.tools/kube-test-programs-$(cd "$module_dir" && hash_of go.mod go.sum "${sources[@]}")"
}

# build_into DIR LDFLAGS PACKAGE...: go build, atomically, unless DIR is complete
build_into() {
  local target=$1 ldflags=$2 partial
  shift 2
  [[ -f $target/complete ]] && return 0
  command -v go >/dev/null || { echo "kube.sh: Go 1.25 or newer is needed to build the control plane; install it and run again" >&2; exit 1; }
  echo "kube.sh: building $(basename "$target")" >&2
  mkdir -p "$source_dir/.tools"
  partial=$(mktemp -d "$source_dir/.tools/kube-partial.XXXXXX")
  if ! (cd "$module_dir" && go build -trimpath -ldflags="-s $ldflags" -o "$partial/" "$@"); then
    rm -rf "$partial"
    echo "kube.sh: the build of $(basename "$target") failed" >&2
    exit 1
  fi
  touch "$partial/complete"
  rm -rf "$target"
  mv "$partial" "$target"
}

build() {
  local control_plane programs
  control_plane=$(control_plane_dir)
  programs=$(test_programs_dir)
  build_into "$control_plane" "$(version_stamp)" ./cmd/etcd k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler
  build_into "$programs" "" ./cmd/node-agent ./cmd/fault-proxy
  # Control planes of other releases are of no further use (a few hundred
  # MB each). Older test programs are kept: a cluster started before their
  # sources changed still runs them.
  find "$source_dir/.tools" -maxdepth 1 -name "kube-v*" ! -path "$control_plane" -exec rm -rf {} +
}

# wait_for WHAT SECONDS COMMAND...: polls COMMAND until it succeeds.
wait_for() {
  local what=$1 seconds=$2 deadline=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      echo "kube.sh: $what did not become healthy within $seconds s; logs in $dir/logs" >&2
      return 1
    fi
    sleep 0.2
  done
}

certificate() {  # certificate NAME SUBJECT [SAN]: a client or server pair signed by the CA
  local name=$1 subject=$2 san=${3:-}
  openssl req -new -newkey rsa:2048 -nodes -keyout "$pki/$name.key" -subj "$subject" \
    -out "$pki/$name.csr" 2>/dev/null
  if [[ -n $san ]]; then
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san" >"$pki/$name.ext"
  else
    printf 'extendedKeyUsage=clientAuth\n' >"$pki/$name.ext"
  fi
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 30 -extfile "$pki/$name.ext" -out "$pki/$name.crt" 2>/dev/null
  rm -f "$pki/$name.csr" "$pki/$name.ext"
}

kubeconfig() {  # kubeconfig NAME: a kubeconfig for the pair NAME
  cat >"$dir/$1.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "https://127.0.0.1:$api_port", certificate-authority: "$pki/ca.crt"}
users:
- name: $1
  user: {client-certificate: "$pki/$1.crt", client-key: "$pki/$1.key"}
contexts:
- name: local
  context: {cluster: local, user: $1, namespace: default}
current-context: local
EOF
}

start_process() {  # start_process NAME COMMAND...: in the background, pid in DIR/pids/NAME
  "${@:2}" >"$dir/logs/$1.log" 2>&1 &
  echo $! >"$dir/pids/$1"
}

healthy() {  # healthy URL: the component's health endpoint answers ok
  [[ $(curl -sk --max-time 2 --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "$1") == ok ]]
}

# start_serving NAME COMMAND...: starts a component that serves /healthz on a
# secure port of its own (appended as --secure-port) and waits until it
# answers. A component that dies first, as when another process took its port
# between free_port and its bind, starts again on another port; its log is
# kept beside the new one.
start_serving() {
  local name=$1 attempt port pid deadline
  shift
  for attempt in 1 2 3; do
    port=$(free_port)
    start_process "$name" "$@" --secure-port "$port"
    pid=$(cat "$dir/pids/$name")
    deadline=$((SECONDS + 180))
    until healthy "https://127.0.0.1:$port/healthz"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        mv "$dir/logs/$name.log" "$dir/logs/$name.exited-$attempt.log"
        continue 2
      fi
      if ((SECONDS >= deadline)); then
        echo "kube.sh: $name did not become healthy within 180 s; logs in $dir/logs" >&2
        return 1
      fi
      sleep 0.2
    done
    return 0
  done
  echo "kube.sh: $name exited three times before serving; logs in $dir/logs" >&2
  return 1
}

# A start that fails stops what it started, after showing the end of each
# component's log (the directory goes with the stop).
stop_after_failure() {
  local log
  trap - ERR
  for log in "$dir"/logs/*.log; do
    [[ -f $log ]] || continue
    echo "--- $(basename "$log"), last lines:" >&2
    tail -n 15 "$log" >&2
  done
  stop
}

start() {
  set -E
  trap stop_after_failure ERR
  build
  bin=$(control_plane_dir)
  programs=$(test_programs_dir)
  mkdir -p "$dir/logs" "$dir/pids" "$dir/images" "$dir/pki"
  dir=$(cd "$dir" && pwd)
  pki=$dir/pki
  api_port=$(free_port)
  openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" \
    -subj /CN=schemagate-test-ca -days 30 2>/dev/null
  certificate apiserver /CN=kube-apiserver \
    "IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
  certificate admin "/O=system:masters/CN=schemagate-admin"
  certificate controller-manager /CN=system:kube-controller-manager
  certificate scheduler /CN=system:kube-scheduler
  certificate node "/O=system:nodes/CN=system:node:schemagate-node"
  openssl genrsa -out "$pki/service-account.key" 2048 2>/dev/null
  openssl rsa -in "$pki/service-account.key" -pubout -out "$pki/service-account.pub" 2>/dev/null
  for name in admin controller-manager scheduler node; do kubeconfig "$name"; done
  cp "$dir/admin.kubeconfig" "$dir/kubeconfig"

  local etcd_port peer_port
  etcd_port=$(free_port)
  peer_port=$(free_port)
  # fsync is off: the cluster is thrown away after the run.
  start_process etcd "$bin/etcd" --name local --data-dir "$dir/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "local=http://127.0.0.1:$peer_port" --listen-metrics-urls "" --log-level warn
  wait_for etcd 60 curl -sf "http://127.0.0.1:$etcd_port/health"

  # The audit log records what every workload's service account asked, so
  # tests can hold an operator's requests against its RBAC rules; the
  # controllers' own service accounts are left out.
  cat >"$dir/audit-policy.yaml" <<'POLICY'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: None
  userGroups: ["system:serviceaccounts:kube-system"]
- level: Metadata
  userGroups: ["system:serviceaccounts"]
- level: None
POLICY
  start_process kube-apiserver "$bin/kube-apiserver" \
    --audit-policy-file "$dir/audit-policy.yaml" --audit-log-path "$dir/audit.log" \
    --audit-log-format json --audit-log-maxsize 0 \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --cert-dir "$dir/apiserver" --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" --authorization-mode Node,RBAC \
    --service-account-issuer https://kubernetes.default.svc \
    --service-account-key-file "$pki/service-account.pub" \
    --service-account-signing-key-file "$pki/service-account.key" \
    --service-cluster-ip-range 10.0.0.0/24 --allow-privileged \
    --enable-admission-plugins NodeRestriction \
    --endpoint-reconciler-type none --v 1
  wait_for kube-apiserver 300 healthy "https://127.0.0.1:$api_port/readyz"

  start_serving kube-controller-manager "$bin/kube-controller-manager" \
    --kubeconfig "$dir/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$dir/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$dir/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false \
    --use-service-account-credentials --root-ca-file "$pki/ca.crt" \
    --service-account-private-key-file "$pki/service-account.key" \
    --controllers "${KUBE_CONTROLLERS:-deployment-controller,replicaset-controller,statefulset-controller,job-controller,garbage-collector-controller,namespace-controller,serviceaccount-controller,serviceaccount-token-controller,ttl-after-finished-controller,root-ca-certificate-publisher-controller,endpointslice-controller,node-lifecycle-controller}" \
    --concurrent-deployment-syncs 2 --v 1
  start_serving kube-scheduler "$bin/kube-scheduler" \
    --kubeconfig "$dir/scheduler.kubeconfig" \
    --authentication-kubeconfig "$dir/scheduler.kubeconfig" \
    --authorization-kubeconfig "$dir/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --v 1
  start_process node-agent "$programs/node-agent" --kubeconfig "$dir/node.kubeconfig" \
    --node-name schemagate-node --images "$dir/images" --state "$dir/node" \
    --api-host 127.0.0.1 --api-port "$api_port"

  cat >"$dir/env" <<ENV
KUBECONFIG=$dir/kubeconfig
KUBE_API_PORT=$api_port
KUBE_BIN=$bin
KUBE_FAULT_PROXY=$programs/fault-proxy
KUBE_AUDIT_LOG=$dir/audit.log
ENV
  # Ready when the node is, and the default namespace has its service account
  # and root CA (the controllers that pods need are running).
  wait_for "the node agent" 180 "$source_dir/.tools/bin/kubectl" --kubeconfig "$dir/kubeconfig" \
    wait --for=condition=Ready node/schemagate-node --timeout 2s
  wait_for "kube-controller-manager" 180 "$source_dir/.tools/bin/kubectl" --kubeconfig "$dir/kubeconfig" \
    get serviceaccount/default configmap/kube-root-ca.crt --namespace default
  trap - ERR
}

stop() {
  local name pid
  [[ -d $dir/pids ]] || { rm -rf "$dir"; return 0; }
  # The node agent first, so it kills its containers; etcd last.
  for name in node-agent kube-scheduler kube-controller-manager kube-apiserver etcd; do
    [[ -f $dir/pids/$name ]] || continue
    pid=$(cat "$dir/pids/$name")
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$dir"
}

# image REF ROOTFS [ENTRYPOINT...]: recorded where the node agent looks images
# up, one line each: the reference, the root, then the entrypoint's words.
image() {
  local ref=$1 rootfs
  rootfs=$(cd "$2" && pwd)
  mkdir -p "$dir/images"
  printf '%s\n' "$ref" "$rootfs" "${@:3}" >"$dir/images/$(printf '%s' "$ref" | sha256sum | cut -c1-16)"
}

case ${1:-} in
  build) build ;;
  bin) control_plane_dir ;;
  start) dir=${2:?$(usage)}; start ;;
  stop) dir=${2:?$(usage)}; stop ;;
  image) dir=${2:?$(usage)}; image "${3:?$(usage)}" "${4:?$(usage)}" "${@:5}" ;;
  *) usage ;;
esac
