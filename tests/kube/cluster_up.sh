#!/usr/bin/env bash
# ctest's fixture for every Kubernetes test: the real control plane
# (scripts/kube.sh, built on first use and cached under .tools/) with the
# images of tests/kube/images.sh registered. The tests share it, each in its
# own namespaces, one at a time (RESOURCE_LOCK kube): they install
# cluster-wide objects (the CRD, RBAC) and operators that watch every namespace.
# Usage: cluster_up.sh CLUSTER_DIR SCHEMAGATE SCHEMAGATE_OPERATOR SOURCE_DIR
set -euo pipefail
cluster=$1
source_dir=$4
"$source_dir/scripts/kube.sh" stop "$cluster"
"$source_dir/scripts/kube.sh" start "$cluster"
bash "$source_dir/tests/kube/images.sh" "$cluster" "$2" "$3" "$source_dir"
echo "control plane up: KUBECONFIG=$cluster/kubeconfig"
