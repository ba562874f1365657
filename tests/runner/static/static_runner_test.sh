#!/usr/bin/env bash
# The fully static runner, alone in an empty root file system with a CA
# bundle, migrates a real PostgreSQL over TCP with sslmode=verify-full
# (a server certificate from a CA this test makes) and scram-sha-256.
# Usage: static_runner_test.sh STATIC_SCHEMAGATE SOURCE_DIR
set -euo pipefail
binary=${1:?static schemagate binary}
source_dir=${2:?source dir}
[[ -x $binary ]] || { echo "FAIL: no static runner at $binary; run scripts/test.sh (it builds one)"; exit 1; }

work=$(mktemp -d /tmp/schemagate-static.XXXXXX)
chmod 755 "$work"
pgdir=$work/pg
trap '"$source_dir/scripts/pg.sh" stop "$pgdir"; rm -rf "$work"' EXIT
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"

check "ldd says it is not dynamic" bash -c "! ldd '$binary' >/dev/null 2>&1 || ldd '$binary' 2>&1 | grep -q 'not a dynamic executable'"

# A CA and a server certificate for the name the runner will verify.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=schemagate test CA" \
  -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=pg.test" \
  -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:pg.test\n' >"$work/san.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" \
  -CAcreateserial -days 2 -extfile "$work/san.ext" -out "$work/server.crt" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=some other CA" \
  -keyout "$work/other.key" -out "$work/other.crt" 2>/dev/null

# A server that only accepts TLS with scram-sha-256.
"$source_dir/scripts/pg.sh" init "$pgdir"
data=$pgdir/data
cp "$work/server.crt" "$work/server.key" "$data/"
cat >>"$data/postgresql.conf" <<CONF
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
CONF
cat >"$data/pg_hba.conf" <<HBA
local all all scram-sha-256
hostssl all all 127.0.0.1/32 scram-sha-256
hostnossl all all 0.0.0.0/0 reject
HBA
if [[ $(id -u) -eq 0 ]]; then chown -R postgres:postgres "$data"; fi
chmod 600 "$data/server.key"
"$source_dir/scripts/pg.sh" run "$pgdir"
url=$(sed -n 's/^DATABASE_URL=//p' "$pgdir/env")
port=$(sed -n 's/^PGPORT=//p' "$pgdir/env")
password=$(echo "$url" | sed -E 's#^postgresql://postgres:([^@]*)@.*#\1#')

# The root file system: the binary, a CA bundle, /etc/hosts, the migrations.
root=$work/root
mkdir -p "$root/etc/ssl/certs" "$root/tmp"
cp "$binary" "$root/schemagate"
cp "$work/ca.crt" "$root/etc/ssl/certs/ca-certificates.crt"
printf '127.0.0.1 pg.test\n' >"$root/etc/hosts"
cp -r "$source_dir/examples/library/migrations" "$root/migrations"
chmod -R a+rX "$root"
check "the root holds nothing else" bash -c "[[ \$(find '$root' -type f | wc -l) -eq \$(( 3 + \$(find '$root/migrations' -type f | wc -l) )) ]]"

in_root() {  # runs the runner as uid 65532 inside $root
  if [[ $(id -u) -eq 0 ]]; then
    chroot --userspec=65532:65532 "$root" /schemagate "$@"
  else
    unshare -r chroot "$root" /schemagate "$@"
  fi
}
verify_url="postgresql://postgres:$password@pg.test:$port/postgres?sslmode=verify-full"

check "--version runs with nothing around it" in_root --version
check "upgrade over verify-full TLS and scram-sha-256" \
  in_root --dir /migrations --database-url "$verify_url" upgrade heads
current=$(in_root --dir /migrations --database-url "$verify_url" current 2>/dev/null || true)
check "current is the head" [ "$current" = "a84e1c9b3d72 (head)" ]
# sslmode=require encrypts without checking the name (pg_hba.conf refuses plain TCP).
require_url="postgresql://postgres:$password@127.0.0.1:$port/postgres?sslmode=require"
current=$(in_root --dir /migrations --database-url "$require_url" current 2>/dev/null || true)
check "sslmode=require connects over TLS with scram-sha-256" [ "$current" = "a84e1c9b3d72 (head)" ]

cp "$work/other.crt" "$root/etc/ssl/certs/ca-certificates.crt"
set +e
output=$(in_root --dir /migrations --database-url "$verify_url" current 2>&1)
code=$?
set -e
check "a server the CA bundle does not vouch for is refused (exit 3)" [ "$code" -eq 3 ]
check "the refusal says why" grep -qi "certificate" <<<"$output"
check "the refusal hides the password" bash -c "! grep -q '$password' <<<'$output'"

finish
