package io.retailstack.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.retailstack.cache.persistence.CassandraStateRepository;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.Extensions;
import io.retailstack.events.fold.OrderFold;
import io.retailstack.events.fold.OrderState;
import io.retailstack.events.state.StateMessage;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    void shouldServeOrdersWithoutTheFraudFlagOnEveryPath() {
        String orderId = StackFixture.id("FLAG");
        List<CloudEvent> events = new ArrayList<>(StackFixture.orderEvents(orderId));
        events.set(0, events.get(0).withExtension(Extensions.FRAUD_FLAG, "blocklisted-ip"));
        OrderState placed = OrderFold.fold(orderId, events.subList(0, 1));
        assertThat(placed.flagged()).isTrue();
        StackFixture.writeOrderState(placed);

        // Cassandra (miss), then Redis (hit)
        for (String source : List.of("MISS", "HIT")) {
            String body = given().get("/v1/orders/" + orderId)
                    .then()
                    .statusCode(200)
                    .header("X-Cache", source)
                    .body("orderId", is(orderId))
                    .extract()
                    .asString();
            assertThat(body).as(source).doesNotContain("flagged", "recentEventIds");
        }
        // retail.state (the writer's publish), and the time machine
        OrderState paid = OrderFold.fold(orderId, events.subList(0, 2));
        StackFixture.writeOrderState(paid);
        StackFixture.publish(StateMessage.of(paid));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> given().get("/v1/orders/" + orderId).then().header("ETag", "\"2\""));
        assertThat(given().get("/v1/orders/" + orderId).asString()).doesNotContain("flagged", "recentEventIds");
        for (int i = 0; i < 2; i++) {
            StackFixture.appendEvent(i + 1, events.get(i), events.get(i).time().plusSeconds(1));
        }
        assertThat(given().get("/v1/orders/" + orderId + "?asOf=" + Instant.now())
                        .asString())
                .doesNotContain("flagged", "recentEventIds")
                .contains("\"status\":\"PAID\"");
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
