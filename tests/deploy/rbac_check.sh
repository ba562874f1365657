#!/usr/bin/env bash
# Least privilege, checked against what really happened: every request in an
# API server's request log must be allowed by the RBAC rules, and every verb on
# every resource the rules grant must have been used at least once.
#
# REQUEST_LOG is a JSON array of "METHOD /path?query" strings, the operator's
# requests and nothing else (the end-to-end test makes it from the API server's
# audit log, by the operator's ServiceAccount). RBAC_JSON holds the Roles,
# ClusterRoles and their bindings as JSON objects: one after another, in an
# array, or in a kubectl List; other kinds
# are skipped, so a whole rendering can be passed. A Role and a RoleBinding
# grant in their namespace only; a ClusterRoleBinding grants everywhere.
# Discovery (/api, /apis/G/V, /version, ...) is not checked: Kubernetes lets
# every authenticated client read it (the system:discovery ClusterRole).
# Usage: rbac_check.sh REQUEST_LOG RBAC_JSON
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: rbac_check.sh REQUEST_LOG RBAC_JSON" >&2
  exit 2
fi

# From a log line to what RBAC authorizes: verb, API group, resource
# (subresources as "migrationjobs/status") and namespace (null: cluster-wide).
# Kubernetes' request info does the same mapping.
program='
def request:
  . as $line
  | (capture("^(?<method>[A-Z]+) (?<path>[^?]*)(\\?(?<query>.*))?$")
     // error("cannot read the request log entry \"\($line)\": want \"METHOD /path?query\""))
  | .path as $path
  | ((.query // "") | split("&") | any(. == "watch=true" or . == "watch=1")) as $watch
  | ($path | ltrimstr("/") | split("/")) as $segments
  | if $segments[0] == "api" then {group: "", rest: $segments[2:]}
    elif $segments[0] == "apis" then {group: $segments[1], rest: $segments[3:]}
    else {group: null, rest: []} end
  | select(.rest | length > 0)
  | .group as $group
  | (if .rest[0] == "namespaces" and (.rest | length) >= 3
     then {namespace: .rest[1], parts: .rest[2:]}
     else {namespace: null, parts: .rest} end)
  | (.parts | length == 1) as $collection
  | {line: $line, group: $group, namespace,
     resource: (.parts[0] + (if (.parts | length) > 2 then "/" + .parts[2] else "" end)),
     verb: ({"GET": (if $watch then "watch" elif $collection then "list" else "get" end),
             "POST": "create", "PUT": "update", "PATCH": "patch",
             "DELETE": (if $collection then "deletecollection" else "delete" end)}[$line | split(" ")[0]]
            // error("unknown method in \"\($line)\""))};

def objects: if type == "array" then .[] | objects elif .kind == "List" then .items[] else . end;

[$rbac[] | objects] as $objects
| [$objects[] | select(.kind == "Role" or .kind == "ClusterRole")] as $roles
| [$objects[] | select(.kind == "RoleBinding" or .kind == "ClusterRoleBinding")] as $bindings
| [$bindings[] as $binding
   | $roles[]
   | select(.kind == $binding.roleRef.kind and .metadata.name == $binding.roleRef.name
            and (.kind == "ClusterRole" or .metadata.namespace == $binding.metadata.namespace))
   | . as $role
   | .rules[] | .apiGroups[] as $group | .resources[] as $resource | .verbs[] as $verb
   | {role: "\($role.kind) \($role.metadata.name)", $group, $resource, $verb,
      namespace: (if $binding.kind == "RoleBinding" then $binding.metadata.namespace else null end)}
  ] as $grants
| [$log[0][] | request] as $requests
| def allows($request): .group == $request.group and .resource == $request.resource
    and .verb == $request.verb and (.namespace == null or .namespace == $request.namespace);
  def where: if .namespace == null then "cluster-wide" else "in namespace \(.namespace)" end;
  ($roles[]
   | select(. as $role | $bindings | all(.roleRef.kind != $role.kind or .roleRef.name != $role.metadata.name))
   | "not bound: \(.kind) \(.metadata.name) is granted to nobody"),
  ($requests[] | . as $request | select($grants | any(allows($request)) | not)
   | "not allowed: \(.line) (\(.verb) \(.resource) in group \"\(.group)\" \(where))"),
  ($grants | unique[] | . as $grant | select($requests | any(. as $request | $grant | allows($request)) | not)
   | "never used: \(.role): \(.verb) \(.resource) in group \"\(.group)\" \(where)")
'
problems=$(jq -n -r --slurpfile log "$1" --slurpfile rbac "$2" "$program")
if [[ -n $problems ]]; then
  echo "$problems"
  echo "rbac_check: the RBAC rules and the operator's requests differ: add a rule for each" \
    "request not allowed and remove each rule never used, in deploy/rbac.yaml and" \
    "helm/schemagate-operator/templates/_rbac.tpl alike (or change the operator)"
  exit 1
fi
echo "rbac_check: every request allowed, every rule used"
