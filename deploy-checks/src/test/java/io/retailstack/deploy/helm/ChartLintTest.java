package io.retailstack.deploy.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** helm lint, every shipped values scenario renders, and the values schema refuses what it does not know. */
class ChartLintTest {

    @Test
    void shouldPassStrictLint() {
        LintResult result = new Helm(RenderedChart.CHART).lint().strict().call();

        assertThat(result.isFailed())
                .as("helm lint --strict: %s", result.getMessages())
                .isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    static Stream<Path> scenarios() throws IOException {
        try (Stream<Path> ci = Files.list(RenderedChart.CHART.resolve("ci"))) {
            List<Path> files = ci.filter(p -> p.toString().endsWith("-values.yaml"))
                    .sorted()
                    .toList();
            assertThat(files).as("ci/*-values.yaml scenarios").isNotEmpty();
            return Stream.concat(files.stream(), Stream.of(RenderedChart.AZURE_EXAMPLE));
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void shouldRenderEveryShippedValuesScenario(Path values) {
        RenderedChart chart = RenderedChart.render(values);

        assertThat(chart.workloads())
                .as("workloads of %s", values.getFileName())
                .isNotEmpty();
        for (JsonNode manifest : chart.all()) {
            assertThat(manifest.path("apiVersion").asText()).isNotBlank();
            assertThat(manifest.path("kind").asText()).isNotBlank();
            assertThat(manifest.path("metadata").path("name").asText()).isNotBlank();
            assertThat(manifest.path("metadata")
                            .path("labels")
                            .path("app.kubernetes.io/part-of")
                            .asText())
                    .isEqualTo("retail-stack");
        }
    }

    @Test
    void shouldRejectAMistypedValue() {
        assertThatThrownBy(() -> RenderedChart.render("cache-service.replica=3"))
                .hasMessageContaining("replica");
    }

    @Test
    void shouldRejectAWildcardCorsOrigin() {
        assertThatThrownBy(() -> RenderedChart.render("cache-service.corsOrigins[0]=*"))
                .hasMessageContaining("corsOrigins");
        // Quarkus reads an origin between slashes as a regular expression: /.*/ would allow every origin
        assertThatThrownBy(() -> RenderedChart.render("cache-service.corsOrigins[0]=/.*/"))
                .hasMessageContaining("corsOrigins");
        assertThatThrownBy(() -> RenderedChart.render("cache-service.corsOrigins[0]=https://a.example\\,*"))
                .hasMessageContaining("corsOrigins");
        RenderedChart.render("cache-service.corsOrigins[0]=https://shop.example.com:8443");
    }
}
