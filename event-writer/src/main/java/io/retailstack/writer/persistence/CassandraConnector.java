package io.retailstack.writer.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.DriverOption;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.internal.core.auth.PlainTextAuthProvider;
import com.datastax.oss.driver.internal.core.ssl.DefaultSslEngineFactory;
import io.retailstack.writer.config.WriterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Builds the driver session from {@link WriterConfig.Cassandra}: contact points, local datacenter, consistency, the
 * throttling-aware retry policy, idempotent requests, fast reconnection, TLS and credentials when set, then every
 * option of {@code event-writer.cassandra.driver.*} verbatim (that is where the Cosmos DB profile puts Azure's
 * recommended settings).
 */
public final class CassandraConnector {

    private CassandraConnector() {}

    /** The driver configuration; no I/O. */
    public static DriverConfigLoader configLoader(WriterConfig.Cassandra c) {
        ProgrammaticDriverConfigLoaderBuilder b = DriverConfigLoader.programmaticBuilder()
                .withStringList(DefaultDriverOption.CONTACT_POINTS, c.contactPoints())
                .withString(DefaultDriverOption.LOAD_BALANCING_LOCAL_DATACENTER, c.localDatacenter())
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, c.consistency())
                .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, "LOCAL_SERIAL")
                // every statement the writer sends is idempotent: same rows, same write timestamps
                .withBoolean(DefaultDriverOption.REQUEST_DEFAULT_IDEMPOTENCE, true)
                .withClass(DefaultDriverOption.RETRY_POLICY_CLASS, ThrottlingRetryPolicy.class)
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(12))
                // the writer starts (and turns not-ready) while Cassandra is down, and finds it again quickly
                .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, true)
                .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(500))
                .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(4))
                .withString(DefaultDriverOption.SESSION_NAME, "event-writer")
                // no client-side timestamps needed: every write carries USING TIMESTAMP from the log position
                .withBoolean(DefaultDriverOption.SOCKET_KEEP_ALIVE, true);
        if (c.ssl()) {
            b.withClass(DefaultDriverOption.SSL_ENGINE_FACTORY_CLASS, DefaultSslEngineFactory.class)
                    .withBoolean(DefaultDriverOption.SSL_HOSTNAME_VALIDATION, c.sslHostnameValidation());
        }
        if (c.username().isPresent()) {
            b.withClass(DefaultDriverOption.AUTH_PROVIDER_CLASS, PlainTextAuthProvider.class)
                    .withString(
                            DefaultDriverOption.AUTH_PROVIDER_USER_NAME,
                            c.username().get())
                    .withString(
                            DefaultDriverOption.AUTH_PROVIDER_PASSWORD,
                            c.password().orElse(""));
        }
        for (Map.Entry<String, String> option : c.driver().entrySet()) {
            b.withString(raw(option.getKey()), option.getValue());
        }
        return b.build();
    }

    /**
     * Opens a session (no keyspace: the schema applier may have to create it). Completes once a node answered; with
     * reconnect-on-init it keeps trying until then.
     */
    public static CompletionStage<CqlSession> connect(WriterConfig.Cassandra c) {
        return CqlSession.builder()
                .withConfigLoader(configLoader(c))
                .withClassLoader(CassandraConnector.class.getClassLoader())
                .buildAsync();
    }

    private static DriverOption raw(String path) {
        String trimmed = path.startsWith("\"") && path.endsWith("\"") ? path.substring(1, path.length() - 1) : path;
        return () -> trimmed;
    }
}
