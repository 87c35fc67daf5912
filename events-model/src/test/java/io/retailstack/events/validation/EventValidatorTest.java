package io.retailstack.events.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.EventType;
import io.retailstack.events.Fixtures;
import io.retailstack.events.data.InventoryAdjusted;
import io.retailstack.events.data.InventoryReserved;
import io.retailstack.events.data.OrderLine;
import io.retailstack.events.data.OrderPaid;
import io.retailstack.events.data.OrderPlaced;
import io.retailstack.events.data.OrderShipped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventValidatorTest {

    private static final Instant NOW = Fixtures.T0.plusSeconds(3600);

    private final EventValidator validator =
            new EventValidator(ValidationLimits.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void acceptsAValidEvent() {
        assertThat(validator.validate(Fixtures.order("EVT-1", "ORD-1", 0, Fixtures.placedData())))
                .isEmpty();
    }

    @Test
    void reportsEveryViolationWithItsPath() {
        OrderPlaced data = new OrderPlaced(
                "",
                null,
                null,
                "LOC 9",
                null,
                "999.1.1.1",
                "EURO",
                Arrays.asList(
                        new OrderLine("SKU-1", 0, new BigDecimal("-1")),
                        null,
                        new OrderLine(null, 2, new BigDecimal("1.23456"))));
        CloudEvent event = new CloudEvent(
                "bad id!",
                "",
                "0.3",
                EventType.ORDER_PLACED,
                "inventory/SKU-1@LOC-9",
                NOW.plus(Duration.ofMinutes(6)),
                "text/plain",
                null,
                data,
                Map.of("fraudflag", " "));

        List<Violation> violations = validator.validate(event);

        assertThat(violations)
                .extracting(Violation::path)
                .containsExactly(
                        "id",
                        "source",
                        "specversion",
                        "subject",
                        "time",
                        "datacontenttype",
                        "fraudflag",
                        "data.customerId",
                        "data.channel",
                        "data.orderType",
                        "data.fromLocationId",
                        "data.toLocationId",
                        "data.clientIp",
                        "data.currency",
                        "data.lines[0].quantity",
                        "data.lines[0].unitPrice",
                        "data.lines[1]",
                        "data.lines[2].sku",
                        "data.lines[2].unitPrice");
        assertThat(violations).allSatisfy(v -> assertThat(v.message()).isNotBlank());
        assertThat(violations.get(3).message()).contains("inventory").contains("retail.order.placed.v1");
    }

    @Test
    void linesMustBeBetweenOneAndTheLimit() {
        OrderLine line = new OrderLine("SKU-1", 1, BigDecimal.ONE);
        EventValidator threeLines =
                new EventValidator(ValidationLimits.defaults().withMaxLines(3), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(threeLines.validate(placedWithLines(List.of())))
                .extracting(Violation::path)
                .containsExactly("data.lines");
        assertThat(threeLines.validate(placedWithLines(Collections.nCopies(3, line))))
                .isEmpty();
        assertThat(threeLines.validate(placedWithLines(Collections.nCopies(4, line))))
                .extracting(Violation::message)
                .containsExactly("must have at most 3 lines");
    }

    @Test
    void timeMustNotBeAbsurd() {
        assertThat(validator.validate(at(NOW.plus(Duration.ofMinutes(5))))).isEmpty();
        assertThat(validator.validate(at(NOW.plus(Duration.ofMinutes(5)).plusSeconds(1))))
                .extracting(Violation::path)
                .containsExactly("time");
        assertThat(validator.validate(at(Instant.parse("1999-12-31T23:59:59Z"))))
                .extracting(Violation::path)
                .containsExactly("time");
        assertThat(validator.validate(at(null))).extracting(Violation::path).containsExactly("time");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "255.255.255.255", "::1", "2001:db8::8a2e:370:7334", "::ffff:192.0.2.1"})
    void acceptsIpLiterals(String ip) {
        assertThat(EventValidator.isIpLiteral(ip)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "256.0.0.1", "1.2.3", "01.2.3.4", "example.com", "localhost", "1::2::3", "fe80::1%eth0"})
    void rejectsEverythingElseAsIp(String ip) {
        assertThat(EventValidator.isIpLiteral(ip)).isFalse();
    }

    @Test
    void checksAmountsCurrenciesAndReferences() {
        CloudEvent paid = Fixtures.order("EVT-2", "ORD-1", 1, new OrderPaid(new BigDecimal("-0.01"), "XYZ", " "));

        assertThat(validator.validate(paid))
                .extracting(Violation::path)
                .containsExactly("data.amount", "data.currency", "data.paymentRef");
        assertThat(validator.validate(Fixtures.order("EVT-3", "ORD-1", 1, new OrderShipped(null, null))))
                .isEmpty();
        assertThat(validator.validate(Fixtures.order("EVT-3", "ORD-1", 1, new OrderShipped("x".repeat(129), ""))))
                .extracting(Violation::path)
                .containsExactly("data.carrier", "data.trackingId");
    }

    @Test
    void checksInventoryQuantities() {
        CloudEvent zeroDelta = Fixtures.inventory("EVT-1", "SKU-1", "LOC-9", new InventoryAdjusted(0, ""));
        CloudEvent negativeDelta = Fixtures.inventory("EVT-2", "SKU-1", "LOC-9", new InventoryAdjusted(-5, "count"));
        CloudEvent badReservation = Fixtures.inventory("EVT-3", "SKU-1", "LOC-9", new InventoryReserved("ORD/1", -2));

        assertThat(validator.validate(zeroDelta))
                .extracting(Violation::path)
                .containsExactly("data.delta", "data.reason");
        assertThat(validator.validate(negativeDelta)).isEmpty();
        assertThat(validator.validate(badReservation))
                .extracting(Violation::path)
                .containsExactly("data.orderId", "data.quantity");
    }

    @Test
    void subjectMustMatchTheEventTypesAggregate() {
        CloudEvent orderEventOnInventory = CloudEvent.of(
                "EVT-1", "/s", AggregateKey.inventory("SKU-1", "LOC-9"), Fixtures.T0, Fixtures.placedData());

        assertThat(validator.validate(orderEventOnInventory))
                .extracting(Violation::path)
                .containsExactly("subject");
    }

    private CloudEvent placedWithLines(List<OrderLine> lines) {
        OrderPlaced p = Fixtures.placedData();
        return Fixtures.order(
                "EVT-1",
                "ORD-1",
                0,
                new OrderPlaced(
                        p.customerId(),
                        p.channel(),
                        p.orderType(),
                        p.fromLocationId(),
                        p.toLocationId(),
                        p.clientIp(),
                        p.currency(),
                        lines));
    }

    private CloudEvent at(Instant time) {
        CloudEvent e = Fixtures.order("EVT-1", "ORD-1", 0, Fixtures.placedData());
        return new CloudEvent(
                e.id(),
                e.source(),
                e.specversion(),
                e.type(),
                e.subject(),
                time,
                e.datacontenttype(),
                null,
                e.data(),
                Map.of());
    }
}
