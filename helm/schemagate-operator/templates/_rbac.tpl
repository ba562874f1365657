{{/*
The operator's rules: the same as deploy/rbac.yaml, which is the one list of
the reconciler's API calls (tests/deploy/rbac_check.sh compares it with the
requests the operator sends); tests/helm/operator_chart_test.sh asserts that
this chart renders them alike.
*/}}
{{- define "schemagate-operator.rules" -}}
- apiGroups: ["schemagate.io"]
  resources: ["migrationjobs"]
  verbs: ["get", "list", "watch", "update"]
- apiGroups: ["schemagate.io"]
  resources: ["migrationjobs/status"]
  verbs: ["update"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["list", "watch", "create"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["list", "watch"]
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["get", "patch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end -}}

{{- define "schemagate-operator.leaderElectionRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update"]
{{- end -}}
