package io.retailstack.ingest.api;

import static io.retailstack.ingest.support.TopicProbe.withId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.EventType;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.ingest.support.TestEvents;
import io.retailstack.ingest.support.TestTokens;
import io.retailstack.ingest.support.TopicProbe;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class IngestResourceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final EventCodec codec = new EventCodec();
    private TopicProbe events;

    @BeforeEach
    void openProbe() {
        events = TopicProbe.open("test.retail.events");
    }

    @AfterEach
    void closeProbe() {
        events.close();
    }

    @Test
    void shouldPublishStructuredEventKeyedByAggregateAndAnswer202WithItsId() {
        String id = TestEvents.newId("single");
        TestTokens.authorized()
                .contentType(CloudEvent.STRUCTURED_CONTENT_TYPE)
                .body(TestEvents.placed(id, "ORD-" + id))
                .post("/v1/events")
                .then()
                .statusCode(202)
                .contentType("application/json")
                .body("accepted", contains(id));

        ConsumerRecord<byte[], byte[]> record =
                events.await(withId(id), 1, WAIT).get(0);
        assertThat(TopicProbe.key(record)).isEqualTo("order/ORD-" + id);
        assertThat(TopicProbe.header(record, "ce_type")).isEqualTo("retail.order.placed.v1");
        assertThat(TopicProbe.header(record, "content-type")).isEqualTo(CloudEvent.STRUCTURED_CONTENT_TYPE);
        CloudEvent published = codec.decode(record.value());
        assertThat(published.id()).isEqualTo(id);
        assertThat(published.type()).isEqualTo(EventType.ORDER_PLACED);
        assertThat(published.fraudFlagged()).isFalse();
        io.restassured.RestAssured.get("/q/metrics")
                .then()
                .body(org.hamcrest.Matchers.containsString("ingest_events_accepted_total{transport=\"http\"}"))
                .body(org.hamcrest.Matchers.containsString("ingest_publish_latency_seconds"));
    }

    @Test
    void shouldPublishEveryEventOfABatchAndListTheirIdsInOrder() {
        List<String> batch = TestEvents.placedEvents("batch", 5);
        List<String> ids =
                batch.stream().map(json -> codec.decode(json.getBytes()).id()).toList();

        TestTokens.authorized()
                .contentType(CloudEvent.BATCH_CONTENT_TYPE)
                .body(TestEvents.batch(batch))
                .post("/v1/events")
                .then()
                .statusCode(202)
                .body("accepted", contains(ids.toArray()));

        List<ConsumerRecord<byte[], byte[]>> records =
                events.await(record -> ids.contains(TopicProbe.header(record, "ce_id")), 5, WAIT);
        assertThat(records).extracting(r -> TopicProbe.header(r, "ce_id")).containsExactlyInAnyOrderElementsOf(ids);
        // unflagged events are published exactly as sent: the value is the batch element's bytes, not a re-encoding
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String id = TopicProbe.header(record, "ce_id");
            assertThat(new String(record.value(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(batch.get(ids.indexOf(id)));
        }
    }

    @Test
    void shouldAcceptBinaryModeWithAttributesInHeaders() {
        String id = TestEvents.newId("binary");
        TestTokens.authorized()
                .contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-source", "/tests/binary")
                .header("ce-type", "retail.inventory.received.v1")
                .header("ce-subject", "inventory/SKU-7@LOC-3")
                .header("ce-time", TestEvents.now())
                .header("ce-partner", "acme")
                .body("{\"quantity\":12}")
                .post("/v1/events")
                .then()
                .statusCode(202)
                .body("accepted", contains(id));

        ConsumerRecord<byte[], byte[]> record =
                events.await(withId(id), 1, WAIT).get(0);
        assertThat(TopicProbe.key(record)).isEqualTo("inventory/SKU-7@LOC-3");
        CloudEvent published = codec.decode(record.value());
        assertThat(published.type()).isEqualTo(EventType.INVENTORY_RECEIVED);
        assertThat(published.source()).isEqualTo("/tests/binary");
        assertThat(published.extension("partner")).contains("acme");
    }

    @Test
    void shouldServeTheOpenApiDocument() {
        io.restassured.RestAssured.given()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths.'/v1/events'.post.responses.'202'.description", org.hamcrest.Matchers.notNullValue());
    }
}
