package io.retailstack.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retailstack.events.AggregateKey;
import io.retailstack.localstack.StackEndpoints;
import io.retailstack.localstack.junit.LocalStackExtension;
import io.retailstack.writer.config.WriterConfig;
import io.retailstack.writer.service.EventWriterService;
import io.retailstack.writer.support.StandaloneWriter;
import io.retailstack.writer.support.StoreInspector;
import io.retailstack.writer.support.TestKafka;
import io.retailstack.writer.support.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The write path of the Cosmos DB profile, against the real local Cassandra: one table per batch (event rows, id rows
 * and an order's state each their own batch), one aggregate per context read, Cosmos-sized batches, and small polls so
 * several are in flight at once. The default path is covered by the other integration tests and the crash test; this
 * one proves the other branch keeps the same guarantees: every event stored once in order, seq gapless, every state
 * row the fold of its events, and a replay from offset 0 changes no row.
 */
@ExtendWith(LocalStackExtension.class)
class CosmosWritePathTest {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String keyspace = "event_writer_cosmos_" + run;

    @Test
    void storesEveryEventOnceWithStateEqualToTheFoldWhenEachTableIsItsOwnBatch(StackEndpoints stack) throws Exception {
        Workload workload = Workload.generate("cosmos" + run, 150, 12, 60, 0.02, 11);
        String topic = "cosmos.events." + run;
        try (TestKafka kafka = new TestKafka(stack.kafkaBootstrapServers());
                CqlSession cql = StandaloneWriter.session(stack)) {
            StandaloneWriter.applySchema(cql, keyspace);
            kafka.createTopic(topic, 3);
            kafka.sendAll(topic, workload.events);

            consumeAll(stack, kafka, topic, "cosmos-" + run);

            StoreInspector store = new StoreInspector(cql, keyspace);
            List<String> problems = new ArrayList<>();
            for (Map.Entry<AggregateKey, List<String>> expected : workload.expected.entrySet()) {
                problems.addAll(store.problems(expected.getKey()));
                List<String> stored = store.events(expected.getKey()).stream()
                        .map(r -> r.getString("event_id"))
                        .toList();
                if (!stored.equals(expected.getValue())) {
                    problems.add(expected.getKey() + ": stored " + stored + ", expected " + expected.getValue());
                }
            }
            assertThat(problems).isEmpty();
            List<Row> orderStates = cql.execute("SELECT aggregate_id FROM " + keyspace + ".order_state_by_aggregate")
                    .all();
            assertThat(orderStates).hasSizeGreaterThanOrEqualTo(100);

            String before = store.checksum(workload.expected.keySet());
            consumeAll(stack, kafka, topic, "cosmos-replay-" + run);
            assertThat(store.checksum(workload.expected.keySet())).isEqualTo(before);
        }
    }

    /** A writer with the Cosmos write settings, from offset 0 until its group has committed the whole topic. */
    private void consumeAll(StackEndpoints stack, TestKafka kafka, String topic, String group) {
        EventWriterService writer = new EventWriterService(config(stack, topic, group), new SimpleMeterRegistry());
        writer.start();
        try {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> kafka.caughtUp(group, topic));
        } finally {
            writer.stop();
        }
    }

    private WriterConfig config(StackEndpoints stack, String topic, String group) {
        Map<String, String> p = new HashMap<>();
        p.put("event-writer.kafka.topic", topic);
        p.put("event-writer.kafka.state-topic", "cosmos.state." + run);
        p.put("event-writer.kafka.dlq-topic", "cosmos.dlq." + run);
        p.put("event-writer.kafka.group-id", group);
        p.put("event-writer.kafka.max-poll-records", "300");
        // what the cosmos profile sets for writes (application.properties, %cosmos)
        p.put("event-writer.cassandra.combine-event-tables", "false");
        p.put("event-writer.cassandra.read-partitions-per-query", "1");
        p.put("event-writer.cassandra.max-batch-statements", "40");
        p.put("event-writer.cassandra.max-batch-bytes", "32000");
        p.put("event-writer.cassandra.max-in-flight", "64");
        return StandaloneWriter.config(stack, keyspace, p);
    }
}
