package io.retailstack.writer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.writer.support.WriterTestResource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = WriterTestResource.class, scope = TestResourceScope.GLOBAL)
class WriterHealthTest {

    @Test
    void shouldReportUpOnHealthEndpointOnceConnected() {
        await().atMost(Duration.ofSeconds(120))
                .untilAsserted(() ->
                        given().when().get("/q/health").then().statusCode(200).body("status", is("UP")));
    }

    @Test
    void shouldExposeWriterMetrics() {
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("event_writer_events_applied_total"));
    }
}
