package io.retailstack.deploy.helm;

import static io.retailstack.deploy.helm.RenderedChart.container;
import static io.retailstack.deploy.helm.RenderedChart.envValue;
import static io.retailstack.deploy.helm.RenderedChart.podSpec;
import static io.retailstack.deploy.helm.RenderedChart.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Ports, probes, scraping, pod security and resources of every pod, checked against each service's own files. */
class PodSpecTest {

    /** Every service as a Deployment (batch-enricher in serve mode) and, for batch-enricher, as a CronJob too. */
    private static List<JsonNode> allPods() {
        List<JsonNode> pods = new ArrayList<>(RenderedChart.render().workloads());
        pods.addAll(RenderedChart.azure("batch-enricher.mode=serve").workloads());
        assertThat(pods).extracting(w -> w.path("kind").asText()).contains("Deployment", "CronJob");
        return pods;
    }

    private static int httpPort(String service) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(RenderedChart.read(
                    RenderedChart.REPO_ROOT.resolve(service + "/src/main/resources/application.properties"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Integer.parseInt(properties.getProperty("quarkus.http.port"));
    }

    private static Path dockerfile(String service) {
        return RenderedChart.REPO_ROOT.resolve(service + "/src/main/docker/Dockerfile.jvm");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest-service", "event-writer", "batch-enricher", "cache-service"})
    void shouldServeAndProbeTheServicePortOnTheHealthEndpoints(String service) {
        RenderedChart chart = RenderedChart.render("batch-enricher.mode=serve");
        int port = httpPort(service);
        JsonNode deployment = chart.get("Deployment", service);
        JsonNode container = container(deployment);

        JsonNode containerPort = container.path("ports").get(0);
        assertThat(containerPort.path("name").asText()).isEqualTo("http");
        assertThat(containerPort.path("containerPort").asInt()).isEqualTo(port);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/q/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/q/health/ready");
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText())
                .startsWith("/q/health");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(container.path(probe).path("httpGet").path("port").asText())
                    .as(probe)
                    .isIn("http", String.valueOf(port));
        }

        JsonNode annotations = podTemplate(deployment).path("metadata").path("annotations");
        assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/q/metrics");
        assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(String.valueOf(port));

        JsonNode servicePort =
                chart.get("Service", service).path("spec").path("ports").get(0);
        assertThat(servicePort.path("port").asInt()).isEqualTo(port);
        assertThat(servicePort.path("targetPort").asText()).isEqualTo("http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest-service", "event-writer", "batch-enricher", "cache-service"})
    void shouldRunAsTheImageUserWithNoPrivileges(String service) {
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\d+)\\s*$").matcher(RenderedChart.read(dockerfile(service)));
        assertThat(user.find()).as("USER in %s", dockerfile(service)).isTrue();
        int uid = Integer.parseInt(user.group(1));

        List<JsonNode> pods = allPods().stream()
                .filter(w -> w.path("metadata").path("name").asText().equals(service))
                .toList();
        assertThat(pods).isNotEmpty();
        for (JsonNode workload : pods) {
            String what = workload.path("kind").asText() + " " + service;
            JsonNode pod = podSpec(workload);
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean())
                    .as(what)
                    .isTrue();
            assertThat(pod.path("securityContext").path("runAsUser").asInt())
                    .as(what)
                    .isEqualTo(uid);
            assertThat(pod.path("securityContext")
                            .path("seccompProfile")
                            .path("type")
                            .asText())
                    .as(what)
                    .isEqualTo("RuntimeDefault");

            JsonNode security = container(workload).path("securityContext");
            assertThat(security.path("allowPrivilegeEscalation").isBoolean()
                            && !security.path("allowPrivilegeEscalation").asBoolean())
                    .as("%s: allowPrivilegeEscalation false", what)
                    .isTrue();
            assertThat(security.path("readOnlyRootFilesystem").asBoolean())
                    .as(what)
                    .isTrue();
            assertThat(security.path("capabilities").path("drop"))
                    .extracting(JsonNode::asText)
                    .as(what)
                    .containsExactly("ALL");
            assertThat(security.path("capabilities").has("add")).as(what).isFalse();
            assertThat(security.path("privileged").asBoolean()).as(what).isFalse();

            // /tmp stays writable: an emptyDir mounted there.
            String tmpVolume = null;
            for (JsonNode mount : container(workload).path("volumeMounts")) {
                if (mount.path("mountPath").asText().equals("/tmp")) {
                    tmpVolume = mount.path("name").asText();
                }
            }
            assertThat(tmpVolume).as("%s mounts /tmp", what).isNotNull();
            boolean emptyDir = false;
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.path("name").asText().equals(tmpVolume)) {
                    emptyDir = volume.has("emptyDir");
                }
            }
            assertThat(emptyDir).as("%s: /tmp is an emptyDir", what).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest-service", "event-writer", "batch-enricher", "cache-service"})
    void shouldBoundMemoryAndKeepTheImageJvmOptions(String service) {
        Matcher opts = Pattern.compile("(?m)^ENV\\s+JAVA_OPTS_APPEND=\"([^\"]*)\"")
                .matcher(RenderedChart.read(dockerfile(service)));
        assertThat(opts.find())
                .as("JAVA_OPTS_APPEND in %s", dockerfile(service))
                .isTrue();

        for (JsonNode workload : allPods()) {
            if (!workload.path("metadata").path("name").asText().equals(service)) {
                continue;
            }
            JsonNode container = container(workload);
            JsonNode resources = container.path("resources");
            for (String kind : List.of("requests", "limits")) {
                assertThat(resources.path(kind).path("cpu").asText()).as(kind).isNotBlank();
                assertThat(resources.path(kind).path("memory").asText())
                        .as(kind)
                        .isNotBlank();
            }
            assertThat(resources.path("requests").path("memory").asText())
                    .as("memory request = limit: the heap may use most of the limit, and a pod above its request"
                            + " is evicted first")
                    .isEqualTo(resources.path("limits").path("memory").asText());
            String javaOpts = envValue(container, "JAVA_OPTS_APPEND");
            assertThat(javaOpts).containsPattern("-XX:MaxRAMPercentage=\\d+");
            // Setting JAVA_OPTS_APPEND replaces the image's, so the image's options must be carried over.
            assertThat(Arrays.asList(javaOpts.split("\\s+")))
                    .containsAll(Arrays.asList(opts.group(1).split("\\s+")));
        }
    }
}
