{{/*
Shared templates. Every per-service template takes a context dict:
  root  the chart's root context ($)
  name  the service: ingest-service, event-writer, batch-enricher or cache-service (also its values key, and the
        name of its Deployment/CronJob, Service, ServiceAccount, ...)
  mode  "deployment" or "job" (the pod of the batch-enricher CronJob)
*/}}

{{/* The services of the stack, in data-flow order. */}}
{{- define "retail-stack.serviceNames" -}}
ingest-service event-writer batch-enricher cache-service
{{- end -}}

{{- define "retail-stack.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "retail-stack.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: retail-stack
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end -}}

{{- define "retail-stack.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* Image reference: [registry/]repository@digest, or :tag (service tag, else global tag, else appVersion). */}}
{{- define "retail-stack.image" -}}
{{- $svc := index .root.Values .name -}}
{{- $repository := $svc.image.repository -}}
{{- with .root.Values.global.imageRegistry -}}
{{- $repository = printf "%s/%s" (trimSuffix "/" .) $repository -}}
{{- end -}}
{{- if $svc.image.digest -}}
{{ $repository }}@{{ $svc.image.digest }}
{{- else -}}
{{ $repository }}:{{ $svc.image.tag | default .root.Values.global.imageTag | default .root.Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{/* "true" when the service is enabled and runs as a Deployment (batch-enricher only in serve mode). */}}
{{- define "retail-stack.isDeployment" -}}
{{- $svc := index .root.Values .name -}}
{{- if and $svc.enabled (or (ne .name "batch-enricher") (eq $svc.mode "serve")) }}true{{ end -}}
{{- end -}}

{{/* "true" when an HPA or a KEDA ScaledObject owns the replica count. */}}
{{- define "retail-stack.autoscaled" -}}
{{- $svc := index .root.Values .name -}}
{{- if or (dig "autoscaling" "enabled" false $svc) (dig "keda" "enabled" false $svc) }}true{{ end -}}
{{- end -}}

{{/* The most replicas the service can run with. */}}
{{- define "retail-stack.maxReplicas" -}}
{{- $svc := index .root.Values .name -}}
{{- if dig "autoscaling" "enabled" false $svc -}}
{{ $svc.autoscaling.maxReplicas }}
{{- else if dig "keda" "enabled" false $svc -}}
{{ $svc.keda.maxReplicas }}
{{- else -}}
{{ $svc.replicas | default 1 }}
{{- end -}}
{{- end -}}

{{/* Client ID of the service's managed identity. */}}
{{- define "retail-stack.clientId" -}}
{{- $svc := index .root.Values .name -}}
{{- $svc.serviceAccount.clientId | default .root.Values.workloadIdentity.clientId -}}
{{- end -}}

{{/*
The secrets each service reads: environment variable -> key. The keys are the Azure Key Vault secret names that
terraform/ creates; a Secret given as secrets.existingSecret uses the same keys.
*/}}
{{- define "retail-stack.secretRefs" -}}
ingest-service:
  - env: EVENTHUBS_CONNECTION_STRING
    key: eventhubs-ingest-connection-string
event-writer:
  - env: EVENTHUBS_CONNECTION_STRING
    key: eventhubs-writer-connection-string
  - env: COSMOS_CASSANDRA_PASSWORD
    key: cosmos-cassandra-password
batch-enricher:
  - env: QUARKUS_DATASOURCE_PASSWORD
    key: postgres-password
  - env: ENRICHER_CASSANDRA_PASSWORD
    key: cosmos-cassandra-password
cache-service:
  - env: EVENTHUBS_CONNECTION_STRING
    key: eventhubs-cache-connection-string
  - env: CACHE_CASSANDRA_PASSWORD
    key: cosmos-cassandra-password
  - env: CACHE_REDIS_PASSWORD
    key: redis-password
{{- end -}}

{{/* Name of the Kubernetes Secret the service's secret env vars come from. */}}
{{- define "retail-stack.secretName" -}}
{{- if .root.Values.keyVault.enabled -}}
{{ .name }}-keyvault
{{- else -}}
{{ required "secrets.existingSecret (or keyVault.enabled=true) is required" .root.Values.secrets.existingSecret }}
{{- end -}}
{{- end -}}

{{/* Cosmos DB contact point, host:port. */}}
{{- define "retail-stack.cosmosContactPoint" -}}
{{ .root.Values.cosmosCassandra.host }}:{{ .root.Values.cosmosCassandra.port }}
{{- end -}}

{{/*
Container environment: profile and JVM first, then the secrets (so later values may reference them as $(NAME)), then
the service's own settings, then extraEnv.
*/}}
{{- define "retail-stack.env" -}}
{{- $svc := index .root.Values .name -}}
- name: QUARKUS_PROFILE
  value: {{ $svc.quarkusProfile | quote }}
# the port the probes, the Service and the container port use: without it Quarkus keeps its built-in port
- name: QUARKUS_HTTP_PORT
  value: {{ $svc.port | quote }}
- name: JAVA_OPTS_APPEND
  value: {{ printf "-Dquarkus.http.host=0.0.0.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager -XX:MaxRAMPercentage=%v %s" $svc.jvm.maxRamPercentage $svc.jvm.extraOpts | trim | quote }}
{{- $secretName := include "retail-stack.secretName" . }}
{{- range index (include "retail-stack.secretRefs" . | fromYaml) .name }}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ $secretName }}
      key: {{ .key }}
{{- end }}
{{ include (printf "retail-stack.env.%s" .name) . }}
{{- with $svc.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "retail-stack.env.ingest-service" -}}
{{- $v := .root.Values -}}
{{- $auth := (index $v .name).auth -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ $v.eventHubs.bootstrapServers | quote }}
- name: INGEST_TOPICS_RAW
  value: {{ $v.topics.raw | quote }}
- name: INGEST_TOPICS_EVENTS
  value: {{ $v.topics.events | quote }}
- name: INGEST_TOPICS_DLQ
  value: {{ $v.topics.dlq | quote }}
- name: MP_JWT_VERIFY_PUBLICKEY_LOCATION
  value: {{ $auth.jwksUrl | quote }}
- name: MP_JWT_VERIFY_ISSUER
  value: {{ $auth.issuer | quote }}
{{- with $auth.audiences }}
- name: MP_JWT_VERIFY_AUDIENCES
  value: {{ . | quote }}
{{- end }}
{{- with $auth.groupsClaim }}
- name: SMALLRYE_JWT_PATH_GROUPS
  value: {{ . | quote }}
{{- end }}
{{- with $auth.role }}
- name: INGEST_AUTH_ROLE
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{- define "retail-stack.env.event-writer" -}}
{{- $v := .root.Values -}}
- name: EVENTHUBS_BOOTSTRAP_SERVERS
  value: {{ $v.eventHubs.bootstrapServers | quote }}
