package io.retailstack.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.retailstack.events.CloudEvent;
import io.retailstack.ingest.support.TestEvents;
import io.retailstack.ingest.support.TestTokens;
import io.retailstack.ingest.support.TopicProbe;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every class of bad input gets a precise problem, and nothing of a rejected request reaches the events topic. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class IngestRejectionTest {

    private TopicProbe events;

    @BeforeEach
    void openProbe() {
        events = TopicProbe.open("test.retail.events");
    }

    @AfterEach
    void closeProbe() {
        events.close();
    }

    private static ValidatableResponse post(String contentType, String body) {
        return TestTokens.authorized()
                .contentType(contentType)
                .body(body)
                .post("/v1/events")
                .then()
                .contentType(ProblemDetail.MEDIA_TYPE);
    }

    /** Nothing with these ids was published (checked against everything written up to now). */
    private void assertNothingPublished(Set<String> ids) {
        assertThat(events.drain()).noneMatch(record -> ids.contains(TopicProbe.header(record, "ce_id")));
    }

    @Test
    void shouldRejectMalformedJsonWith400() {
        String id = TestEvents.newId("malformed");
        String truncated = TestEvents.placed(id, "ORD-1").substring(0, 80);
        post(CloudEvent.STRUCTURED_CONTENT_TYPE, truncated)
                .statusCode(400)
                .body("type", equalTo("urn:retailstack:problem:invalid-events"))
                .body("title", equalTo("Invalid events"))
                .body("status", equalTo(400))
                .body("instance", equalTo("/v1/events"))
                .body("detail", containsString("cannot be decoded"))
                .body("violations[0].path", equalTo(""));
        assertNothingPublished(Set.of(id));
    }

    @Test
    void shouldRejectAnUnsupportedContentTypeWith415() {
        TestTokens.authorized()
                .contentType("text/plain")
                .body(TestEvents.placed(TestEvents.newId("text"), "ORD-1"))
                .post("/v1/events")
                .then()
                .statusCode(415)
                .contentType(ProblemDetail.MEDIA_TYPE)
                .body("type", equalTo("urn:retailstack:problem:unsupported-media-type"))
                .body("detail", containsString("text/plain"));
    }

    @Test
    void shouldRejectPlainJsonWithoutCloudEventsHeadersWith415() {
        post("application/json", TestEvents.placedData("203.0.113.7")).statusCode(415);
    }

    @Test
    void shouldRejectABodyOverTheByteLimitWith413() {
        String huge = "[" + "\"x\",".repeat(1_100_000) + "\"x\"]"; // ~4.4 MB, over the 4 MiB limit
        post(CloudEvent.BATCH_CONTENT_TYPE, huge)
                .statusCode(413)
                .body("type", equalTo("urn:retailstack:problem:payload-too-large"));
    }

    @Test
    void shouldRejectABatchOverTheEventLimitWith413() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            many.add(TestEvents.received("EVT-" + i, "SKU-1", "LOC-1", 1));
        }
        post(CloudEvent.BATCH_CONTENT_TYPE, TestEvents.batch(many))
                .statusCode(413)
                .body("detail", containsString("at most 500 events"));
    }

    @Test
    void shouldRejectAnEventOverThePerEventLimitWith413() {
        String id = TestEvents.newId("big");
        // Valid in every attribute (extensions of 250 characters are allowed), but 1200 of them make ~300 KB,
        // more than ingest.http.max-event-bytes (256 KiB), though well below the body limit.
        StringBuilder extensions = new StringBuilder();
        for (int i = 0; i < 1200; i++) {
            extensions
                    .append("\"pad")
                    .append(i)
                    .append("\":\"")
                    .append("p".repeat(250))
                    .append("\",");
        }
        String big = TestEvents.received(id, "SKU-1", "LOC-1", 1)
                .replace("{\"specversion\"", "{" + extensions + "\"specversion\"");
        post(CloudEvent.STRUCTURED_CONTENT_TYPE, big)
                .statusCode(413)
                .body("violations[0].message", containsString("bytes encoded, at most 262144"));
        assertNothingPublished(Set.of(id));
    }

    @Test
    void shouldNameAMissingAttribute() {
        String event =
                TestEvents.placed(TestEvents.newId("noid"), "ORD-1").replaceFirst("\"subject\":\"order/ORD-1\",", "");
        post(CloudEvent.STRUCTURED_CONTENT_TYPE, event)
                .statusCode(400)
                .body("violations[0].path", equalTo("subject"))
                .body("violations[0].message", containsString("missing"));
    }

    @Test
    void shouldRejectAnUnknownType() {
        String event = TestEvents.placed(TestEvents.newId("type"), "ORD-1")
                .replace("retail.order.placed.v1", "retail.order.teleported.v1");
        post(CloudEvent.STRUCTURED_CONTENT_TYPE, event)
                .statusCode(400)
                .body("violations[0].path", equalTo("type"))
                .body("violations[0].message", containsString("retail.order.teleported.v1"));
        io.restassured.RestAssured.get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("ingest_events_rejected_total{reason=\"unknown_type\",transport=\"http\"}"));
    }

    @Test
    void shouldListEveryInvalidValueOfAnEvent() {
        String event = TestEvents.placed(TestEvents.newId("values"), "ORD-1")
                .replace("\"quantity\":2", "\"quantity\":-3")
                .replace("\"currency\":\"EUR\"", "\"currency\":\"XXZ\"");
        post(CloudEvent.STRUCTURED_CONTENT_TYPE, event)
                .statusCode(400)
                .body("violations", hasSize(2))
                .body("violations.path", hasItem("data.lines[0].quantity"))
                .body("violations.path", hasItem("data.currency"));
    }

    @Test
    void shouldRejectTheWholeBatchListingEveryViolationWithItsIndex() {
        List<String> batch = new ArrayList<>(TestEvents.placedEvents("allornothing", 4));
        Set<String> ids = Set.copyOf(batch.stream()
                .map(json -> json.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"))
                .toList());
        batch.set(1, batch.get(1).replace("\"quantity\":2", "\"quantity\":0"));
        batch.set(3, batch.get(3).replace("\"channel\":\"WEB\"", "\"channel\":\"FAX\""));

        post(CloudEvent.BATCH_CONTENT_TYPE, TestEvents.batch(batch))
                .statusCode(400)
                .body("detail", startsWith("2 of 4 events are invalid"))
                .body("violations", hasSize(2))
                .body("violations[0].path", equalTo("[1].data.lines[0].quantity"))
                .body("violations[1].path", equalTo("[3].data.channel"));
        assertNothingPublished(ids);
    }

    @Test
    void shouldRejectDuplicateIdsInOneBatch() {
        String id = TestEvents.newId("dup");
        String batch = TestEvents.batch(List.of(
                TestEvents.placed(id, "ORD-A"),
                TestEvents.received(TestEvents.newId("ok"), "SKU-1", "LOC-1", 1),
                TestEvents.placed(id, "ORD-B")));
        post(CloudEvent.BATCH_CONTENT_TYPE, batch)
                .statusCode(400)
                .body("violations", hasSize(1))
                .body("violations[0].path", equalTo("[2].id"))
                .body("violations[0].message", containsString("[0]"));
        assertNothingPublished(Set.of(id));
    }

    @Test
    void shouldRejectAnEmptyBatchAndANonArray() {
        post(CloudEvent.BATCH_CONTENT_TYPE, "[]").statusCode(400);
        post(CloudEvent.BATCH_CONTENT_TYPE, "{}")
                .statusCode(400)
                .body("violations[0].message", containsString("expected a JSON array"));
    }

    @Test
    void shouldAnswerAWrongMethodAsAProblem() {
        TestTokens.authorized()
                .get("/v1/events")
                .then()
                .statusCode(405)
                .contentType(ProblemDetail.MEDIA_TYPE)
                .body("status", equalTo(405))
                .body("title", equalTo("Method Not Allowed"));
    }

    @Test
    void shouldRejectABinaryEventWithABadTime() {
        TestTokens.authorized()
                .contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", TestEvents.newId("bintime"))
                .header("ce-source", "/tests/binary")
                .header("ce-type", "retail.inventory.received.v1")
                .header("ce-subject", "inventory/SKU-7@LOC-3")
                .header("ce-time", "yesterday")
                .body("{\"quantity\":12}")
                .post("/v1/events")
                .then()
                .statusCode(400)
                .contentType(ProblemDetail.MEDIA_TYPE)
                .body("violations[0].path", equalTo("time"));
    }
}
