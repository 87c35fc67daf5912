package io.retailstack.enricher;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.enricher.support.EnricherStackResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = EnricherStackResource.class, restrictToAnnotatedClass = false)
class EnricherHealthTest {

    @Test
    void shouldReportUpOnHealthEndpoint() {
        given().when().get("/q/health").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void shouldCheckCassandraAndPostgresForReadiness() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.name", hasItem("cassandra"))
                .body("checks.name", hasItem("Database connections health check"));
    }
}
