package io.retailstack.writer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.events.AggregateKey;
import io.retailstack.localstack.Engine;
import io.retailstack.localstack.LocalStack;
import io.retailstack.writer.config.WriterConfig;
import io.retailstack.writer.persistence.EventStore;
import io.retailstack.writer.service.EventWriterService;
import io.retailstack.writer.support.StoreInspector;
import io.retailstack.writer.support.TestEvents;
import io.retailstack.writer.support.TestKafka;
import io.retailstack.writer.support.WriterTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Cassandra goes away for more than 20 s in the middle of a stream and comes back: the writer turns not-ready, waits
 * it out (consumer paused, batch retried with backoff), recovers, and in the end every event is stored exactly once,
 * with no dead letter.
 */
@QuarkusTest
@WithTestResource(value = WriterTestResource.class, scope = TestResourceScope.GLOBAL)
class CassandraOutageTest {

    @Inject
    EventWriterService writer;

    @Inject
    WriterConfig config;

    @Test
    void shouldWaitOutACassandraOutageWithoutLossOrDeadLetters() throws Exception {
        EventStore eventStore = writer.storeReady().get(120, TimeUnit.SECONDS);
        StoreInspector store =
                new StoreInspector(eventStore.session(), config.cassandra().keyspace());
        LocalStack stack = LocalStack.fromEnvironment();
        String topic = config.kafka().topic();
        Set<AggregateKey> orders = ConcurrentHashMap.newKeySet();
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();

        try (TestKafka kafka = new TestKafka(config.kafka().bootstrapServers())) {
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> readiness(200));
            Thread producer = new Thread(() -> {
                while (producing.get()) {
                    String orderId = TestEvents.id("OUT");
                    orders.add(AggregateKey.order(orderId));
                    kafka.sendAll(
                            topic,
                            List.of(
                                    TestEvents.placed(orderId),
                                    TestEvents.paid(orderId),
                                    TestEvents.shipped(orderId),
                                    TestEvents.delivered(orderId)));
                    sent.addAndGet(4);
                    sleep(100);
                }
            });
            producer.start();
            try {
                // mid-stream: the outage starts once the writer is storing what is being produced
                await().atMost(Duration.ofSeconds(60)).until(() -> orders.stream()
                        .anyMatch(k -> store.events(k).size() == 4));
                long stopped = System.nanoTime();
                stack.stopEngine(Engine.CASSANDRA);
                try {
                    await().atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(500))
                            .untilAsserted(() -> readiness(503));
                    int sentDuringOutage = sent.get();
                    long outage = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
                    sleep(Math.max(0, 22_000 - outage));
                    assertThat(sent.get())
                            .as("events produced during the outage")
                            .isGreaterThan(sentDuringOutage);
                    readiness(503);
                } finally {
                    stack.startEngine(Engine.CASSANDRA);
                }
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> readiness(200));
                // and the stream goes on after the recovery
                int atRecovery = sent.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> sent.get() >= atRecovery + 20);
            } finally {
                producing.set(false);
                producer.join(30_000);
            }

            await().atMost(Duration.ofSeconds(120))
                    .until(() -> kafka.caughtUp(config.kafka().groupId(), topic));
            assertThat(store.problems(orders, 4)).isEmpty();
            assertThat(orders.size() * 4).isEqualTo(sent.get());
            long deadLetters = kafka.readAll(config.kafka().dlqTopic()).stream()
                    .filter(r -> r.key() != null && r.key().startsWith("order/OUT-"))
                    .count();
            assertThat(deadLetters).isZero();
        }
    }

    private static void readiness(int status) {
        given().when().get("/q/health/ready").then().statusCode(status);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
