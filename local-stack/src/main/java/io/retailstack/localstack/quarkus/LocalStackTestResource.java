package io.retailstack.localstack.quarkus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.retailstack.localstack.LocalStack;
import io.retailstack.localstack.StackEndpoints;
import io.retailstack.localstack.StackProvider;
import io.retailstack.localstack.testcontainers.ContainerStack;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Quarkus test resource backed by the shared local stack.
 *
 * <pre>{@code
 * @QuarkusTest
 * @QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
 * class OrderResourceTest { ... }
 * }</pre>
 *
 * With {@code retail.stack.provider=testcontainers} (opt-in, needs a Docker engine) the same configuration points at
 * containers instead of local processes.
 *
 * <p>Returns neutral {@code retail.stack.*} keys (see {@link #config(StackEndpoints)}) plus {@code
 * kafka.bootstrap.servers}, which Quarkus' Kafka support reads as is. Each service maps the neutral keys onto its own
 * settings in its {@code %test} profile ({@code %test.quarkus.datasource.jdbc.url=${retail.stack.postgres.jdbc-url}},
 * {@code %test.cache.redis.hosts=...}) and turns off the Dev Services of the extensions it has: keys of extensions a
 * service does not have would only be warned about as unrecognized at every start. {@link #stop()} only releases
 * this JVM's lease: the shared stack keeps running for the other test classes and modules.
 */
public class LocalStackTestResource implements QuarkusTestResourceLifecycleManager {
    private LocalStack stack;

    @Override
    public Map<String, String> start() {
        if (StackProvider.fromEnvironment() == StackProvider.TESTCONTAINERS) {
            return config(ContainerStack.ensureUp());
        }
        stack = LocalStack.fromEnvironment();
        return config(stack.ensureUp());
    }

    @Override
    public void stop() {
        if (stack != null) {
            stack.release();
        }
    }

    /** The configuration a Quarkus service needs to talk to the stack. */
    public static Map<String, String> config(StackEndpoints e) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("kafka.bootstrap.servers", e.kafkaBootstrapServers());
        c.put("retail.stack.kafka.bootstrap-servers", e.kafkaBootstrapServers());
        c.put("retail.stack.cassandra.contact-point", e.cassandraContactPoint());
        c.put("retail.stack.cassandra.host", e.cassandraHost());
        c.put("retail.stack.cassandra.port", Integer.toString(e.cassandraPort()));
        c.put("retail.stack.cassandra.local-datacenter", e.cassandraLocalDatacenter());
        c.put("retail.stack.postgres.jdbc-url", e.postgresJdbcUrl());
        c.put("retail.stack.postgres.host", e.postgresHost());
        c.put("retail.stack.postgres.port", Integer.toString(e.postgresPort()));
        c.put("retail.stack.postgres.database", e.postgresDatabase());
        c.put("retail.stack.postgres.username", e.postgresUser());
        c.put("retail.stack.postgres.password", e.postgresPassword());
        c.put("retail.stack.redis.host", e.redisHost());
        c.put("retail.stack.redis.port", Integer.toString(e.redisPort()));
        c.put("retail.stack.redis.url", e.redisUrl());
        return c;
    }
}
