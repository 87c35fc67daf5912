package io.retailstack.ingest.messaging;

import static io.retailstack.ingest.support.TopicProbe.header;
import static io.retailstack.ingest.support.TopicProbe.withId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.EventType;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.ingest.support.TestEvents;
import io.retailstack.ingest.support.TopicProbe;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The raw-topic intake: valid records to the events topic, bad ones to the dead-letter topic, exactly as received. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class RawEventConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final EventCodec codec = new EventCodec();
    private final ObjectMapper json = new ObjectMapper();
    private TopicProbe events;
    private TopicProbe dlq;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeEach
    void open() {
        events = TopicProbe.open("test.retail.events");
        dlq = TopicProbe.open("test.retail.events.dlq");
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void close() {
        producer.close(Duration.ofSeconds(5));
        events.close();
        dlq.close();
    }

    private void sendRaw(String key, byte[] value, RecordHeaders headers) throws Exception {
        producer.send(new ProducerRecord<>(
                        "test.retail.events.raw",
                        null,
                        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                        value,
                        headers))
                .get();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPublishAStructuredRawEventKeyedByItsAggregate() throws Exception {
        String id = TestEvents.newId("raw");
        sendRaw("whatever-the-producer-used", utf8(TestEvents.placed(id, "ORD-" + id)), new RecordHeaders());

        ConsumerRecord<byte[], byte[]> record =
                events.await(withId(id), 1, WAIT).get(0);
        assertThat(TopicProbe.key(record)).isEqualTo("order/ORD-" + id);
        assertThat(codec.decode(record.value()).type()).isEqualTo(EventType.ORDER_PLACED);
    }

    @Test
    void shouldPublishABinaryModeRawEvent() throws Exception {
        String id = TestEvents.newId("rawbin");
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", utf8("1.0"));
        headers.add("ce_id", utf8(id));
        headers.add("ce_source", utf8("/pos/store-9"));
        headers.add("ce_type", utf8("retail.inventory.adjusted.v1"));
        headers.add("ce_subject", utf8("inventory/SKU-4@LOC-2"));
        headers.add("ce_time", utf8(TestEvents.now()));
        headers.add("content-type", utf8("application/json"));
        sendRaw("inventory/SKU-4@LOC-2", utf8("{\"delta\":-2,\"reason\":\"broken\"}"), headers);

        ConsumerRecord<byte[], byte[]> record =
                events.await(withId(id), 1, WAIT).get(0);
        CloudEvent published = codec.decode(record.value());
        assertThat(published.type()).isEqualTo(EventType.INVENTORY_ADJUSTED);
        assertThat(published.source()).isEqualTo("/pos/store-9");
        assertThat(TopicProbe.key(record)).isEqualTo("inventory/SKU-4@LOC-2");
    }

    @Test
    void shouldDeadLetterAnInvalidRecordUnchangedWithReasonHeadersAndNotStallThePartition() throws Exception {
        String badId = TestEvents.newId("rawbad");
        String goodId = TestEvents.newId("rawgood");
        String orderKey = "order/ORD-" + goodId;
        byte[] bad = utf8(TestEvents.placed(badId, "ORD-" + goodId).replace("\"quantity\":2", "\"quantity\":-1"));
        RecordHeaders original = new RecordHeaders();
        original.add("trace-id", utf8("abc-123"));
        // Same key: both land on one partition, the poison record first.
        sendRaw(orderKey, bad, original);
        sendRaw(orderKey, utf8(TestEvents.placed(goodId, "ORD-" + goodId)), new RecordHeaders());

        events.await(withId(goodId), 1, WAIT);
        List<ConsumerRecord<byte[], byte[]>> letters =
                dlq.await(record -> "abc-123".equals(header(record, "trace-id")), 1, WAIT);
        assertThat(letters).hasSize(1);
        ConsumerRecord<byte[], byte[]> letter = letters.get(0);
        assertThat(letter.value()).isEqualTo(bad);
        assertThat(TopicProbe.key(letter)).isEqualTo(orderKey);
        assertThat(header(letter, "dlq-error-class")).isEqualTo("VALIDATION");
        assertThat(header(letter, "dlq-error-message")).contains("rule");
        assertThat(header(letter, "dlq-source-topic")).isEqualTo("test.retail.events.raw");
        assertThat(header(letter, "dlq-source-partition")).matches("\\d+");
        assertThat(header(letter, "dlq-source-offset")).matches("\\d+");
        JsonNode violations = json.readTree(header(letter, "dlq-violations"));
        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).get("path").asText()).isEqualTo("data.lines[0].quantity");
        assertThat(events.drain()).noneMatch(withId(badId));
    }

    @Test
    void shouldDeadLetterGarbageAndAnEmptyValue() throws Exception {
        String marker = TestEvents.newId("garbage");
        RecordHeaders garbageHeaders = new RecordHeaders();
        garbageHeaders.add("marker", utf8(marker + "-g"));
        sendRaw(null, new byte[] {(byte) 0xff, 0x00, 0x7b}, garbageHeaders);
        RecordHeaders emptyHeaders = new RecordHeaders();
        emptyHeaders.add("marker", utf8(marker + "-e"));
        sendRaw("k", null, emptyHeaders);

        ConsumerRecord<byte[], byte[]> garbage = dlq.await(r -> (marker + "-g").equals(header(r, "marker")), 1, WAIT)
                .get(0);
        assertThat(header(garbage, "dlq-error-class")).isEqualTo("MALFORMED_JSON");
        assertThat(garbage.value()).containsExactly((byte) 0xff, 0x00, 0x7b);
        ConsumerRecord<byte[], byte[]> empty = dlq.await(r -> (marker + "-e").equals(header(r, "marker")), 1, WAIT)
                .get(0);
        assertThat(header(empty, "dlq-error-class")).isEqualTo("MALFORMED_JSON");
        assertThat(empty.value()).isNull();
    }

    @Test
    void shouldDeadLetterABinaryRecordWithAValuelessOrRepeatedAttributeHeaderAsAnInvalidAttribute() throws Exception {
        String marker = TestEvents.newId("badattr");
        for (String kind : List.of("valueless", "repeated")) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("marker", utf8(marker + "-" + kind));
            headers.add("ce_specversion", utf8("1.0"));
            headers.add("ce_id", utf8(TestEvents.newId(kind)));
            headers.add("ce_source", utf8("/pos/store-9"));
            headers.add("ce_type", utf8("retail.inventory.adjusted.v1"));
            headers.add("ce_subject", kind.equals("valueless") ? null : utf8("inventory/SKU-4@LOC-2"));
            if (kind.equals("repeated")) {
                headers.add("ce_subject", utf8("inventory/SKU-5@LOC-2"));
            }
            headers.add("ce_time", utf8(TestEvents.now()));
            sendRaw("inventory/SKU-4@LOC-2", utf8("{\"delta\":-2,\"reason\":\"broken\"}"), headers);
        }

        ConsumerRecord<byte[], byte[]> valueless = dlq.await(
                        r -> (marker + "-valueless").equals(header(r, "marker")), 1, WAIT)
                .get(0);
        assertThat(header(valueless, "dlq-error-class")).isEqualTo("INVALID_ATTRIBUTE");
        assertThat(header(valueless, "dlq-error-message")).isEqualTo("Header ce_subject has no value.");
        assertThat(json.readTree(header(valueless, "dlq-violations"))
                        .get(0)
                        .get("path")
                        .asText())
                .isEqualTo("subject");
        ConsumerRecord<byte[], byte[]> repeated = dlq.await(
                        r -> (marker + "-repeated").equals(header(r, "marker")), 1, WAIT)
                .get(0);
        assertThat(header(repeated, "dlq-error-class")).isEqualTo("INVALID_ATTRIBUTE");
        assertThat(header(repeated, "dlq-error-message")).contains("ce_subject appears more than once");
    }
}
