package io.retailstack.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.retailstack.cache.persistence.CassandraStateRepository;
import io.retailstack.events.fold.OrderState;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class OrderReadTest {

    @Inject
    CassandraStateRepository repository;

    @BeforeAll
    static void schema() {
        StackFixture.cassandra();
    }

    @Test
    void shouldReadFromCassandraOnMissThenServeTheSameBodyFromRedis() {
        String orderId = StackFixture.id("ORD");
        OrderState state = StackFixture.order(orderId, 2);
        StackFixture.writeOrderState(state);
        long readsBefore = repository.orderReadCount();

        Response miss = given().get("/v1/orders/" + orderId);
        miss.then()
                .statusCode(200)
                .header("X-Cache", "MISS")
                .header("ETag", "\"2\"")
                .header("Cache-Control", "private, no-cache")
                .body("orderId", is(orderId))
                .body("status", is("PAID"))
                .body("version", is(2));
        Response hit = given().get("/v1/orders/" + orderId);
        hit.then().statusCode(200).header("X-Cache", "HIT").header("ETag", "\"2\"");

        assertThat(hit.asString()).isEqualTo(miss.asString());
        assertThat(repository.orderReadCount() - readsBefore).isEqualTo(1);
    }

    @Test
    void shouldCachePopulatedOrderWithJitteredTtl() {
        String orderId = StackFixture.id("ORD");
        StackFixture.writeOrderState(StackFixture.order(orderId, 1));
        given().get("/v1/orders/" + orderId).then().statusCode(200);

        long pttl = StackFixture.redis().pttl("retail:order:{" + orderId + "}");
        // 10 min TTL plus up to 10 % jitter
        assertThat(pttl).isBetween(590_000L, 660_000L);
        assertThat(StackFixture.redis().get("retail:order:{" + orderId + "}")).startsWith("1\n{");
    }

    @Test
    void shouldAnswer304WhenIfNoneMatchCarriesTheCurrentVersion() {
        String orderId = StackFixture.id("ORD");
        StackFixture.writeOrderState(StackFixture.order(orderId, 3));

        given().header("If-None-Match", "\"3\"")
                .get("/v1/orders/" + orderId)
                .then()
                .statusCode(304)
                .header("ETag", "\"3\"");
        given().header("If-None-Match", "\"2\"")
                .get("/v1/orders/" + orderId)
                .then()
                .statusCode(200)
                .body("status", is("SHIPPED"));
        given().header("If-None-Match", "W/\"1\", \"3\"")
                .get("/v1/orders/" + orderId)
                .then()
                .statusCode(304);
    }

    @Test
    void shouldAnswer404ProblemAndCacheTheUnknownIdBriefly() {
        String orderId = StackFixture.id("NOPE");
        long readsBefore = repository.orderReadCount();

        given().get("/v1/orders/" + orderId)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", is(404))
                .body("title", is("Not Found"))
                .body("instance", is("/v1/orders/" + orderId));
        given().get("/v1/orders/" + orderId).then().statusCode(404).header("X-Cache", "HIT");

        assertThat(repository.orderReadCount() - readsBefore).isEqualTo(1);
        long pttl = StackFixture.redis().pttl("retail:order:{" + orderId + "}");
        assertThat(pttl).isBetween(1L, 5_000L);
    }

    @Test
    void shouldReplaceTheNotFoundMarkerOnceTheOrderExists() {
        String orderId = StackFixture.id("LATE");
        given().get("/v1/orders/" + orderId).then().statusCode(404);
        StackFixture.writeOrderState(StackFixture.order(orderId, 1));
        StackFixture.redis().del("retail:order:{" + orderId + "}"); // as the negative TTL would
        // the near tier holds the marker for at most its TTL (250 ms) longer
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(1))
                .untilAsserted(() -> given().get("/v1/orders/" + orderId)
                        .then()
                        .statusCode(200)
                        .body("status", is("PLACED")));
    }

    @Test
    void shouldRejectMalformedIdsWith400Problem() {
        given().get("/v1/orders/" + "A".repeat(65))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", startsWith("orderId must be 1..64 characters"));
        given().get("/v1/orders/ORD$1").then().statusCode(400).contentType("application/problem+json");
        given().get("/v1/orders/ORD%201").then().statusCode(400).contentType("application/problem+json");
        given().get("/v1/orders/ORD-1?asOf=yesterday").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void shouldAnswerUnknownRoutesWithProblemJson() {
        given().get("/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
    }
}
