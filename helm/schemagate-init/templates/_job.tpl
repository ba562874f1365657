{{/*
A migration Job as a Helm hook (pre-install, pre-upgrade) and an Argo CD
PreSync hook: the database is migrated before Helm or Argo CD applies the rest
of the release, and a failed migration fails the install or upgrade (or sync)
with the app left as it was. The alternative to the init containers of
_containers.tpl and to the operator's MigrationJob (docs/charts.md compares them).

Takes the same dict as the init containers ("context", "config"); the Job's own
settings are in config.hook, every one optional:
  name                   the Job's name (default RELEASE-schemagate-migrate)
  weight                 helm.sh/hook-weight and Argo CD sync wave (default -5);
                         a Secret made by a hook of its own needs a lower one
  deletePolicy           helm.sh/hook-delete-policy (default
                         before-hook-creation,hook-succeeded: a failed Job stays
                         for `kubectl logs` until the next attempt replaces it);
                         Argo CD's hook-delete-policy says the same
  backoffLimit           retries of a failed pod (default 1)
  activeDeadlineSeconds  the Job's deadline (default 900); helm's --timeout
                         (5m by default) must be longer to wait for it
  podLabels, podAnnotations  e.g. sidecar.istio.io/inject: "false", since a
                         sidecar that never exits keeps the Job running
  serviceAccountName     default: none mounted (the runner needs no API token)
  extraVolumes           the volumes config.extraVolumeMounts mount
  nodeSelector, tolerations
The Secret named by config.databaseUrlSecret must exist before the hook runs:
a Secret rendered by the same release is created after pre-install hooks.
*/}}
{{- define "schemagate-init.migrationJob" -}}
{{- $root := .context -}}
{{- $hook := .config.hook | default (dict) -}}
{{- $weight := toString (ternary -5 $hook.weight (kindIs "invalid" $hook.weight)) -}}
{{- if not (regexMatch "^-?[0-9]+$" $weight) -}}
{{- fail (printf "schemagate-init: config.hook.weight must be a whole number, not %q" $weight) -}}
{{- end -}}
{{- $deletePolicy := $hook.deletePolicy | default "before-hook-creation,hook-succeeded" -}}
{{- $argoPolicies := dict "before-hook-creation" "BeforeHookCreation" "hook-succeeded" "HookSucceeded" "hook-failed" "HookFailed" -}}
{{- $argoPolicy := list -}}
{{- range splitList "," $deletePolicy -}}
{{- $policy := trim . -}}
{{- if not (hasKey $argoPolicies $policy) -}}
{{- fail (printf "schemagate-init: config.hook.deletePolicy: %q is none of before-hook-creation, hook-succeeded, hook-failed" $policy) -}}
{{- end -}}
{{- $argoPolicy = append $argoPolicy (get $argoPolicies $policy) -}}
{{- end -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ $hook.name | default (printf "%s-schemagate-migrate" $root.Release.Name) | trunc 63 | trimSuffix "-" }}
  labels:
    app.kubernetes.io/instance: {{ $root.Release.Name }}
    app.kubernetes.io/component: migration
    app.kubernetes.io/managed-by: {{ $root.Release.Service }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: {{ $weight | quote }}
    helm.sh/hook-delete-policy: {{ $deletePolicy }}
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: {{ join "," $argoPolicy }}
    argocd.argoproj.io/sync-wave: {{ $weight | quote }}
spec:
  backoffLimit: {{ ternary 1 $hook.backoffLimit (kindIs "invalid" $hook.backoffLimit) }}
  activeDeadlineSeconds: {{ $hook.activeDeadlineSeconds | default 900 }}
  template:
    metadata:
      labels:
        app.kubernetes.io/instance: {{ $root.Release.Name }}
        app.kubernetes.io/component: migration
        {{- /* Quoted: --set inject=false gives a boolean, which the API refuses. */}}
        {{- range $key, $value := $hook.podLabels }}
        {{ $key }}: {{ toString $value | quote }}
        {{- end }}
      {{- with $hook.podAnnotations }}
      annotations:
        {{- range $key, $value := . }}
        {{ $key }}: {{ toString $value | quote }}
        {{- end }}
      {{- end }}
    spec:
      restartPolicy: Never
      {{- with $hook.serviceAccountName }}
      serviceAccountName: {{ . }}
      {{- else }}
      automountServiceAccountToken: false
      {{- end }}
      securityContext:
        seccompProfile:
          type: RuntimeDefault
      containers:
        {{- include "schemagate-init.migrate" . | nindent 8 }}
      volumes:
        {{- include "schemagate-init.volumes" . | nindent 8 }}
        {{- with $hook.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $hook.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $hook.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}
