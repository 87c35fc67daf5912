package io.retailstack.deploy.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The chart rendered offline by the Helm that helm-java embeds ({@code helm template}), parsed into one JSON tree per
 * manifest, with the look-ups the tests share.
 */
final class RenderedChart {

    static final Path REPO_ROOT =
            Paths.get(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path CHART = REPO_ROOT.resolve("charts/retail-stack");
    static final Path AZURE_EXAMPLE = CHART.resolve("values-azure.example.yaml");
    static final List<String> SERVICES = List.of("ingest-service", "event-writer", "batch-enricher", "cache-service");
    static final String NAMESPACE = "retail";
    /** Helm's offline default (v1.20) is below the chart's kubeVersion; AKS runs supported 1.3x versions. */
    static final String KUBE_VERSION = "1.31.0";

    private static final YAMLMapper YAML = new YAMLMapper();

    private final List<JsonNode> manifests;

    private RenderedChart(List<JsonNode> manifests) {
        this.manifests = List.copyOf(manifests);
    }

    /** The chart with its defaults plus {@code key=value} overrides (helm --set syntax). */
    static RenderedChart render(String... sets) {
        return render(null, sets);
    }

    /** The full AKS example (values-azure.example.yaml) plus overrides. */
    static RenderedChart azure(String... sets) {
        return render(AZURE_EXAMPLE, sets);
    }

    static RenderedChart render(Path valuesFile, String... sets) {
        return new RenderedChart(parse(template(valuesFile, sets)));
    }

    /** The rendered YAML text, or the exception Helm raised (a failed {@code required}, {@code fail}, schema). */
    static String template(Path valuesFile, String... sets) {
        TemplateCommand command = new Helm(CHART)
                .template()
                .withName("retail-stack")
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (String set : sets) {
            int eq = set.indexOf('=');
            command = command.set(set.substring(0, eq), set.substring(eq + 1));
        }
        return command.call();
    }

    static List<JsonNode> parse(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered chart is not YAML", e);
        }
        return documents;
    }

    static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<JsonNode> all() {
        return manifests;
    }

    List<JsonNode> ofKind(String kind) {
        return manifests.stream()
                .filter(m -> kind.equals(m.path("kind").asText()))
                .toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream()
                .filter(m -> name.equals(m.path("metadata").path("name").asText()))
                .findFirst();
    }

    JsonNode get(String kind, String name) {
        Optional<JsonNode> found = find(kind, name);
        assertThat(found).as("%s %s is rendered", kind, name).isPresent();
        return found.get();
    }

    /** Deployments and CronJobs: everything that runs a pod. */
    List<JsonNode> workloads() {
        return Stream.concat(ofKind("Deployment").stream(), ofKind("CronJob").stream())
                .toList();
    }

    /** The Deployment or CronJob of a service. */
    JsonNode workload(String service) {
        List<JsonNode> found = workloads().stream()
                .filter(w -> service.equals(w.path("metadata").path("name").asText()))
                .toList();
        assertThat(found).as("exactly one workload for %s", service).hasSize(1);
        return found.get(0);
    }

    /** Names of the manifests that belong to a service (by the app.kubernetes.io/name label). */
    List<String> objectsOf(String service) {
        return manifests.stream()
                .filter(m -> service.equals(m.path("metadata")
                        .path("labels")
                        .path("app.kubernetes.io/name")
                        .asText()))
                .map(m -> m.path("kind").asText() + "/"
                        + m.path("metadata").path("name").asText())
                .toList();
    }

    static JsonNode podTemplate(JsonNode workload) {
        JsonNode spec = workload.path("spec");
        return "CronJob".equals(workload.path("kind").asText())
                ? spec.path("jobTemplate").path("spec").path("template")
                : spec.path("template");
    }

    static JsonNode podSpec(JsonNode workload) {
        return podTemplate(workload).path("spec");
    }

    /** The service's container: every pod of the chart runs exactly one. */
    static JsonNode container(JsonNode workload) {
        JsonNode containers = podSpec(workload).path("containers");
        assertThat(containers.size())
                .as("containers of %s", workload.path("metadata").path("name").asText())
                .isEqualTo(1);
        return containers.get(0);
    }

    /** Container env by name, in declaration order; a name declared twice fails. */
    static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        for (JsonNode entry : container.path("env")) {
            String name = entry.path("name").asText();
            assertThat(env.put(name, entry))
                    .as(
                            "env %s declared once in %s",
                            name, container.path("name").asText())
                    .isNull();
        }
        return env;
    }

    /** Plain value of an env var, or null when it is absent or comes from valueFrom. */
    static String envValue(JsonNode container, String name) {
        JsonNode entry = env(container).get(name);
        return entry == null || !entry.has("value") ? null : entry.path("value").asText();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
