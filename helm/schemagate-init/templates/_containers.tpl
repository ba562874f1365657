{{/*
Init containers for app charts (helm/examples/shop-api shows the use).

Every template takes a dict: "context" (the caller's root context, `.`) and
"config", a map with these keys:
  image              image holding /schemagate and the migrations (required)
  migrationsDir      where the image keeps them (default /migrations)
  target             upgrade target (default heads)
  databaseUrlSecret  {name, key}: the Secret holding the database URL (required);
                     it is mounted as a file, never put in an env variable
  waitForDbSeconds   how long to wait for the database to accept connections (60)
  lockTimeoutSeconds how long a replica waits for another one's migration (600)
  waitTimeoutSeconds how long "wait" waits for a MigrationJob (600)
  resources          container resources (default: small requests)
*/}}

{{- define "schemagate-init.urlFile" -}}
/var/run/schemagate/database/{{ .config.databaseUrlSecret.key | default "url" }}
{{- end -}}

{{- define "schemagate-init.common" -}}
{{- $config := .config -}}
image: {{ required "schemagate-init: config.image is required" $config.image | quote }}
imagePullPolicy: IfNotPresent
env:
  - name: POD_NAME
    valueFrom:
      fieldRef:
        fieldPath: metadata.name
volumeMounts:
  - name: schemagate-database-url
    mountPath: /var/run/schemagate/database
    readOnly: true
securityContext:
  runAsNonRoot: true
  runAsUser: 65532
  runAsGroup: 65532
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
    - {{ $config.waitForDbSeconds | default 60 | quote }}
    - --lock-timeout
    - {{ $config.lockTimeoutSeconds | default 600 | quote }}
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
    - {{ $config.waitForDbSeconds | default 60 | quote }}
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
