package io.retailstack.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.retailstack.cache.messaging.StateConsumer;
import io.retailstack.events.fold.OrderState;
import io.retailstack.events.state.StateMessage;
import io.retailstack.localstack.Engine;
import io.retailstack.localstack.LocalStack;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Degraded modes with real outages: engines stopped and started through the local stack. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class OutageTest {
    private static final String READY_MODE = "checks.find { it.name == 'cache-stores' }.data.mode";

    @Inject
    StateConsumer consumer;

    private final LocalStack stack = LocalStack.fromEnvironment();

    @BeforeAll
    static void schema() {
        StackFixture.cassandra();
    }

    @Test
    void shouldStayCorrectFromCassandraWhileRedisIsDownAndCatchUpAfterwards() {
        await().atMost(Duration.ofSeconds(60)).until(() -> consumer.assignedPartitions() > 0);
        StackFixture.awaitRedisServing();
        String orderId = StackFixture.id("REDISDOWN");
        StackFixture.writeOrderState(StackFixture.order(orderId, 1));
        given().get("/v1/orders/" + orderId).then().statusCode(200).header("X-Cache", "MISS");
        given().get("/v1/orders/" + orderId).then().statusCode(200).header("X-Cache", "HIT");

        stack.stopEngine(Engine.REDIS);
        try {
            // the near tier may answer for up to its TTL (250 ms); after that Cassandra does, within the time budget
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
                Response r = given().get("/v1/orders/" + orderId);
                r.then().statusCode(200).header("X-Cache", "BYPASS").body("version", is(1));
                assertThat(r.getTime()).as("answer time with Redis down, ms").isLessThan(1_000);
            });

            // the writer moves on while Redis is down: the API follows Cassandra, never the lost cache
            OrderState paid = StackFixture.order(orderId, 2);
            StackFixture.writeOrderState(paid);
            given().get("/v1/orders/" + orderId).then().statusCode(200).body("version", is(2));
            given().get("/v1/orders/" + StackFixture.id("UNKNOWN")).then().statusCode(404);

            given().get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body("status", is("UP"))
                    .body(READY_MODE, is("degraded"))
                    .body("checks.find { it.name == 'cache-stores' }.data.redis", is("down"));

            // a state message published during the outage is retried, not skipped
            OrderState shipped = StackFixture.order(orderId, 3);
            StackFixture.writeOrderState(shipped);
            StackFixture.publish(StateMessage.of(shipped));
            given().get("/v1/orders/" + orderId).then().statusCode(200).body("version", is(3));
        } finally {
            stack.startEngine(Engine.REDIS);
        }

        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> String.valueOf(
                        StackFixture.redis().get("retail:order:{" + orderId + "}"))
                .startsWith("3\n"));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/v1/orders/" + orderId)
                .then()
                .statusCode(200)
                .header("X-Cache", "HIT")
                .body("version", is(3)));
        given().get("/q/health/ready").then().statusCode(200).body(READY_MODE, is("normal"));
    }

    @Test
    void shouldServeCachedKeysWhileCassandraIsDownAnd503WhenBothAre() {
        StackFixture.awaitRedisServing();
        String hot = StackFixture.id("HOTKEY");
        String cold = StackFixture.id("COLDKEY");
        StackFixture.writeOrderState(StackFixture.order(hot, 2));
        StackFixture.writeOrderState(StackFixture.order(cold, 1));
        given().get("/v1/orders/" + hot).then().statusCode(200).header("X-Cache", "MISS");

        stack.stopEngine(Engine.CASSANDRA);
        try {
            given().get("/v1/orders/" + hot)
                    .then()
                    .statusCode(200)
                    .header("X-Cache", "HIT")
                    .body("version", is(2));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/v1/orders/" + cold)
                    .then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .body("status", is(503)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body(READY_MODE, is("degraded")));

            stack.stopEngine(Engine.REDIS);
            try {
                // once the near tier's entry expired (250 ms), nothing can answer
                await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> given().get("/v1/orders/" + hot)
                        .then()
                        .statusCode(503)
                        .contentType("application/problem+json")
                        .header("Retry-After", "1"));
                given().get("/q/health/ready").then().statusCode(503).body("status", is("DOWN"));
            } finally {
                stack.startEngine(Engine.REDIS);
            }
        } finally {
            stack.startEngine(Engine.CASSANDRA);
        }

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() ->
                        given().get("/v1/orders/" + cold).then().statusCode(200).body("version", is(1)));
    }
}
