package io.retailstack.deploy.helm;

import static io.retailstack.deploy.helm.RenderedChart.container;
import static io.retailstack.deploy.helm.RenderedChart.env;
import static io.retailstack.deploy.helm.RenderedChart.envValue;
import static io.retailstack.deploy.helm.RenderedChart.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which objects the chart renders for which values: workloads, Services, HPA, KEDA, PDB, images. */
class ChartObjectsTest {

    private static final List<String> DEPLOYED = List.of("ingest-service", "event-writer", "cache-service");

    @Test
    void shouldRenderEveryServiceWithItsObjectsByDefault() {
        RenderedChart chart = RenderedChart.render();

        for (String service : DEPLOYED) {
            chart.get("Deployment", service);
            JsonNode svc = chart.get("Service", service);
            assertThat(svc.path("spec")
                            .path("selector")
                            .path("app.kubernetes.io/name")
                            .asText())
                    .isEqualTo(service);
            chart.get("PodDisruptionBudget", service);
        }
        chart.get("CronJob", "batch-enricher");
        assertThat(chart.ofKind("ServiceAccount"))
                .extracting(sa -> sa.path("metadata").path("name").asText())
                .containsExactlyInAnyOrderElementsOf(RenderedChart.SERVICES);
        assertThat(chart.ofKind("HorizontalPodAutoscaler"))
                .extracting(h -> h.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("ingest-service", "cache-service");
        assertThat(chart.find("Deployment", "batch-enricher")).isEmpty();
        assertThat(chart.find("Service", "batch-enricher")).isEmpty();
        assertThat(chart.ofKind("ScaledObject")).isEmpty();
        assertThat(chart.ofKind("SecretProviderClass")).isEmpty();
        assertThat(chart.ofKind("Ingress")).isEmpty();
        assertThat(chart.ofKind("Secret"))
                .as("the chart never renders secret values")
                .isEmpty();
        for (JsonNode workload : chart.workloads()) {
            String name = workload.path("metadata").path("name").asText();
            assertThat(podSpec(workload).path("serviceAccountName").asText()).isEqualTo(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest-service", "event-writer", "batch-enricher", "cache-service"})
    void shouldRenderNothingOfADisabledService(String disabled) {
        RenderedChart chart = RenderedChart.render(disabled + ".enabled=false");

        assertThat(chart.objectsOf(disabled)).isEmpty();
        assertThat(chart.all())
                .noneMatch(m -> m.path("metadata").path("name").asText().startsWith(disabled));
        for (String other : RenderedChart.SERVICES) {
            if (!other.equals(disabled)) {
                chart.workload(other);
                assertThat(chart.find("ServiceAccount", other)).isPresent();
            }
        }
    }

    @Test
    void shouldRunBatchEnricherOnceAsAnIndexedCronJobByDefault() {
        RenderedChart chart = RenderedChart.render("batch-enricher.cronJob.shards=4");

        JsonNode cronJob = chart.get("CronJob", "batch-enricher");
        JsonNode spec = cronJob.path("spec");
        assertThat(spec.path("concurrencyPolicy").asText()).isEqualTo("Forbid");
        assertThat(spec.path("schedule").asText()).isEqualTo("*/15 * * * *");
        JsonNode job = spec.path("jobTemplate").path("spec");
        assertThat(job.path("completionMode").asText()).isEqualTo("Indexed");
        assertThat(job.path("completions").asInt()).isEqualTo(4);
        assertThat(job.path("parallelism").asInt()).isEqualTo(4);
        assertThat(podSpec(cronJob).path("restartPolicy").asText()).isEqualTo("Never");
        JsonNode rule = job.path("podFailurePolicy").path("rules").path(0);
        assertThat(rule.path("action").asText())
                .as("exit 2, a usage error, is not retried")
                .isEqualTo("FailJob");
        assertThat(rule.path("onExitCodes").path("containerName").asText()).isEqualTo("batch-enricher");
        assertThat(rule.path("onExitCodes").path("values"))
                .extracting(JsonNode::asInt)
                .containsExactly(2);
        JsonNode container = container(cronJob);
        assertThat(container.path("args")).extracting(JsonNode::asText).containsExactly("run");
        assertThat(envValue(container, "SHARD_COUNT")).isEqualTo("4");
        assertThat(container.has("livenessProbe"))
                .as("a run is not killed by a liveness probe")
                .isFalse();
    }

    @Test
    void shouldRunBatchEnricherAsOneServingPodInServeMode() {
        RenderedChart chart = RenderedChart.render("batch-enricher.mode=serve");

        assertThat(chart.find("CronJob", "batch-enricher")).isEmpty();
        JsonNode deployment = chart.get("Deployment", "batch-enricher");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(1);
        JsonNode container = container(deployment);
        assertThat(container.path("args")).extracting(JsonNode::asText).containsExactly("serve");
        assertThat(envValue(container, "ENRICHER_CRON")).isEqualTo("0 */15 * * * ?");
        assertThat(env(container)).doesNotContainKey("SHARD_COUNT");
        chart.get("Service", "batch-enricher");
        assertThat(chart.find("PodDisruptionBudget", "batch-enricher"))
                .as("one pod needs no disruption budget")
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest-service", "cache-service"})
    void shouldToggleTheCpuAutoscaler(String service) {
        RenderedChart on =
                RenderedChart.render(service + ".autoscaling.enabled=true", service + ".autoscaling.maxReplicas=7");
        JsonNode hpa = on.get("HorizontalPodAutoscaler", service);
        assertThat(hpa.path("spec").path("scaleTargetRef").path("kind").asText())
                .isEqualTo("Deployment");
        assertThat(hpa.path("spec").path("scaleTargetRef").path("name").asText())
                .isEqualTo(service);
        assertThat(hpa.path("spec").path("maxReplicas").asInt()).isEqualTo(7);
        JsonNode metric = hpa.path("spec").path("metrics").get(0).path("resource");
        assertThat(metric.path("name").asText()).isEqualTo("cpu");
        assertThat(metric.path("target").path("type").asText()).isEqualTo("Utilization");
        assertThat(on.get("Deployment", service).path("spec").has("replicas"))
                .as("the HPA owns the replica count")
                .isFalse();

        RenderedChart off = RenderedChart.render(service + ".autoscaling.enabled=false", service + ".replicas=3");
        assertThat(off.find("HorizontalPodAutoscaler", service)).isEmpty();
        assertThat(off.get("Deployment", service).path("spec").path("replicas").asInt())
                .isEqualTo(3);
    }

    @Test
    void shouldRenderTheKedaScaledObjectOnlyWhenEnabled() {
        assertThat(RenderedChart.render().ofKind("ScaledObject")).isEmpty();
        assertThat(RenderedChart.render().ofKind("TriggerAuthentication")).isEmpty();

        RenderedChart chart = RenderedChart.render(
                "event-writer.keda.enabled=true",
                "event-writer.keda.maxReplicas=8",
                "eventHubs.bootstrapServers=evhns.servicebus.windows.net:9093");
        JsonNode scaled = chart.get("ScaledObject", "event-writer");
        assertThat(scaled.path("apiVersion").asText()).isEqualTo("keda.sh/v1alpha1");
        assertThat(scaled.path("spec").path("scaleTargetRef").path("name").asText())
                .isEqualTo("event-writer");
        assertThat(scaled.path("spec").path("maxReplicaCount").asInt()).isEqualTo(8);
        assertThat(scaled.path("spec").path("minReplicaCount").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode trigger = scaled.path("spec").path("triggers").get(0);
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        JsonNode metadata = trigger.path("metadata");
        assertThat(metadata.path("consumerGroup").asText()).isEqualTo("event-writer");
        assertThat(metadata.path("topic").asText()).isEqualTo("retail.events");
        assertThat(metadata.path("bootstrapServers").asText()).isEqualTo("evhns.servicebus.windows.net:9093");
        assertThat(metadata.path("sasl").asText()).isEqualTo("plaintext");
        assertThat(metadata.path("tls").asText()).isEqualTo("enable");
        assertThat(chart.get("Deployment", "event-writer").path("spec").has("replicas"))
                .as("KEDA owns the replica count")
                .isFalse();

        // The credentials KEDA reads are the writer container's own env: a username and the secretKeyRef password.
        JsonNode auth = chart.get(
                "TriggerAuthentication",
                trigger.path("authenticationRef").path("name").asText());
        Map<String, JsonNode> writerEnv = env(container(chart.get("Deployment", "event-writer")));
        List<String> parameters = new ArrayList<>();
        for (JsonNode ref : auth.path("spec").path("env")) {
            parameters.add(ref.path("parameter").asText());
            assertThat(ref.path("containerName").asText()).isEqualTo("event-writer");
            assertThat(writerEnv).containsKey(ref.path("name").asText());
            if (ref.path("parameter").asText().equals("password")) {
                assertThat(writerEnv
                                .get(ref.path("name").asText())
                                .path("valueFrom")
                                .has("secretKeyRef"))
                        .isTrue();
            } else {
                assertThat(writerEnv
                                .get(ref.path("name").asText())
                                .path("value")
                                .asText())
                        .isEqualTo("$ConnectionString");
            }
        }
        assertThat(parameters).containsExactlyInAnyOrder("username", "password");
    }

    @Test
    void shouldKeepDisruptionBudgetsToServicesThatRunMoreThanOnePod() {
        RenderedChart single = RenderedChart.render("event-writer.replicas=1");
        assertThat(single.find("PodDisruptionBudget", "event-writer")).isEmpty();

        RenderedChart multi = RenderedChart.render("event-writer.replicas=3");
        JsonNode pdb = multi.get("PodDisruptionBudget", "event-writer");
        assertThat(pdb.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
        assertThat(pdb.path("spec")
                        .path("selector")
                        .path("matchLabels")
                        .path("app.kubernetes.io/name")
                        .asText())
                .isEqualTo("event-writer");
    }

    @Test
    void shouldTagImagesWithTheAppVersionUnderTheGlobalRegistry() {
        String appVersion = RenderedChart.readYaml(RenderedChart.CHART.resolve("Chart.yaml"))
                .path("appVersion")
                .asText();

        RenderedChart defaults = RenderedChart.render();
        assertThat(container(defaults.workload("event-writer")).path("image").asText())
                .isEqualTo("retail-stack/event-writer:" + appVersion);

        RenderedChart custom = RenderedChart.render(
                "global.imageRegistry=acr.azurecr.io",
                "ingest-service.image.tag=1.2.3",
                "cache-service.image.digest=sha256:" + "a".repeat(64));
        assertThat(container(custom.workload("ingest-service")).path("image").asText())
                .isEqualTo("acr.azurecr.io/retail-stack/ingest-service:1.2.3");
        assertThat(container(custom.workload("batch-enricher")).path("image").asText())
                .isEqualTo("acr.azurecr.io/retail-stack/batch-enricher:" + appVersion);
        assertThat(container(custom.workload("cache-service")).path("image").asText())
                .isEqualTo("acr.azurecr.io/retail-stack/cache-service@sha256:" + "a".repeat(64));
    }

    @Test
    void shouldPassTheCacheServicesTrustedProxiesOnlyWhenSet() {
        assertThat(env(container(RenderedChart.render().workload("cache-service"))))
                .as("unset: the service's own default, the private ranges")
                .doesNotContainKey("CACHE_TRUSTED_PROXIES");
        RenderedChart set = RenderedChart.render(
                "cache-service.trustedProxies[0]=10.240.0.0/16", "cache-service.trustedProxies[1]=10.241.0.7");
        assertThat(envValue(container(set.workload("cache-service")), "CACHE_TRUSTED_PROXIES"))
                .isEqualTo("10.240.0.0/16,10.241.0.7");
    }

    @Test
    void shouldMakeTheServiceListenOnItsConfiguredPort() {
        for (String service : RenderedChart.SERVICES) {
            JsonNode container = container(RenderedChart.render().workload(service));
            assertThat(envValue(container, "QUARKUS_HTTP_PORT"))
                    .as(service)
                    .isEqualTo(container
                            .path("ports")
                            .path(0)
                            .path("containerPort")
                            .asText());
        }
        JsonNode moved =
                container(RenderedChart.render("ingest-service.port=8080").workload("ingest-service"));
        assertThat(moved.path("ports").path(0).path("containerPort").asInt()).isEqualTo(8080);
        assertThat(envValue(moved, "QUARKUS_HTTP_PORT")).isEqualTo("8080");
    }

    @Test
    void shouldLetIngestBatchesThroughTheExampleIngress() {
        JsonNode ingress = RenderedChart.azure().get("Ingress", "ingest-service");
        assertThat(ingress.path("metadata")
                        .path("annotations")
                        .path("nginx.ingress.kubernetes.io/proxy-body-size")
                        .asText())
                .as("above ingest.http.max-body-bytes (4 MiB); ingress-nginx's default is 1 MiB")
                .isEqualTo("8m");
    }

    @Test
    void shouldGiveEveryServiceTheSameCosmosDbPort() {
        RenderedChart chart = RenderedChart.render("cosmosCassandra.port=10351");
        assertThat(envValue(container(chart.workload("event-writer")), "COSMOS_CASSANDRA_PORT"))
                .isEqualTo("10351");
        assertThat(envValue(container(chart.workload("batch-enricher")), "CASSANDRA_CONTACT_POINTS"))
                .endsWith(":10351");
        assertThat(envValue(container(chart.workload("cache-service")), "CACHE_CASSANDRA_CONTACT_POINTS"))
                .endsWith(":10351");
    }
}