- name: COSMOS_CASSANDRA_HOST
  value: {{ $v.cosmosCassandra.host | quote }}
- name: COSMOS_CASSANDRA_PORT
  value: {{ $v.cosmosCassandra.port | quote }}
- name: COSMOS_CASSANDRA_REGION
  value: {{ $v.cosmosCassandra.region | quote }}
- name: COSMOS_CASSANDRA_USERNAME
  value: {{ $v.cosmosCassandra.username | quote }}
- name: EVENT_WRITER_CASSANDRA_KEYSPACE
  value: {{ $v.cosmosCassandra.keyspace | quote }}
- name: EVENT_WRITER_KAFKA_TOPIC
  value: {{ $v.topics.events | quote }}
- name: EVENT_WRITER_KAFKA_STATE_TOPIC
  value: {{ $v.topics.state | quote }}
- name: EVENT_WRITER_KAFKA_DLQ_TOPIC
  value: {{ $v.topics.dlq | quote }}
{{- if (index $v .name).keda.enabled }}
# Not read by the service: KEDA's TriggerAuthentication takes the SASL user name from here.
- name: EVENTHUBS_SASL_USERNAME
  value: "$ConnectionString"
{{- end }}
{{- end -}}

{{- define "retail-stack.env.batch-enricher" -}}
{{- $v := .root.Values -}}
{{- $svc := index $v .name -}}
- name: QUARKUS_DATASOURCE_JDBC_URL
  value: {{ printf "jdbc:postgresql://%s:%v/%s?sslmode=%s" $v.postgres.host $v.postgres.port $v.postgres.database $v.postgres.sslMode | quote }}
