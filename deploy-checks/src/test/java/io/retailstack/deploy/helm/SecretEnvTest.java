package io.retailstack.deploy.helm;

import static io.retailstack.deploy.helm.RenderedChart.container;
import static io.retailstack.deploy.helm.RenderedChart.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.retailstack.deploy.SharedSecrets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Secrets reach the pods only through secretKeyRef: never as a literal in the rendered manifests. */
class SecretEnvTest {

    /**
     * A JAAS line may be assembled by Kubernetes from a secretKeyRef variable declared before it ({@code $(NAME)}):
     * the manifest then holds the template, not the password.
     */
    private static final Pattern JAAS_FROM_REFERENCE =
            Pattern.compile("^org\\.apache\\.kafka\\.common\\.security\\.plain\\.PlainLoginModule required"
                    + " username=\"\\$ConnectionString\" password=\"\\$\\(([A-Z0-9_]+)\\)\";$");

    /** PASSWORD, SECRET, CONNECTION_STRING or JAAS anywhere in the name, or KEY/KEYS as its last word. */
    static boolean looksSecret(String name) {
        List<String> words = Arrays.asList(name.split("_"));
        String last = words.get(words.size() - 1);
        return name.contains("PASSWORD")
                || name.contains("SECRET")
                || name.contains("CONNECTION_STRING")
                || name.contains("JAAS")
                || last.equals("KEY")
                || last.equals("KEYS");
    }

    /** Renders that between them switch on every optional env var. */
    private static List<RenderedChart> renders() {
        return List.of(
                RenderedChart.render(),
                RenderedChart.render(
                        "batch-enricher.mode=serve",
                        "event-writer.keda.enabled=true",
                        "cache-service.apiKeys.enabled=true",
                        "cache-service.apiKeys.existingSecret=cache-api-keys"),
                RenderedChart.azure());
    }

    @Test
    void shouldTakeEverySecretLikeVariableFromASecretKeyRef() {
        List<String> checked = new ArrayList<>();
        for (RenderedChart chart : renders()) {
            for (JsonNode workload : chart.workloads()) {
                String service = workload.path("metadata").path("name").asText();
                Map<String, JsonNode> env = env(container(workload));
                List<String> declared = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : env.entrySet()) {
                    String name = e.getKey();
                    JsonNode entry = e.getValue();
                    if (looksSecret(name)) {
                        checked.add(service + "/" + name);
                        if (name.contains("JAAS") && entry.has("value")) {
                            Matcher m = JAAS_FROM_REFERENCE.matcher(
                                    entry.path("value").asText());
                            assertThat(m.matches())
                                    .as("%s %s holds a $(VAR) reference, no literal password", service, name)
                                    .isTrue();
                            assertThat(declared)
                                    .as("%s: %s is declared before %s", service, m.group(1), name)
                                    .contains(m.group(1));
                            assertThat(env.get(m.group(1)).path("valueFrom").has("secretKeyRef"))
                                    .as("%s %s comes from a secretKeyRef", service, m.group(1))
                                    .isTrue();
                        } else {
                            assertThat(entry.has("value"))
                                    .as("%s %s has no literal value", service, name)
                                    .isFalse();
                            JsonNode ref = entry.path("valueFrom").path("secretKeyRef");
                            assertThat(ref.path("name").asText())
                                    .as("%s %s secretKeyRef.name", service, name)
                                    .isNotBlank();
                            assertThat(ref.path("key").asText())
                                    .as("%s %s secretKeyRef.key", service, name)
                                    .isNotBlank();
                        }
                    }
                    declared.add(name);
                }
            }
        }
        // Every password, connection string and the API keys: the check must have had something to check.
        assertThat(checked)
                .contains(
                        "ingest-service/EVENTHUBS_CONNECTION_STRING",
                        "event-writer/COSMOS_CASSANDRA_PASSWORD",
                        "batch-enricher/QUARKUS_DATASOURCE_PASSWORD",
                        "cache-service/CACHE_REDIS_PASSWORD",
                        "cache-service/KAFKA_SASL_JAAS_CONFIG",
                        "cache-service/CACHE_API_KEYS");
    }

    @Test
    void shouldRecogniseSecretLikeNames() {
        assertThat(looksSecret("CACHE_REDIS_PASSWORD")).isTrue();
        assertThat(looksSecret("KAFKA_SASL_JAAS_CONFIG")).isTrue();
        assertThat(looksSecret("EVENTHUBS_CONNECTION_STRING")).isTrue();
        assertThat(looksSecret("CACHE_API_KEYS")).isTrue();
        assertThat(looksSecret("CLIENT_SECRET")).isTrue();
        assertThat(looksSecret("CACHE_API_KEY_ENABLED")).isFalse();
        assertThat(looksSecret("MP_JWT_VERIFY_PUBLICKEY_LOCATION")).isFalse();
    }

    @Test
    void shouldReadTheSharedSecretsFromTheExistingSecret() {
        RenderedChart chart = RenderedChart.render("secrets.existingSecret=platform-secrets");

        List<String> keys = new ArrayList<>();
        for (JsonNode workload : chart.workloads()) {
            for (JsonNode entry : env(container(workload)).values()) {
                JsonNode ref = entry.path("valueFrom").path("secretKeyRef");
                if (!ref.isMissingNode()) {
                    assertThat(ref.path("name").asText()).isEqualTo("platform-secrets");
                    keys.add(ref.path("key").asText());
                }
            }
        }
        assertThat(Set.copyOf(keys)).isEqualTo(SharedSecrets.NAMES);
    }

    @Test
    void shouldKeepSecretValuesOutOfValuesFiles() {
        for (String file : List.of("values.yaml", "values-azure.example.yaml")) {
            String text = RenderedChart.read(RenderedChart.CHART.resolve(file));
            assertThat(text)
                    .as(file)
                    .doesNotContain("SharedAccessKey=")
                    .doesNotContain("AccountKey=")
                    .doesNotContainPattern("(?im)^\\s*(password|connectionString|accessKey|primaryKey)\\s*:");
        }
        assertThat(RenderedChart.azure().ofKind("Secret")).isEmpty();
    }
}
