package io.retailstack.writer.support;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import io.quarkus.runtime.configuration.DurationConverter;
import io.retailstack.localstack.StackEndpoints;
import io.retailstack.writer.config.WriterConfig;
import io.retailstack.writer.persistence.SchemaApplier;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What tests and benchmarks need to run an {@code EventWriterService} of their own, outside Quarkus, against the local
 * stack: a session, the contract schema in a keyspace of their own, and a typed configuration from plain properties.
 */
public final class StandaloneWriter {

    /** The contract's CQL files, in order (what {@code event-writer.cassandra.schema.files} applies by default). */
    public static final List<String> SCHEMA_FILES =
            List.of("V001__event_store.cql", "V002__event_outcome.cql", "V003__order_state_by_aggregate.cql");

    private StandaloneWriter() {}

    public static CqlSession session(StackEndpoints stack) {
        return builder(stack, DriverConfigLoader.programmaticBuilder()).build();
    }

    /** The same, with a session name: its threads are named after it ({@code <name>-io-0}, ...). */
    public static CqlSession session(StackEndpoints stack, String name) {
        return builder(
                        stack,
                        DriverConfigLoader.programmaticBuilder().withString(DefaultDriverOption.SESSION_NAME, name))
                .build();
    }

    /**
     * The driver's 2 s request timeout is too short for schema changes on a busy 2-core machine (a CREATE TABLE
     * timed out there while the rest of the build ran): tests wait up to 30 s, as a writer would retry.
     */
    private static CqlSessionBuilder builder(StackEndpoints stack, ProgrammaticDriverConfigLoaderBuilder config) {
        return CqlSession.builder()
                .withConfigLoader(config.withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .addContactPoint(new InetSocketAddress(stack.cassandraHost(), stack.cassandraPort()))
                .withLocalDatacenter(stack.cassandraLocalDatacenter());
    }

    /** The contract tables in {@code keyspace} (replication factor 1), created when missing. */
    public static void applySchema(CqlSession session, String keyspace) {
        SchemaApplier.apply(
                session,
                "retail/cassandra",
                SCHEMA_FILES,
                keyspace,
                "{'class': 'SimpleStrategy', 'replication_factor': 1}");
    }

    /**
     * A writer configuration for the local stack: its Kafka and Cassandra, {@code keyspace} (schema not applied by
     * the writer), topics created when missing; then {@code overrides}.
     */
    public static WriterConfig config(StackEndpoints stack, String keyspace, Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>();
        p.put("event-writer.kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        p.put("event-writer.kafka.create-topics", "true");
        p.put("event-writer.cassandra.contact-points", stack.cassandraContactPoint());
        p.put("event-writer.cassandra.local-datacenter", stack.cassandraLocalDatacenter());
        p.put("event-writer.cassandra.keyspace", keyspace);
        p.put("event-writer.cassandra.schema.apply", "false");
        p.putAll(overrides);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(WriterConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(p, "standalone-writer", 500))
                .build();
        return config.getConfigMapping(WriterConfig.class);
    }
}
