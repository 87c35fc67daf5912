package io.retailstack.ingest.api;

import static io.retailstack.ingest.support.TopicProbe.withId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.retailstack.events.CloudEvent;
import io.retailstack.ingest.support.TestEvents;
import io.retailstack.ingest.support.TestTokens;
import io.retailstack.ingest.support.TopicProbe;
import io.retailstack.localstack.Engine;
import io.retailstack.localstack.LocalStack;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** With Kafka down the intake answers 503 in bounded time and reports nothing accepted; it recovers by itself. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class KafkaOutageTest {

    private static int post(String body) {
        return TestTokens.authorized()
                .contentType(CloudEvent.BATCH_CONTENT_TYPE)
                .body(body)
                .post("/v1/events")
                .statusCode();
    }

    @Test
    void shouldAnswer503WhileKafkaIsDownPublishNothingAndRecoverAfterwards() {
        LocalStack stack = LocalStack.fromEnvironment();
        List<String> during = TestEvents.placedEvents("outage", 3);
        List<String> duringIds = during.stream()
                .map(e -> e.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"))
                .toList();
        try (TopicProbe events = TopicProbe.open("test.retail.events")) {
            stack.stopEngine(Engine.KAFKA);
            try {
                long start = System.nanoTime();
                TestTokens.authorized()
                        .contentType(CloudEvent.BATCH_CONTENT_TYPE)
                        .body(TestEvents.batch(during))
                        .post("/v1/events")
                        .then()
                        .statusCode(503)
                        .contentType(ProblemDetail.MEDIA_TYPE)
                        .header("Retry-After", "5")
                        .body("type", equalTo("urn:retailstack:problem:event-log-unavailable"));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));

                Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> RestAssured.get("/q/health/ready").statusCode() == 503);
            } finally {
                stack.startEngine(Engine.KAFKA);
            }

            String after = TestEvents.newId("recovered");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> post(TestEvents.batch(List.of(TestEvents.placed(after, "ORD-" + after)))) == 202);
            events.await(withId(after), 1, Duration.ofSeconds(30));
            assertThat(events.drain()).noneMatch(r -> duringIds.contains(TopicProbe.header(r, "ce_id")));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);
        }
    }
}
