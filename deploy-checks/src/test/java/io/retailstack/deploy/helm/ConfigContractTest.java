package io.retailstack.deploy.helm;

import static io.retailstack.deploy.helm.RenderedChart.container;
import static io.retailstack.deploy.helm.RenderedChart.env;
import static io.retailstack.deploy.helm.RenderedChart.envValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart against each service's application.properties: with the profiles the chart sets in QUARKUS_PROFILE,
 * every {@code ${VAR}} without a default is set in the container env, and nothing is left pointing at the laptop.
 */
class ConfigContractTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");
    private static final Pattern PROFILED = Pattern.compile("^%([^.]+)\\.(.+)$");
    /** Defaults that only make sense on a laptop: a service running with one of them in the cluster is broken. */
    private static final List<String> LAPTOP_VALUES = List.of("localhost", "127.0.0.1", "datacenter1");

    /**
     * The properties a process with these profiles sees (Quarkus: a profiled key beats the plain one, and of several
     * active profiles the last one listed wins). Keys are returned without their profile.
     */
    static Map<String, String> activeProperties(String propertiesText, List<String> profiles) {
        Properties raw = new Properties();
        try {
            raw.load(new StringReader(propertiesText));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> active = new LinkedHashMap<>();
        Map<String, Integer> rank = new LinkedHashMap<>();
        for (String key : new TreeSet<>(raw.stringPropertyNames())) {
            Matcher profiled = PROFILED.matcher(key);
            int keyRank = -1;
            String property = key;
            if (profiled.matches()) {
                property = profiled.group(2);
                keyRank = Integer.MIN_VALUE;
                for (String profile : profiled.group(1).split(",")) {
                    keyRank = Math.max(keyRank, profiles.indexOf(profile.trim()));
                }
                if (keyRank < 0) {
                    continue; // none of its profiles is active
                }
            }
            if (keyRank >= rank.getOrDefault(property, Integer.MIN_VALUE)) {
                rank.put(property, keyRank);
                active.put(property, raw.getProperty(key));
            }
        }
        return active;
    }

    /** Quarkus' environment variable name of a property or placeholder: upper case, anything else becomes '_'. */
    static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * The environment variables the process needs: every placeholder without a default, every placeholder whose
     * default is a laptop value, and every property whose own value is a laptop value.
     */
    static Set<String> requiredEnv(String propertiesText, List<String> profiles) {
        Map<String, String> active = activeProperties(propertiesText, profiles);
        Set<String> required = new TreeSet<>();
        for (Map.Entry<String, String> property : active.entrySet()) {
            String value = property.getValue();
            Matcher m = PLACEHOLDER.matcher(value);
            boolean anyPlaceholder = false;
            while (m.find()) {
                anyPlaceholder = true;
                String name = m.group(1).trim();
                String fallback = m.group(2);
                if (active.containsKey(name)) {
                    continue; // another property of the file, checked as itself
                }
                if (fallback == null || isLaptopValue(fallback)) {
                    required.add(envName(name));
                }
            }
            if (!anyPlaceholder && isLaptopValue(value)) {
                required.add(envName(property.getKey()));
            }
        }
        return required;
    }

    private static boolean isLaptopValue(String value) {
        return LAPTOP_VALUES.stream().anyMatch(value::contains);
    }

    private static String properties(String service) {
        return RenderedChart.read(
                RenderedChart.REPO_ROOT.resolve(service + "/src/main/resources/application.properties"));
    }

    static Stream<Arguments> workloads() {
        RenderedChart cron = RenderedChart.azure();
        RenderedChart serve = RenderedChart.azure("batch-enricher.mode=serve");
        return Stream.of(
                Arguments.of("ingest-service", cron.workload("ingest-service")),
                Arguments.of("event-writer", cron.workload("event-writer")),
                Arguments.of("batch-enricher (CronJob)", cron.workload("batch-enricher")),
                Arguments.of("batch-enricher (serve)", serve.workload("batch-enricher")),
                Arguments.of("cache-service", cron.workload("cache-service")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void shouldSetEveryVariableTheProductionProfilesNeed(String label, JsonNode workload) {
        String service = workload.path("metadata").path("name").asText();
        JsonNode container = container(workload);
        String profile = envValue(container, "QUARKUS_PROFILE");
        assertThat(profile).as("%s sets QUARKUS_PROFILE", label).isNotBlank();
        List<String> profiles =
                Arrays.stream(profile.split(",")).map(String::trim).toList();
        assertThat(profiles).as(label).contains("prod");

        Set<String> required = requiredEnv(properties(service), profiles);
        Map<String, JsonNode> env = env(container);
        List<String> missing = new ArrayList<>();
        for (String name : required) {
            JsonNode entry = env.get(name);
            boolean set = entry != null
                    && (entry.has("valueFrom") || !entry.path("value").asText().isBlank());
            if (!set) {
                missing.add(name);
            }
        }
        assertThat(missing)
                .as("%s (profiles %s) needs %s; not set or empty", label, profiles, required)
                .isEmpty();
    }

    @Test
    void shouldDeriveWhatEachServiceNeedsFromItsProperties() {
        // The contract test is only as good as this derivation: it must find what the properties demand.
        assertThat(requiredEnv(properties("ingest-service"), List.of("prod", "eventhubs")))
                .contains("EVENTHUBS_CONNECTION_STRING", "KAFKA_BOOTSTRAP_SERVERS");
        assertThat(requiredEnv(properties("event-writer"), List.of("prod", "cosmos", "eventhubs")))
                .contains(
                        "COSMOS_CASSANDRA_HOST",
                        "COSMOS_CASSANDRA_REGION",
                        "COSMOS_CASSANDRA_USERNAME",
                        "COSMOS_CASSANDRA_PASSWORD",
                        "EVENTHUBS_BOOTSTRAP_SERVERS",
                        "EVENTHUBS_CONNECTION_STRING")
                .doesNotContain("CASSANDRA_CONTACT_POINTS");
        assertThat(requiredEnv(properties("batch-enricher"), List.of("prod")))
                .contains("QUARKUS_DATASOURCE_JDBC_URL", "CASSANDRA_CONTACT_POINTS", "CASSANDRA_LOCAL_DATACENTER");
        assertThat(requiredEnv(properties("cache-service"), List.of("prod")))
                .contains(
                        "CACHE_REDIS_HOSTS",
                        "CACHE_CASSANDRA_CONTACT_POINTS",
                        "CACHE_CASSANDRA_LOCAL_DATACENTER",
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "KAFKA_SASL_JAAS_CONFIG")
                .doesNotContain("CACHE_REDIS_PASSWORD", "CACHE_API_KEYS");
    }

    @Test
    void shouldApplyOnlyTheActiveProfilesLines() {
        String text = String.join(
                "\n",
                "a=${A}",
                "%prod.b=${B}",
                "%test.c=${C}",
                "%dev,prod.d=${D}",
                "e=${E:fine}",
                "f=${F:localhost:9092}",
                "g=localhost:6379",
                "%prod.g=${G_HOSTS}",
                "h=127.0.0.1:9042",
                "%eventhubs.i=x ${I_INSIDE} y",
                "%prod.j=${J}",
                "%eventhubs.j=${J_LATER}",
                "k=${a}");
        assertThat(requiredEnv(text, List.of("prod", "eventhubs")))
                .containsExactlyInAnyOrder("A", "B", "D", "F", "G_HOSTS", "H", "I_INSIDE", "J_LATER");
        assertThat(requiredEnv(text, List.of("prod")))
                .containsExactlyInAnyOrder("A", "B", "D", "F", "G_HOSTS", "H", "J");
        assertThat(envName("event-writer.kafka.group-instance-id")).isEqualTo("EVENT_WRITER_KAFKA_GROUP_INSTANCE_ID");
    }

    @Test
    void shouldConfigureIngestTokenVerification() {
        JsonNode container = container(RenderedChart.azure().workload("ingest-service"));
        // Set per environment, not by a placeholder: without them no token verifies (ingest-service README).
        assertThat(envValue(container, "MP_JWT_VERIFY_PUBLICKEY_LOCATION")).startsWith("https://");
        assertThat(envValue(container, "MP_JWT_VERIFY_ISSUER")).startsWith("https://");
        assertThat(envValue(container, "SMALLRYE_JWT_PATH_GROUPS")).isEqualTo("roles");
    }
}
