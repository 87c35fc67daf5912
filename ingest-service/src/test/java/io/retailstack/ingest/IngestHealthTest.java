package io.retailstack.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class IngestHealthTest {

    @Test
    void shouldReportUpOnHealthEndpoint() {
        given().when().get("/q/health").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void shouldCheckKafkaForReadinessAndTheRawConsumerForLiveness() {
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("kafka"));
        given().get("/q/health/live").then().statusCode(200).body("checks.name", hasItem("raw-intake"));
    }
}
