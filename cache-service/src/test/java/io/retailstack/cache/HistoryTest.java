package io.retailstack.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.Extensions;
import io.retailstack.events.fold.OrderFold;
import io.retailstack.events.state.StateMessage;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** History and the time machine against a known sequence: placed T0, paid T0+60s, shipped T0+120s. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class HistoryTest {
    private static final Instant T0 = StackFixture.T0;
    private static String orderId;
    private static List<CloudEvent> events;

    @BeforeAll
    static void storeEvents() {
        orderId = StackFixture.id("HIST");
        events = StackFixture.orderEvents(orderId);
        for (int i = 0; i < events.size(); i++) {
            StackFixture.appendEvent(i + 1, events.get(i), events.get(i).time().plusSeconds(1));
        }
        StackFixture.writeOrderState(OrderFold.fold(orderId, events));
    }

    @Test
    void shouldListTheStoredEventsInSeqOrder() {
        given().get("/v1/orders/" + orderId + "/events")
                .then()
                .statusCode(200)
                .header("ETag", "\"s3\"")
                .body("orderId", is(orderId))
                .body("events.seq", contains(1, 2, 3))
                .body("events.eventId", contains(orderId + "-e1", orderId + "-e2", orderId + "-e3"))
                .body(
                        "events.type",
                        contains("retail.order.placed.v1", "retail.order.paid.v1", "retail.order.shipped.v1"))
                .body("events[0].time", is("2026-03-01T10:00:00Z"))
                .body("events[0].recordedAt", is("2026-03-01T10:00:01Z"))
                .body("events[0].event.subject", is("order/" + orderId))
                .body("events[0].event.data.lines[0].sku", is("SKU-1"));
    }

    @Test
    void shouldKeepTheClientIpAndTheFraudFlagOutOfThePublicHistory() {
        String flaggedOrder = StackFixture.id("FLAG");
        CloudEvent placed = StackFixture.placed(flaggedOrder, flaggedOrder + "-e1", T0)
                .withExtension(Extensions.FRAUD_FLAG, "blocklisted-ip");
        StackFixture.appendEvent(1, placed, T0.plusSeconds(1));

        String body = given().get("/v1/orders/" + flaggedOrder + "/events")
                .then()
                .statusCode(200)
                .body("events[0].event.data.customerId", is("CUST-1"))
                .body("events[0].event.data.lines[0].sku", is("SKU-1"))
                .extract()
                .asString();
        assertThat(body).doesNotContain("clientIp", "203.0.113.7", "fraudflag", "blocklisted-ip");
    }

    @Test
    void shouldAnswerAnUndecodableStoredEventWithProblemJson() {
        String broken = StackFixture.id("BROKEN");
        StackFixture.appendRawEvent(broken, 1, broken + "-e1", T0, "{not json");

        String body = given().get("/v1/orders/" + broken + "/events")
                .then()
                .statusCode(500)
                .contentType("application/problem+json")
                .body("status", is(500))
                .extract()
                .asString();
        assertThat(body).doesNotContain("not json");
    }

    @Test
    void shouldListOnlyEventsThatHappenedByAsOf() {
        given().get("/v1/orders/" + orderId + "/events?asOf=" + T0.plusSeconds(90))
                .then()
                .statusCode(200)
                .body("events", hasSize(2))
                .body("asOf", is("2026-03-01T10:01:30Z"));
    }

    @Test
    void shouldFoldTheEventsUpToAsOfWithOrderFold() {
        String paidJson = StackFixture.STATE_CODEC.publicOrderJson(
                StackFixture.STATE_CODEC.stateJson(StateMessage.of(OrderFold.fold(orderId, events.subList(0, 2)))));
        String body = given().get("/v1/orders/" + orderId + "?asOf=" + T0.plusSeconds(90))
                .then()
                .statusCode(200)
                .header("ETag", "\"2\"")
                .header("X-Cache", "BYPASS")
                .body("status", is("PAID"))
                .extract()
                .asString();
        assertThat(body).isEqualTo(paidJson);

        given().get("/v1/orders/" + orderId + "?asOf=" + T0.plusSeconds(120))
                .then()
                .statusCode(200)
                .body("status", is("SHIPPED"))
                .body("version", is(3));
        given().queryParam("asOf", "2026-03-01T11:00:30+01:00")
                .get("/v1/orders/" + orderId)
                .then()
                .statusCode(200)
                .body("status", is("PLACED"));
    }

    @Test
    void shouldMatchTheCurrentStateWhenAsOfIsAfterTheLastEvent() {
        String current = given().get("/v1/orders/" + orderId)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String asOf = given().get("/v1/orders/" + orderId + "?asOf=" + Instant.now())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(asOf).isEqualTo(current);
    }

    @Test
    void shouldAnswer404BeforeTheFirstEventAndForUnknownHistory() {
        given().get("/v1/orders/" + orderId + "?asOf=" + T0.minusSeconds(1))
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().get("/v1/orders/" + StackFixture.id("NOHIST") + "/events")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