- name: QUARKUS_DATASOURCE_USERNAME
  value: {{ $v.postgres.username | quote }}
- name: CASSANDRA_CONTACT_POINTS
  value: {{ include "retail-stack.cosmosContactPoint" . | quote }}
- name: CASSANDRA_LOCAL_DATACENTER
  value: {{ $v.cosmosCassandra.region | quote }}
- name: CASSANDRA_KEYSPACE
  value: {{ $v.cosmosCassandra.keyspace | quote }}
- name: ENRICHER_CASSANDRA_USERNAME
  value: {{ $v.cosmosCassandra.username | quote }}
- name: ENRICHER_CASSANDRA_SSL
  value: "true"
- name: ENRICHER_CRON
  value: {{ $svc.serve.cron | quote }}
{{- if eq .mode "job" }}
# Shards of an Indexed Job; Kubernetes sets JOB_COMPLETION_INDEX in each pod.
- name: SHARD_COUNT
  value: {{ $svc.cronJob.shards | quote }}
{{- end }}
{{- end -}}

{{- define "retail-stack.env.cache-service" -}}
{{- $v := .root.Values -}}
{{- $svc := index $v .name -}}
- name: CACHE_CORS_ORIGINS
  value: {{ join "," $svc.corsOrigins | quote }}
{{- with $svc.trustedProxies }}
- name: CACHE_TRUSTED_PROXIES
  value: {{ join "," . | quote }}
{{- end }}
- name: CACHE_REDIS_MODE
  value: {{ $v.redis.mode | quote }}
- name: CACHE_REDIS_HOSTS
  value: {{ $v.redis.hosts | quote }}
- name: CACHE_REDIS_SSL
  value: {{ $v.redis.ssl | quote }}
- name: CACHE_CASSANDRA_CONTACT_POINTS
  value: {{ include "retail-stack.cosmosContactPoint" . | quote }}
- name: CACHE_CASSANDRA_LOCAL_DATACENTER
  value: {{ $v.cosmosCassandra.region | quote }}
- name: CACHE_CASSANDRA_USERNAME
  value: {{ $v.cosmosCassandra.username | quote }}
- name: CACHE_CASSANDRA_SSL
  value: "true"
- name: CACHE_CASSANDRA_KEYSPACE
  value: {{ $v.cosmosCassandra.keyspace | quote }}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ $v.eventHubs.bootstrapServers | quote }}
- name: KAFKA_SECURITY_PROTOCOL
  value: SASL_SSL
- name: KAFKA_SASL_MECHANISM
  value: PLAIN
# Holds no secret: Kubernetes substitutes $(EVENTHUBS_CONNECTION_STRING), defined above from the Secret.
- name: KAFKA_SASL_JAAS_CONFIG
  value: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="$ConnectionString" password="$(EVENTHUBS_CONNECTION_STRING)";'
- name: CACHE_STATE_TOPIC
  value: {{ $v.topics.state | quote }}
{{- if $svc.apiKeys.enabled }}
- name: CACHE_API_KEY_ENABLED
  value: "true"
- name: CACHE_API_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ required "cache-service.apiKeys.existingSecret is required when apiKeys.enabled" $svc.apiKeys.existingSecret }}
      key: {{ $svc.apiKeys.secretKey }}
{{- end }}
{{- end -}}

