#!/usr/bin/env bash
# Installs every Debian package schemagate needs to build, test and run its
# throwaway PostgreSQL. Idempotent: does nothing when all are present.
set -euo pipefail

packages=(
  cmake g++ make pkg-config ca-certificates openssl unzip
  libboost-program-options-dev libcpprest-dev libpqxx-dev libpq-dev libyaml-cpp-dev
  libspdlog-dev libssl-dev zlib1g-dev catch2 libpg-query-dev prometheus-cpp-dev
  postgresql postgresql-client postgresql-server-dev-15
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: run as root to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
