#!/usr/bin/env bash
# The images the Kubernetes tests and the Kubernetes quick start run, made
# from our own build as root file system directories and registered with the
# node agent of a cluster that scripts/kube.sh started:
#   - the runner image (registry.example/shop-migrations:1.4.0): what the
#     Dockerfile's runner stage holds, the static binary and the CA bundle,
#     plus the example migrations at /migrations, as a project's image adds them
#     (and two variants with one more migration, below);
#   - the operator image (deploy/'s ghcr.io/schemagate/schemagate-operator:0.1.0):
#     the binary and exactly the shared libraries ldd lists;
#   - the example app (registry.example/shop-api:1.4.0): Debian's static
#     busybox, sleeping, a process that stays up; and the probing app
#     (registry.example/shop-app:1 and :2), which reads a column in a loop (below).
# Usage: images.sh CLUSTER_DIR SCHEMAGATE SCHEMAGATE_OPERATOR SOURCE_DIR
set -euo pipefail
cluster=$1
schemagate=$2
operator=$3
source_dir=$4
kube=$source_dir/scripts/kube.sh
roots=$cluster/rootfs
rm -rf "$roots"
mkdir -p "$roots"

ca_bundle() {  # ca_bundle ROOT: the CA bundle where the Dockerfile puts it
  mkdir -p "$1/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$1/etc/ssl/certs/"
}

runner=$roots/runner
mkdir -p "$runner"
strip -o "$runner/schemagate" "$schemagate"  # as the Dockerfile does
ca_bundle "$runner"
cp -r "$source_dir/examples/library/migrations" "$runner/migrations"
chmod -R a+rX "$runner"
"$kube" image "$cluster" registry.example/shop-migrations:1.4.0 "$runner" /schemagate

# The same runner with one more migration: registry.example/shop-migrations:TAG
# for each TAG below, its last migration REV written as BODY. "held" waits, inside
# its transaction, until the test inserts a row into e2e_release: a migration
# that runs exactly as long as a test needs to look at it.
with_last_migration() {  # with_last_migration TAG REV BODY
  local root=$roots/runner-$1
  cp -a "$runner" "$root"
  cat >"$root/migrations/versions/$2_$1.sql" <<EOF
-- schemagate:revision $2
-- schemagate:parents a84e1c9b3d72
-- schemagate:message the test image's "$1" migration

-- schemagate:up
$3

-- schemagate:down
SELECT 1;
EOF
  chmod -R a+rX "$root"
  "$kube" image "$cluster" "registry.example/shop-migrations:$1" "$root" /schemagate
}
with_last_migration failing f00dfa11ed01 'SELECT 1 / 0;'
# "split": an expand revision that adds e2e_customers.full_name beside
# old_name, and a contract revision that drops old_name and marks when it ran
# (the test creates e2e_customers and e2e_marks beforehand).
split=$roots/runner-split
cp -a "$runner" "$split"
cat >"$split/migrations/versions/5a1e0e2a0d01_add_full_name.sql" <<'EOF'
-- schemagate:revision 5a1e0e2a0d01
-- schemagate:parents a84e1c9b3d72
-- schemagate:message add e2e_customers.full_name

-- schemagate:up
ALTER TABLE public.e2e_customers ADD COLUMN full_name text;
UPDATE public.e2e_customers SET full_name = old_name;

-- schemagate:down
ALTER TABLE public.e2e_customers DROP COLUMN full_name;
EOF
cat >"$split/migrations/versions/5a1e0c0a0d02_drop_old_name.sql" <<'EOF'
-- schemagate:revision 5a1e0c0a0d02
-- schemagate:parents 5a1e0e2a0d01
-- schemagate:message drop e2e_customers.old_name
-- schemagate:phase contract

-- schemagate:up
INSERT INTO public.e2e_marks VALUES ('contracted', clock_timestamp());
ALTER TABLE public.e2e_customers DROP COLUMN old_name;

-- schemagate:down
ALTER TABLE public.e2e_customers ADD COLUMN old_name text;
EOF
chmod -R a+rX "$split"
"$kube" image "$cluster" registry.example/shop-migrations:split "$split" /schemagate
with_last_migration held f00d0b10cced 'DO $$ BEGIN
  WHILE NOT EXISTS (SELECT 1 FROM public.e2e_release) LOOP PERFORM pg_sleep(0.05); END LOOP;
END $$;'

operator_root=$roots/operator
mkdir -p "$operator_root/usr/local/bin"
strip -o "$operator_root/usr/local/bin/schemagate-operator" "$operator"
ldd "$operator" | grep -o '/[^ ]*' | while read -r library; do
  mkdir -p "$operator_root$(dirname "$library")"
  cp -L "$library" "$operator_root$library"
done
ca_bundle "$operator_root"
chmod -R a+rX "$operator_root"
"$kube" image "$cluster" ghcr.io/schemagate/schemagate-operator:0.1.0 "$operator_root" \
  /usr/local/bin/schemagate-operator

app=$roots/app
mkdir -p "$app/bin"
cp /bin/busybox "$app/bin/busybox"
for tool in sh sleep cat ls test; do ln -s busybox "$app/bin/$tool"; done
chmod -R a+rX "$app"
"$kube" image "$cluster" registry.example/shop-api:1.4.0 "$app" /bin/sleep 2147483647
"$kube" image "$cluster" registry.example/shop-api:2.0.0 "$app" /bin/sleep 2147483647

# The probing app: busybox and psql with exactly the libraries ldd lists.
# /bin/app reads column $APP_COLUMN of e2e_customers every 200 ms and records
# each outcome in e2e_probes (version, pod, ok, when), so a test sees whether
# a query of an old pod ever failed; /bin/ready, the same read once, is its
# readiness probe. As PID 1 without a handler the loop ignores SIGTERM: it
# keeps reading until its pod is killed for good, as a slow-to-stop app does.
probing=$roots/probing-app
cp -a "$app" "$probing"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
cp "$pgbin/psql" "$probing/bin/psql"
ldd "$pgbin/psql" | grep -o '/[^ ]*' | while read -r library; do
  mkdir -p "$probing$(dirname "$library")"
  cp -L "$library" "$probing$library"
done
mkdir -p "$probing/etc"
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$probing/etc/passwd"
cat >"$probing/bin/ready" <<'EOF'
#!/bin/sh
exec psql "$DATABASE_URL" -qAt -c "SELECT $APP_COLUMN FROM public.e2e_customers LIMIT 1" >/dev/null 2>&1
EOF
cat >"$probing/bin/app" <<'EOF'
#!/bin/sh
while :; do
  if /bin/ready; then ok=true; else ok=false; fi
  psql "$DATABASE_URL" -q -c "INSERT INTO public.e2e_probes VALUES ('$APP_VERSION', '$HOSTNAME', $ok, clock_timestamp())"
  sleep 0.2
done
EOF
chmod -R a+rX "$probing"
chmod a+x "$probing/bin/app" "$probing/bin/ready"
"$kube" image "$cluster" registry.example/shop-app:1 "$probing" /bin/app
"$kube" image "$cluster" registry.example/shop-app:2 "$probing" /bin/app