{{- define "retail-stack.httpProbe" -}}
httpGet:
  path: {{ .path }}
  port: http
periodSeconds: {{ .probe.periodSeconds }}
{{- with .probe.timeoutSeconds }}
timeoutSeconds: {{ . }}
{{- end }}
failureThreshold: {{ .probe.failureThreshold }}
{{- end -}}

{{/* Pod template (metadata and spec) of every Deployment and of the batch-enricher CronJob. */}}
{{- define "retail-stack.podTemplate" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $svc := index $root.Values $name -}}
{{- $v := $root.Values -}}
metadata:
  labels:
    {{- include "retail-stack.labels" . | nindent 4 }}
    {{- if $v.workloadIdentity.enabled }}
    azure.workload.identity/use: "true"
    {{- end }}
  annotations:
    prometheus.io/scrape: "true"
    prometheus.io/port: {{ $svc.port | quote }}
    prometheus.io/path: /q/metrics
    {{- with $svc.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ $name }}
  # The services never call the Kubernetes API (workload identity projects its own token).
  automountServiceAccountToken: false
  {{- with $v.global.imagePullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  {{- if eq .mode "job" }}
  restartPolicy: Never
  {{- end }}
  terminationGracePeriodSeconds: {{ $svc.terminationGracePeriodSeconds }}
  securityContext:
    runAsNonRoot: true
    # uid of the ubi9 OpenJDK images (USER 185 in src/main/docker/Dockerfile.jvm)
    runAsUser: 185
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: {{ $name }}
      image: {{ include "retail-stack.image" . | quote }}
      imagePullPolicy: {{ $v.global.imagePullPolicy }}
      {{- if eq .mode "job" }}
      args: ["run"]
      {{- else if eq $name "batch-enricher" }}
      args: ["serve"]
      {{- end }}
      ports:
        - name: http
          containerPort: {{ $svc.port }}
          protocol: TCP
      env:
        {{- include "retail-stack.env" . | nindent 8 }}
      {{- if ne .mode "job" }}
      startupProbe:
        {{- include "retail-stack.httpProbe" (dict "path" "/q/health/started" "probe" $v.probes.startup) | nindent 8 }}
      livenessProbe:
        {{- include "retail-stack.httpProbe" (dict "path" "/q/health/live" "probe" $v.probes.liveness) | nindent 8 }}
      readinessProbe:
        {{- include "retail-stack.httpProbe" (dict "path" "/q/health/ready" "probe" $v.probes.readiness) | nindent 8 }}
      {{- end }}
      resources:
        {{- toYaml $svc.resources | nindent 8 }}
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        runAsNonRoot: true
        capabilities:
          drop: ["ALL"]
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- if $v.keyVault.enabled }}
        - name: keyvault
          mountPath: /mnt/secrets-store
          readOnly: true
        {{- end }}
        {{- if eq $name "ingest-service" }}
        - name: fraud-blocklist
          mountPath: /etc/ingest/fraud
          readOnly: true
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: 256Mi
    {{- if $v.keyVault.enabled }}
    # Mounting the volume is what makes the CSI driver sync the Kubernetes Secret the env vars read.
    - name: keyvault
      csi:
        driver: secrets-store.csi.k8s.io
        readOnly: true
        volumeAttributes:
          secretProviderClass: {{ $name }}-keyvault
    {{- end }}
    {{- if eq $name "ingest-service" }}
    - name: fraud-blocklist
      configMap:
        name: {{ $svc.fraudBlocklist.existingConfigMap | default "ingest-service-fraud-blocklist" }}
        optional: true
    {{- end }}
  {{- if ne .mode "job" }}
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "retail-stack.selectorLabels" . | nindent 10 }}
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "retail-stack.selectorLabels" . | nindent 10 }}
  {{- end }}
  {{- with $svc.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $svc.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $svc.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
