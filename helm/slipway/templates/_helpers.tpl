{{- define "slipway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "slipway.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "slipway.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "slipway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "slipway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "slipway.labels" -}}
{{ include "slipway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "slipway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "slipway.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "slipway.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}
{{- end -}}

{{/*
What the operator does to the objects of the namespaces it watches. Kept in one place so the
cluster-wide ClusterRole and the per-namespace Roles grant exactly the same.
*/}}
{{- define "slipway.rules" -}}
# Its own resources: read specs, write status (server-side apply), nothing else.
- apiGroups: [slipway.dev]
  resources: [webapps]
  verbs: [get, list, watch]
- apiGroups: [slipway.dev]
  resources: [webapps/status]
  verbs: [get, patch, update]
- apiGroups: [slipway.dev]
  resources: [rolloutpolicies]
  verbs: [get, list, watch]
# What it generates is owned by the WebApp with blockOwnerDeletion, which the OwnerReferencesPermissionEnforcement
# admission plugin (on in OpenShift) allows only to who may update the owner's finalizers.
- apiGroups: [slipway.dev]
  resources: [webapps/finalizers]
  verbs: [update]
{{- if .Values.gates.readSecrets }}
# Gate credentials for a hosted Prometheus (bearerTokenSecret, caSecret, a header's secretKeyRef): read one
# by name at each measurement; never listed or watched.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
{{- end }}
# What it generates: server-side applied (patch), deleted when no longer wanted.
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, patch, delete]
# Aborting a canary scales it to zero through the scale subresource.
- apiGroups: [apps]
  resources: [deployments/scale]
  verbs: [get, patch, update]
# One snapshot of the spec per revision, for rollbacks.
- apiGroups: [apps]
  resources: [controllerrevisions]
  verbs: [get, list, create, patch, delete]
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [""]
  resources: [services]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [autoscaling]
  resources: [horizontalpodautoscalers]
  verbs: [get, list, watch, create, patch, delete]
# Canary pods only are watched (by label); their restarts abort a canary.
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
- apiGroups: ["", events.k8s.io]
  resources: [events]
  verbs: [create, patch]
# Canary traffic through the Gateway API: the weights of the user's HTTPRoute (it is read, never created).
- apiGroups: [gateway.networking.k8s.io]
  resources: [httproutes]
  verbs: [get, patch]
{{- end -}}
