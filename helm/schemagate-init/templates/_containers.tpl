{{/*
Init containers for app charts (helm/examples/shop-api shows the use).

Every template takes a dict: "context" (the caller's root context, `.`) and
"config", a map with these keys:
  image              image holding /schemagate and the migrations (required)
  imagePullPolicy    Always, IfNotPresent or Never (default IfNotPresent)
  migrationsDir      where the image keeps them (default /migrations)
  target             upgrade target (default heads)
  databaseUrlSecret  {name, key}: the Secret holding the database URL (required);
                     it is mounted as a file, never put in an env variable
  waitForDbSeconds   how long to wait for the database to accept connections
                     (default 60; 0: do not wait, fail at once if it refuses)
  lockTimeoutSeconds how long a replica waits for another one's migration (600)
  waitTimeoutSeconds how long "wait" waits for a MigrationJob (600)
  extraArgs          runner arguments appended after the chart's own, e.g.
                     [--lock-mode, table] behind PgBouncer; the options the keys
                     above set are not to be repeated here (the runner refuses a
                     second occurrence)
  extraEnv           env entries added after POD_NAME, e.g. PGSSLROOTCERT
  extraVolumeMounts  volumeMounts added after the database URL's, e.g. a private
                     CA; the app chart declares their volumes in its pod spec
  runAsUser          the container's uid (default 65532, the image's user; with
                     any uid, runAsGroup is 65532, the image's group); null or ""
                     leaves uid and gid to the platform (OpenShift's restricted
                     SCC assigns them), and runAsNonRoot still holds
  resources          container resources (default: small requests)
  hook               the settings of the migration Job hook (_job.tpl lists them)
*/}}

{{- define "schemagate-init.urlFile" -}}
/var/run/schemagate/database/{{ .config.databaseUrlSecret.key | default "url" }}
{{- end -}}

{{/*
The seconds for --wait-for-db. `default 60` would turn 0 into 60 (Helm's
default takes 0 for empty), so only an absent or null key means 60; 0 is passed
on, and the runner then makes one attempt (it overrides a config file's value).
*/}}
{{- define "schemagate-init.waitForDbSeconds" -}}
{{- $seconds := 60 -}}
{{- if and (hasKey .config "waitForDbSeconds") (not (kindIs "invalid" .config.waitForDbSeconds)) -}}
{{- $seconds = .config.waitForDbSeconds -}}
{{- end -}}
{{- if not (or (kindIs "float64" $seconds) (kindIs "int64" $seconds) (kindIs "int" $seconds)) -}}
{{- fail (printf "schemagate-init: config.waitForDbSeconds must be a number of seconds (0: do not wait), not %q" (toString $seconds)) -}}
{{- end -}}
{{- if lt (float64 $seconds) 0.0 -}}
{{- fail (printf "schemagate-init: config.waitForDbSeconds must be 0 (do not wait) or more, not %v" $seconds) -}}
{{- end -}}
{{- $seconds -}}
{{- end -}}

{{- define "schemagate-init.common" -}}
{{- $config := .config -}}
{{- $pullPolicy := $config.imagePullPolicy | default "IfNotPresent" -}}
{{- if not (has $pullPolicy (list "Always" "IfNotPresent" "Never")) -}}
{{- fail (printf "schemagate-init: config.imagePullPolicy must be Always, IfNotPresent or Never, not %q" (toString $pullPolicy)) -}}
{{- end -}}
image: {{ required "schemagate-init: config.image is required" $config.image | quote }}
imagePullPolicy: {{ $pullPolicy }}
{{- /* A failed migration's last lines show in the pod's status (kubectl describe). */}}
terminationMessagePolicy: FallbackToLogsOnError
env:
  - name: POD_NAME
    valueFrom:
      fieldRef:
        fieldPath: metadata.name
  {{- with $config.extraEnv }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
volumeMounts:
  - name: schemagate-database-url
    mountPath: /var/run/schemagate/database
    readOnly: true
  {{- with $config.extraVolumeMounts }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
securityContext:
  runAsNonRoot: true
  {{- /* Absent: the image's user. Null or "": none, for platforms that assign the uid. */}}
  {{- if not (hasKey $config "runAsUser") }}
  runAsUser: 65532
  runAsGroup: 65532
  {{- else if not (or (kindIs "invalid" $config.runAsUser) (eq (toString $config.runAsUser) "")) }}
  runAsUser: {{ $config.runAsUser }}
  runAsGroup: 65532
  {{- end }}
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop: ["ALL"]
  seccompProfile:
    type: RuntimeDefault
resources:
  {{- toYaml ($config.resources | default (dict "requests" (dict "cpu" "50m" "memory" "32Mi"))) | nindent 2 }}
{{- end -}}

{{/* Migrates the database before the app starts; any number of replicas may race. */}}
{{- define "schemagate-init.migrate" -}}
{{- $config := .config -}}
- name: schemagate-migrate
  args:
    - --dir
    - {{ $config.migrationsDir | default "/migrations" | quote }}
    - --database-url-file
    - {{ include "schemagate-init.urlFile" . | quote }}
    - --log-format
    - json
    - upgrade
    - {{ $config.target | default "heads" | quote }}
    - --wait-for-db
    - {{ include "schemagate-init.waitForDbSeconds" . | quote }}
    - --lock-timeout
    - {{ $config.lockTimeoutSeconds | default 600 | quote }}
    {{- range $config.extraArgs }}
    - {{ toString . | quote }}
    {{- end }}
  {{- include "schemagate-init.common" . | nindent 2 }}
{{- end -}}

{{/* Blocks until a MigrationJob (or anyone) has migrated the database. */}}
{{- define "schemagate-init.wait" -}}
{{- $config := .config -}}
- name: schemagate-wait
  args:
    - --dir
    - {{ $config.migrationsDir | default "/migrations" | quote }}
    - --database-url-file
    - {{ include "schemagate-init.urlFile" . | quote }}
    - --log-format
    - json
    - wait
    - --timeout
    - {{ $config.waitTimeoutSeconds | default 600 | quote }}
    - --wait-for-db
    - {{ include "schemagate-init.waitForDbSeconds" . | quote }}
    {{- range $config.extraArgs }}
    - {{ toString . | quote }}
    {{- end }}
  {{- include "schemagate-init.common" . | nindent 2 }}
{{- end -}}

{{/* The volume the init containers read the database URL from. */}}
{{- define "schemagate-init.volumes" -}}
{{- $secret := required "schemagate-init: config.databaseUrlSecret is required" .config.databaseUrlSecret -}}
- name: schemagate-database-url
  secret:
    secretName: {{ required "schemagate-init: config.databaseUrlSecret.name is required" $secret.name | quote }}
    items:
      - key: {{ $secret.key | default "url" | quote }}
        path: {{ $secret.key | default "url" | quote }}
{{- end -}}
