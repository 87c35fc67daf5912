package io.retailstack.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retailstack.events.AggregateKey;
import io.retailstack.localstack.StackEndpoints;
import io.retailstack.localstack.junit.LocalStackExtension;
import io.retailstack.writer.config.WriterConfig;
import io.retailstack.writer.health.WriterReadinessCheck;
import io.retailstack.writer.persistence.CassandraErrors;
import io.retailstack.writer.service.EventWriterService;
import io.retailstack.writer.support.StandaloneWriter;
import io.retailstack.writer.support.StoreInspector;
import io.retailstack.writer.support.TestEvents;
import io.retailstack.writer.support.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A table the writer needs is missing (on Cosmos DB: Terraform not applied yet, or a table dropped by hand), against
 * the real local Cassandra. Cassandra refuses every write that touches it; waiting alone will not fix that. The
 * writer must neither dead-letter the events (they are fine) nor commit past them, must say in readiness what an
 * operator has to fix, and must go on by itself once the table is back: every event then stored once, each order's
 * state the fold of its events.
 */
@ExtendWith(LocalStackExtension.class)
class MissingTableTest {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String keyspace = "event_writer_missing_" + run;

    @Test
    void shouldHoldEventsWhileATableIsMissingAndGoOnOnceItIsBack(StackEndpoints stack) throws Exception {
        String topic = "missing.events." + run;
        String group = "missing-" + run;
        String dlq = "missing.dlq." + run;
        try (TestKafka kafka = new TestKafka(stack.kafkaBootstrapServers());
                CqlSession cql = StandaloneWriter.session(stack)) {
            StandaloneWriter.applySchema(cql, keyspace);
            kafka.createTopic(topic, 2);
            EventWriterService writer =
                    new EventWriterService(config(stack, topic, group, dlq), new SimpleMeterRegistry());
            writer.start();
            try {
                writer.storeReady().get(120, TimeUnit.SECONDS); // statements prepared against the whole schema
                cql.execute("DROP TABLE " + keyspace + ".order_state_by_aggregate");

                List<AggregateKey> orders = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String orderId = TestEvents.id("MISS");
                    orders.add(AggregateKey.order(orderId));
                    kafka.sendAll(
                            topic,
                            List.of(TestEvents.placed(orderId), TestEvents.paid(orderId), TestEvents.shipped(orderId)));
                }

                WriterReadinessCheck readiness = new WriterReadinessCheck(writer);
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            HealthCheckResponse r = readiness.call();
                            assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
                            assertThat(r.getData().orElseThrow())
                                    .containsEntry(
                                            "action", CassandraErrors.operatorHint(CassandraErrors.Cause.REJECTED))
                                    .hasEntrySatisfying("writes", w -> assertThat(w.toString())
                                            .contains("order_state_by_aggregate"));
                        });
                assertThat(writer.status().lastStoreCause()).isEqualTo(CassandraErrors.Cause.REJECTED);
                assertThat(writer.metrics()
                                .registry()
                                .get("event_writer.store.retries")
                                .tag("cause", "REJECTED")
                                .counter()
                                .count())
                        .isPositive();
                assertThat(kafka.committedTotal(group, topic))
                        .as("offsets committed past refused writes")
                        .isZero();

                StandaloneWriter.applySchema(cql, keyspace); // the operator's fix: the table is back (empty)

                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> kafka.caughtUp(group, topic));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> readiness.call().getStatus() == HealthCheckResponse.Status.UP);

                StoreInspector store = new StoreInspector(cql, keyspace);
                assertThat(store.problems(orders, 3)).isEmpty();
                assertThat(kafka.readAll(dlq)).isEmpty();
            } finally {
                writer.stop();
            }
        }
    }

    private WriterConfig config(StackEndpoints stack, String topic, String group, String dlq) {
        Map<String, String> p = new HashMap<>();
        p.put("event-writer.kafka.topic", topic);
        p.put("event-writer.kafka.state-topic", "missing.state." + run);
        p.put("event-writer.kafka.dlq-topic", dlq);
        p.put("event-writer.kafka.group-id", group);
        p.put("event-writer.processing.max-backoff", "1s"); // the fix is picked up within a second
        return StandaloneWriter.config(stack, keyspace, p);
    }
}
