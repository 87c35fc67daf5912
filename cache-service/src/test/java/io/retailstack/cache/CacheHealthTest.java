package io.retailstack.cache;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class CacheHealthTest {

    @Test
    void shouldReportUpOnHealthEndpoint() {
        given().when().get("/q/health").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void shouldReportNormalModeWhenBothStoresAnswer() {
        StackFixture.cassandra();
        // the Cassandra session opens in the background at start
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'cache-stores' }.data.mode", is("normal")));
    }

    @Test
    void shouldServeOpenApiDocument() {
        given().when()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths.'/v1/orders/{orderId}'.get.summary", is("Current state of an order"));
    }
}
