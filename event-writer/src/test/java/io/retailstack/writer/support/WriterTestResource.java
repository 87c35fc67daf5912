package io.retailstack.writer.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The shared local stack (real Kafka and Cassandra) plus topics of this test run's own, so the writer under test
 * sees only the events its tests produce, whatever else uses the stack.
 */
public class WriterTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    public static final String KEYSPACE = "event_writer_test";

    private final LocalStackTestResource stack = new LocalStackTestResource();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>(stack.start());
        config.put("event-writer.kafka.topic", "test.retail.events." + RUN);
        config.put("event-writer.kafka.state-topic", "test.retail.state." + RUN);
        config.put("event-writer.kafka.dlq-topic", "test.retail.events.dlq." + RUN);
        config.put("event-writer.kafka.group-id", "event-writer-test-" + RUN);
        config.put("event-writer.cassandra.keyspace", KEYSPACE);
        // outage tests: notice a stuck batch quickly
        config.put("event-writer.health.stuck-after", "15s");
        config.put("event-writer.health.cassandra-timeout", "2s");
        return config;
    }

    @Override
    public void stop() {
        stack.stop();
    }
}
