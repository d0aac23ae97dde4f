{{/*
Every name and label of the chart comes from here.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "scriptforge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The operator's name (Deployment, ServiceAccount, ClusterRole...): the release name when it already
contains the chart name, else "<release>-<chart>"; fullnameOverride wins.
*/}}
{{- define "scriptforge.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* "name-version" for the helm.sh/chart label. */}}
{{- define "scriptforge.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "scriptforge.labels" -}}
helm.sh/chart: {{ include "scriptforge.chart" . }}
app.kubernetes.io/name: {{ include "scriptforge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: scriptforge
{{- end }}

{{/* Selector labels of one component: (dict "ctx" $ "component" "operator"). */}}
{{- define "scriptforge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "scriptforge.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Labels of one component's objects: (dict "ctx" $ "component" "operator"). */}}
{{- define "scriptforge.componentLabels" -}}
{{ include "scriptforge.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The operator's ServiceAccount. */}}
{{- define "scriptforge.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "scriptforge.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The Lease the operator's replicas elect their leader with, in the release namespace: named after the release, so
that two releases never share one. The operator's Role may get, update and patch this Lease only.
*/}}
{{- define "scriptforge.leaseName" -}}
{{- include "scriptforge.fullname" . }}
{{- end }}

{{/* The operator's Role and RoleBinding for its Lease. */}}
{{- define "scriptforge.leaderElectionRoleName" -}}
{{- printf "%s-leader-election" (include "scriptforge.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The Service of the default pool's runners (the operator names it: RunnerPoolNames.objectName). */}}
{{- define "scriptforge.defaultPoolService" -}}
{{- printf "scriptforge-runner-%s" .Values.defaultPool.name }}
{{- end }}

{{/*
An image reference, repository:tag, from an image value: (dict "image" .Values.x.image "default" "1.0"). A tag
given as `--set x.image.tag=15` arrives as a number: %v writes it as written.
*/}}
{{- define "scriptforge.image" -}}
{{- printf "%s:%v" .image.repository (default .default .image.tag) }}
{{- end }}

{{/* The operator image, its tag defaulting to the chart's appVersion. */}}
{{- define "scriptforge.operator.image" -}}
{{- include "scriptforge.image" (dict "image" .Values.operator.image "default" .Chart.AppVersion) }}
{{- end }}

{{/* The image of the runner pods the operator creates (and of the chart's test pods). */}}
{{- define "scriptforge.runner.image" -}}
{{- include "scriptforge.image" (dict "image" .Values.runner.image "default" .Chart.AppVersion) }}
{{- end }}

{{/* The bundled PostgreSQL: StatefulSet and headless Service, "<release>-postgresql". */}}
{{- define "scriptforge.postgresql.fullname" -}}
{{- printf "%s-postgresql" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The database and the user of the bundled PostgreSQL. */}}
{{- define "scriptforge.postgresql.database" -}}
scriptforge
{{- end }}

{{/*
The Secret holding the database connection (keys url, username, password): the user's existingSecret
when the database is external and one is given, else the one this chart creates.
*/}}
{{- define "scriptforge.databaseSecretName" -}}
{{- if and (not .Values.postgresql.bundled) .Values.postgresql.external.existingSecret }}
{{- .Values.postgresql.external.existingSecret }}
{{- else }}
{{- printf "%s-database" (include "scriptforge.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Whether this chart creates the database Secret. */}}
{{- define "scriptforge.createDatabaseSecret" -}}
{{- if or .Values.postgresql.bundled (not .Values.postgresql.external.existingSecret) }}true{{- end }}
{{- end }}

{{/* The JDBC URL of the database. */}}
{{- define "scriptforge.databaseUrl" -}}
{{- if .Values.postgresql.bundled }}
{{- printf "jdbc:postgresql://%s.%s.svc:5432/%s" (include "scriptforge.postgresql.fullname" .) .Release.Namespace (include "scriptforge.postgresql.database" .) }}
{{- else }}
{{- .Values.postgresql.external.url }}
{{- end }}
{{- end }}

{{/* Stops the render with a clear message when neither database is configured. */}}
{{- define "scriptforge.validateDatabase" -}}
{{- if not .Values.postgresql.bundled }}
{{- $ext := .Values.postgresql.external }}
{{- if not (or $ext.existingSecret $ext.url) }}
{{- fail "postgresql.bundled is false: set postgresql.external.url (with username and password) or postgresql.external.existingSecret" }}
{{- end }}
{{- if and $ext.url (not $ext.existingSecret) (not (hasPrefix "jdbc:postgresql://" $ext.url)) }}
{{- fail (printf "postgresql.external.url must start with jdbc:postgresql:// (got %q)" $ext.url) }}
{{- end }}
{{- end }}
{{- end }}
