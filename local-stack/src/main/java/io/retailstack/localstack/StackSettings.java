package io.retailstack.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the stack lives and how it behaves. Every setting is read from a system property first, then from the
 * environment variable next to it, then the default.
 *
 * <pre>
 * retail.stack.dir                      RETAIL_STACK_DIR                      ./.stack
 * retail.stack.idle-timeout-seconds     RETAIL_STACK_IDLE_TIMEOUT_SECONDS     60   (supervisor exits this long after the last lease)
 * retail.stack.start-timeout-seconds    RETAIL_STACK_START_TIMEOUT_SECONDS    240
 * retail.stack.kafka.port               RETAIL_STACK_KAFKA_PORT               free port chosen at first start, then kept
 * retail.stack.cassandra.port           RETAIL_STACK_CASSANDRA_PORT           idem (CQL native port)
 * retail.stack.postgres.port            RETAIL_STACK_POSTGRES_PORT            idem
 * retail.stack.redis.port               RETAIL_STACK_REDIS_PORT               idem
 * retail.stack.cassandra.java-home      RETAIL_STACK_CASSANDRA_JAVA_HOME      this JVM if it is 17, else /usr/lib/jvm/*17*
 * </pre>
 */
public record StackSettings(
        Path dir,
        Duration idleTimeout,
        Duration startTimeout,
        Map<Engine, Integer> configuredPorts,
        Optional<String> cassandraJavaHome) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    public StackSettings {
        dir = dir.toAbsolutePath().normalize();
        configuredPorts = Map.copyOf(configuredPorts);
    }

    public static StackSettings fromEnvironment() {
        return fromEnvironment(
                Path.of(setting("retail.stack.dir").orElse(".stack")).toAbsolutePath());
    }

    public static StackSettings fromEnvironment(Path dir) {
        Map<Engine, Integer> ports = new EnumMap<>(Engine.class);
        for (Engine e : Engine.values()) {
            number("retail.stack." + e.id() + ".port").ifPresent(p -> {
                if (p < 1 || p > 65535) {
                    throw new IllegalArgumentException(describe("retail.stack." + e.id() + ".port")
                            + " must be a port number (1-65535), got " + p);
                }
                ports.put(e, p.intValue());
            });
        }
        return new StackSettings(
                dir,
                Duration.ofSeconds(
                        number("retail.stack.idle-timeout-seconds").orElse(DEFAULT_IDLE_TIMEOUT.toSeconds())),
                Duration.ofSeconds(number("retail.stack.start-timeout-seconds").orElse(240L)),
                ports,
                setting("retail.stack.cassandra.java-home"));
    }

    public StackSettings withIdleTimeout(Duration timeout) {
        return new StackSettings(dir, timeout, startTimeout, configuredPorts, cassandraJavaHome);
    }

    public StackSettings withDir(Path newDir) {
        return new StackSettings(newDir, idleTimeout, startTimeout, configuredPorts, cassandraJavaHome);
    }

    /** System property {@code key}, else environment variable {@code KEY_LIKE_THIS}. Blank counts as unset. */
    /** A whole-number setting; a clear error (naming the property and its variable) if it is not one. */
    static Optional<Long> number(String key) {
        return setting(key).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(describe(key) + " must be a whole number, got '" + v + "'");
            }
        });
    }

    private static String describe(String key) {
        return key + " (" + envName(key) + ")";
    }

    private static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static Optional<String> setting(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            v = System.getenv(envName(key));
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }
}
