package io.retailstack.localstack.testcontainers;

import io.retailstack.localstack.StackEndpoints;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.cassandra.CassandraContainer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The opt-in alternative to the local processes: the same four engines as Testcontainers, for machines with a Docker
 * engine ({@code retail.stack.provider=testcontainers}). Started once per JVM; with {@code testcontainers.reuse.enable=true}
 * in {@code ~/.testcontainers.properties} the containers are also reused across JVMs, like the local stack is.
 *
 * <p>Outage tests need {@code LocalStack.stopEngine}, which only the local provider offers.
 */
public final class ContainerStack {
    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
    static final String CASSANDRA_IMAGE = "cassandra:5.0";
    static final String POSTGRES_IMAGE = "postgres:17-alpine";
    static final String REDIS_IMAGE = "redis:7.2-alpine";

    private static StackEndpoints endpoints;

    private ContainerStack() {}

    /** Starts the containers on first use and returns where they listen. */
    public static StackEndpoints ensureUp() {
        return ensureUp(() -> DockerClientFactory.instance().isDockerAvailable());
    }

    static synchronized StackEndpoints ensureUp(BooleanSupplier dockerAvailable) {
        if (endpoints != null) {
            return endpoints;
        }
        if (!dockerAvailable.getAsBoolean()) {
            throw new IllegalStateException("retail.stack.provider=testcontainers, but no Docker engine is reachable;"
                    + " unset it to use the local processes of local-stack");
        }
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE)).withReuse(true);
        CassandraContainer cassandra = new CassandraContainer(DockerImageName.parse(CASSANDRA_IMAGE)).withReuse(true);
        PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE))
                .withDatabaseName("retail")
                .withUsername("retail")
                .withPassword(UUID.randomUUID().toString().replace("-", ""))
                .withReuse(true);
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE))
                .withExposedPorts(6379)
                .withReuse(true);
        Startables.deepStart(Stream.<Startable>of(kafka, cassandra, postgres, redis))
                .join();
        endpoints = new StackEndpoints(
                kafka.getBootstrapServers(),
                cassandra.getHost(),
                cassandra.getMappedPort(9042),
                cassandra.getLocalDatacenter(),
                postgres.getHost(),
                postgres.getMappedPort(5432),
                postgres.getDatabaseName(),
                postgres.getUsername(),
                postgres.getPassword(),
                redis.getHost(),
                redis.getMappedPort(6379));
        return endpoints;
    }
}
