package io.retailstack.writer;

import static io.retailstack.writer.support.TestEvents.cancelled;
import static io.retailstack.writer.support.TestEvents.delivered;
import static io.retailstack.writer.support.TestEvents.id;
import static io.retailstack.writer.support.TestEvents.inventoryShipped;
import static io.retailstack.writer.support.TestEvents.paid;
import static io.retailstack.writer.support.TestEvents.placed;
import static io.retailstack.writer.support.TestEvents.received;
import static io.retailstack.writer.support.TestEvents.released;
import static io.retailstack.writer.support.TestEvents.reserved;
import static io.retailstack.writer.support.TestEvents.shipped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.cql.Row;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.state.StateCodec;
import io.retailstack.events.state.StateMessage;
import io.retailstack.writer.config.WriterConfig;
import io.retailstack.writer.messaging.DeadLetters;
import io.retailstack.writer.messaging.EventWriterConsumer;
import io.retailstack.writer.persistence.EventStore;
import io.retailstack.writer.service.EventWriterService;
import io.retailstack.writer.service.WriterMetrics;
import io.retailstack.writer.service.WriterStatus;
import io.retailstack.writer.support.StoreInspector;
import io.retailstack.writer.support.TestKafka;
import io.retailstack.writer.support.WriterTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writer against real Kafka and Cassandra: what lands in each table, what is published, what is dead-lettered. */
@QuarkusTest
@WithTestResource(value = WriterTestResource.class, scope = TestResourceScope.GLOBAL)
class EventWriterIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    EventWriterService writer;

    @Inject
    WriterConfig config;

    private TestKafka kafka;
    private StoreInspector store;
    private final StateCodec stateCodec = new StateCodec();

    @BeforeEach
    void setUp() throws Exception {
        kafka = new TestKafka(config.kafka().bootstrapServers());
        EventStore eventStore = writer.storeReady().get(120, TimeUnit.SECONDS);
        store = new StoreInspector(eventStore.session(), config.cassandra().keyspace());
    }

    @AfterEach
    void tearDown() {
        kafka.close();
    }

    private String topic() {
        return config.kafka().topic();
    }

    @Test
    void shouldStoreAnOrdersWholeLifeAndPublishEachNewState() {
        String orderId = id("ORD");
        AggregateKey key = AggregateKey.order(orderId);
        List<CloudEvent> life = List.of(placed(orderId), paid(orderId), shipped(orderId), delivered(orderId));
        List<Long> offsets = new ArrayList<>();
        for (CloudEvent e : life) {
            offsets.add(kafka.send(topic(), e).offset()); // one at a time: one state message each
            await().atMost(WAIT).until(() -> store.events(key).size() == offsets.size());
        }

        await().atMost(WAIT).untilAsserted(() -> {
            Row state = store.state(key);
            assertThat(state).isNotNull();
            assertThat(state.getString("status")).isEqualTo("DELIVERED");
            assertThat(state.getLong("version")).isEqualTo(4);
        });
        List<Row> events = store.events(key);
        assertThat(events).extracting(r -> r.getLong("seq")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(events).extracting(r -> r.getString("event_id")).containsExactlyElementsOf(ids(life));
        assertThat(events).allMatch(r -> r.getBoolean("applied") && r.getString("ignore_reason") == null);
        assertThat(events).extracting(r -> r.getLong("source_offset")).containsExactlyElementsOf(offsets);
        Row state = store.state(key);
        assertThat(state.getLong("last_seq")).isEqualTo(4);
        assertThat(state.getLong("source_offset")).isEqualTo(offsets.get(3));
        assertThat(store.eventIds(key)).hasSize(4);
        assertThat(store.bucketRows(key)).hasSize(4);
        assertThat(store.problems(key)).isEmpty();

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(publishedVersions(key)).contains(4L));
        List<Long> versions = publishedVersions(key);
        assertThat(versions).isSorted().containsSubsequence(1L, 2L, 3L, 4L);
        StateMessage last = lastPublished(key);
        assertThat(last.order().status().name()).isEqualTo("DELIVERED");
        assertThat(stateCodec.stateJson(last)).isEqualTo(state.getString("state"));
    }

    @Test
    void shouldTrackStockPerLocationAndAvailabilityPerSku() {
        String sku = id("SKU");
        String order = id("ORD");
        AggregateKey a = AggregateKey.inventory(sku, "LOC-A");
        AggregateKey b = AggregateKey.inventory(sku, "LOC-B");
        kafka.sendAll(
                topic(),
                List.of(
                        received(sku, "LOC-A", 10),
                        received(sku, "LOC-B", 5),
                        reserved(sku, "LOC-A", order, 3),
                        released(sku, "LOC-A", order, 1),
                        inventoryShipped(sku, "LOC-A", order, 2),
                        reserved(sku, "LOC-B", order, 100))); // more than available: ignored, still stored

        await().atMost(WAIT)
                .until(() -> store.events(a).size() == 4 && store.events(b).size() == 2);
        await().atMost(WAIT).untilAsserted(() -> assertThat(store.state(a).getLong("last_seq"))
                .isEqualTo(4));
        Row atA = store.state(a);
        assertThat(atA.getLong("on_hand")).isEqualTo(8);
        assertThat(atA.getLong("reserved")).isZero();
        assertThat(atA.getLong("available")).isEqualTo(8);
        assertThat(atA.getLong("version")).isEqualTo(4);
        Row atB = store.state(b);
        assertThat(atB.getLong("on_hand")).isEqualTo(5);
        assertThat(atB.getLong("version")).isEqualTo(1);
        assertThat(atB.getLong("last_seq")).isEqualTo(2);
        Row ignored = store.events(b).get(1);
        assertThat(ignored.getBoolean("applied")).isFalse();
        assertThat(ignored.getString("ignore_reason")).isEqualTo("INSUFFICIENT_AVAILABLE");

        List<Row> bySku = store.inventoryBySku(sku);
        assertThat(bySku).extracting(r -> r.getString("location_id")).containsExactly("LOC-A", "LOC-B");
        assertThat(bySku.stream().mapToLong(r -> r.getLong("available")).sum()).isEqualTo(13);
        assertThat(store.problems(a)).isEmpty();
        assertThat(store.problems(b)).isEmpty();
    }

    @Test
    void shouldStoreAnEventDeliveredTwiceOnce() {
        String orderId = id("ORD");
        AggregateKey key = AggregateKey.order(orderId);
        CloudEvent placed = placed(orderId);
        CloudEvent paid = paid(orderId);
        kafka.sendAll(topic(), List.of(placed, paid, placed, paid, shipped(orderId), paid));

        await().atMost(WAIT).untilAsserted(() -> {
            Row state = store.state(key);
            assertThat(state).isNotNull();
            assertThat(state.getString("status")).isEqualTo("SHIPPED");
        });
        assertThat(store.events(key)).hasSize(3);
        assertThat(store.state(key).getLong("version")).isEqualTo(3);
        assertThat(store.problems(key)).isEmpty();
    }

    @Test
    void shouldStoreInvalidTransitionsAsIgnoredWithoutChangingState() {
        String orderId = id("ORD");
        AggregateKey key = AggregateKey.order(orderId);
        kafka.sendAll(
                topic(),
                List.of(
                        paid(orderId), // before placed
                        placed(orderId),
                        delivered(orderId), // before shipped
                        cancelled(orderId),
                        shipped(orderId))); // after cancelled

        await().atMost(WAIT).until(() -> store.events(key).size() == 5);
        await().atMost(WAIT).untilAsserted(() -> assertThat(store.state(key).getLong("last_seq"))
                .isEqualTo(5));
        List<Row> events = store.events(key);
        assertThat(events)
                .extracting(r -> r.getString("ignore_reason"))
                .containsExactly("NOT_PLACED", null, "INVALID_TRANSITION", null, "INVALID_TRANSITION");
        Row state = store.state(key);
        assertThat(state.getString("status")).isEqualTo("CANCELLED");
        assertThat(state.getLong("version")).isEqualTo(2);
        assertThat(store.problems(key)).isEmpty();
    }

    @Test
    void shouldDeadLetterAnUndecodableRecordAndMoveOn() {
        String orderId = id("ORD");
        AggregateKey key = AggregateKey.order(orderId);
        byte[] garbage = "{\"specversion\":\"1.0\",\"id\":".getBytes(StandardCharsets.UTF_8);
        RecordMetadata bad = kafka.sendRaw(topic(), key.kafkaKey(), garbage);
        CloudEvent wrongKey = placed(id("ORD"));
        kafka.sendRaw(topic(), key.kafkaKey(), new io.retailstack.events.codec.EventCodec().encode(wrongKey));
        kafka.send(topic(), placed(orderId)); // same key, same partition, after the bad ones

        await().atMost(WAIT).untilAsserted(() -> assertThat(store.state(key)).isNotNull());
        assertThat(store.events(key)).hasSize(1);

        await().atMost(WAIT).untilAsserted(() -> assertThat(deadLetters(key)).hasSize(2));
        ConsumerRecord<String, byte[]> dead = deadLetters(key).get(0);
        assertThat(dead.value()).isEqualTo(garbage);
        Map<String, String> headers = headers(dead);
        assertThat(headers.get(DeadLetters.ERROR_CLASS)).endsWith("EventDecodingException");
        assertThat(headers.get(DeadLetters.ERROR_MESSAGE)).isNotBlank();
        assertThat(headers.get(DeadLetters.SOURCE_TOPIC)).isEqualTo(topic());
        assertThat(headers.get(DeadLetters.SOURCE_PARTITION)).isEqualTo(Integer.toString(bad.partition()));
        assertThat(headers.get(DeadLetters.SOURCE_OFFSET)).isEqualTo(Long.toString(bad.offset()));
        assertThat(headers(deadLetters(key).get(1)).get(DeadLetters.ERROR_MESSAGE))
                .contains("must be the subject");
    }

    @Test
    void shouldChangeNothingWhenTheLogIsReplayedFromOffsetZero() throws Exception {
        Set<AggregateKey> keys = new LinkedHashSet<>();
        List<CloudEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String orderId = id("ORD");
            keys.add(AggregateKey.order(orderId));
            CloudEvent placed = placed(orderId);
            events.addAll(List.of(placed, paid(orderId), placed, i % 3 == 0 ? cancelled(orderId) : shipped(orderId)));
            if (i % 2 == 0) {
                events.add(delivered(orderId));
            }
        }
        String sku = id("SKU");
        for (String location : List.of("L1", "L2", "L3")) {
            keys.add(AggregateKey.inventory(sku, location));
            events.addAll(List.of(
                    received(sku, location, 20),
                    reserved(sku, location, "O1", 5),
                    reserved(sku, location, "O2", 50),
                    released(sku, location, "O1", 2)));
        }
        kafka.sendAll(topic(), events);
        await().atMost(WAIT).until(() -> kafka.caughtUp(config.kafka().groupId(), topic()));
        for (AggregateKey key : keys) {
            assertThat(store.problems(key)).isEmpty();
        }
        String before = store.checksum(keys);
        List<Long> publishedBefore = keys.stream().map(this::lastVersion).toList();

        // a second writer pass, new consumer group: every record of the topic is consumed again from offset 0
        String replayGroup = "event-writer-replay-" + UUID.randomUUID();
        WriterStatus status = new WriterStatus();
        EventWriterConsumer replay = writer.newConsumer(
                writer.store().orElseThrow(),
                topic(),
                replayGroup,
                new WriterMetrics(new SimpleMeterRegistry()),
                status);
        Thread thread = new Thread(replay, "replay-writer");
        thread.start();
        try {
            await().atMost(WAIT).until(() -> kafka.caughtUp(replayGroup, topic()));
        } finally {
            replay.stop();
            thread.join(30_000);
        }

        assertThat(store.checksum(keys)).isEqualTo(before);
        // replays may republish the current state, never an older one
        assertThat(keys.stream().map(this::lastVersion).toList()).isEqualTo(publishedBefore);
        for (AggregateKey key : keys) {
            List<Long> versions = publishedVersions(key);
            assertThat(versions).as("versions published for %s", key).isSorted();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> ids(List<CloudEvent> events) {
        return events.stream().map(CloudEvent::id).toList();
    }

    private List<StateMessage> published(AggregateKey key) {
        return kafka.readAll(config.kafka().stateTopic()).stream()
                .filter(r -> key.kafkaKey().equals(r.key()))
                .map(r -> stateCodec.decode(r.value()))
                .toList();
    }

    private List<Long> publishedVersions(AggregateKey key) {
        return published(key).stream().map(StateMessage::version).toList();
    }

    private StateMessage lastPublished(AggregateKey key) {
        List<StateMessage> all = published(key);
        return all.get(all.size() - 1);
    }

    private long lastVersion(AggregateKey key) {
        List<StateMessage> all = published(key);
        return all.isEmpty() ? 0 : all.get(all.size() - 1).version();
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters(AggregateKey key) {
        return kafka.readAll(config.kafka().dlqTopic()).stream()
                .filter(r -> key.kafkaKey().equals(r.key()))
                .toList();
    }

    private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        return java.util.stream.StreamSupport.stream(record.headers().spliterator(), false)
                .collect(
                        Collectors.toMap(Header::key, h -> new String(h.value(), StandardCharsets.UTF_8), (x, y) -> y));
    }
}
