package io.retailstack.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.retailstack.cache.messaging.StateConsumer;
import io.retailstack.cache.persistence.CachedState;
import io.retailstack.cache.persistence.RedisStateCache;
import io.retailstack.events.fold.InventoryState;
import io.retailstack.events.fold.OrderState;
import io.retailstack.events.state.StateMessage;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** retail.state keeps Redis fresh within a second, and never moves a key back to an older version. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class FreshnessTest {

    @Inject
    StateConsumer consumer;

    @Inject
    RedisStateCache cache;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void schema() {
        StackFixture.cassandra();
    }

    @BeforeEach
    void consumerAssigned() {
        await().atMost(Duration.ofSeconds(60)).until(() -> consumer.assignedPartitions() > 0);
        StackFixture.awaitRedisServing();
    }

    @Test
    void shouldServeANewOrderStateWithinOneSecondOfThePublishAck() {
        String orderId = StackFixture.id("FRESH");
        StackFixture.writeOrderState(StackFixture.order(orderId, 1));
        given().get("/v1/orders/" + orderId).then().statusCode(200).body("version", is(1));
        given().get("/v1/orders/" + orderId).then().header("X-Cache", "HIT");

        OrderState paid = StackFixture.order(orderId, 2);
        StackFixture.writeOrderState(paid); // the writer stores, then publishes
        StackFixture.publish(StateMessage.of(paid));

        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> given().get("/v1/orders/" + orderId)
                        .then()
                        .statusCode(200)
                        .header("X-Cache", "HIT")
                        .header("ETag", "\"2\"")
                        .body("status", is("PAID")));
    }

    @Test
    void shouldServeANewStockLevelWithinOneSecondOfThePublishAck() {
        String sku = StackFixture.id("FRESHSKU");
        StackFixture.writeInventoryState(StackFixture.stock(sku, "LOC-A", 10, 0));
        StackFixture.writeInventoryState(StackFixture.stock(sku, "LOC-B", 3, 0));
        given().get("/v1/inventory/" + sku).then().statusCode(200).body("totalAvailable", is(13));

        InventoryState reserved = StackFixture.stock(sku, "LOC-A", 10, 4);
        StackFixture.writeInventoryState(reserved);
        StackFixture.publish(StateMessage.of(reserved));

        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> given().get("/v1/inventory/" + sku)
                        .then()
                        .statusCode(200)
                        .header("X-Cache", "HIT")
                        .body("totalAvailable", is(9)));
    }

    @Test
    void shouldNeverReturnAnOlderOrderVersionWhenStateArrivesOutOfOrder() {
        String orderId = StackFixture.id("OOO");
        StackFixture.writeOrderState(StackFixture.order(orderId, 1));
        given().get("/v1/orders/" + orderId).then().statusCode(200).body("version", is(1));
        double staleBefore = stale();

        StackFixture.publish(StateMessage.of(StackFixture.order(orderId, 3)));
        StackFixture.publish(StateMessage.of(StackFixture.order(orderId, 2)));
        StackFixture.publish(StateMessage.of(StackFixture.order(orderId, 1)));

        // both older messages were seen and dropped (by the Lua CAS, or superseded within one poll)
        await().atMost(Duration.ofSeconds(5)).until(() -> stale() - staleBefore >= 2);
        for (int i = 0; i < 5; i++) {
            given().get("/v1/orders/" + orderId)
                    .then()
                    .statusCode(200)
                    .header("ETag", "\"3\"")
                    .body("status", is("SHIPPED"));
        }
        // and a miss-path population from a lagging Cassandra row cannot overwrite it either
        assertThat(cache.putOrder(orderId, CachedState.of(1, "{}"), Duration.ofMinutes(1)))
                .isFalse();
        assertThat(StackFixture.redis().get("retail:order:{" + orderId + "}")).startsWith("3\n");
    }

    @Test
    void shouldNeverReturnAnOlderLocationVersionWhenStateArrivesOutOfOrder() {
        String sku = StackFixture.id("OOOSKU");
        StackFixture.writeInventoryState(StackFixture.stock(sku, "LOC-A", 10, 0));
        given().get("/v1/inventory/" + sku).then().statusCode(200).body("totalAvailable", is(10));
        double staleBefore = stale();

        StackFixture.publish(StateMessage.of(StackFixture.stock(sku, "LOC-A", 10, 6))); // version 2
        StackFixture.publish(StateMessage.of(StackFixture.stock(sku, "LOC-A", 10, 0))); // version 1

        await().atMost(Duration.ofSeconds(5)).until(() -> stale() - staleBefore >= 1);
        given().get("/v1/inventory/" + sku + "/locations/LOC-A")
                .then()
                .statusCode(200)
                .header("ETag", "\"2\"")
                .body("available", is(4));
    }

    @Test
    void shouldNotServeAHashFilledOnlyByStateMessagesAsComplete() {
        String sku = StackFixture.id("PARTIAL");
        StackFixture.writeInventoryState(StackFixture.stock(sku, "LOC-A", 10, 0));
        InventoryState b = StackFixture.stock(sku, "LOC-B", 5, 0);
        StackFixture.writeInventoryState(b);
        StackFixture.publish(StateMessage.of(b)); // cold SKU: only LOC-B reaches Redis

        await().atMost(Duration.ofSeconds(5))
                .until(() -> StackFixture.redis().hexists("retail:inventory:{" + sku + "}", "LOC-B"));
        String body = given().get("/v1/inventory/" + sku)
                .then()
                .statusCode(200)
                .header("X-Cache", "MISS")
                .extract()
                .asString();
        assertThat(JsonPath.from(body).getInt("totalAvailable")).isEqualTo(15);
        Map<String, String> hash = StackFixture.redis().hgetAll("retail:inventory:{" + sku + "}");
        assertThat(hash).containsKeys("@", "LOC-A", "LOC-B");
    }

    private double stale() {
        var c = registry.find("cache.state.applied").tag("outcome", "stale").counter();
        return c == null ? 0 : c.count();
    }
}
