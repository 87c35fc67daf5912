package io.retailstack.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retailstack.events.data.EventData;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AggregateKeyTest {

    @Test
    void orderKeyRoundTripsThroughItsSubject() {
        AggregateKey key = AggregateKey.fromSubject("order/ORD-1");

        assertThat(key).isEqualTo(AggregateKey.order("ORD-1"));
        assertThat(key.type()).isEqualTo(AggregateType.ORDER);
        assertThat(key.subject()).isEqualTo("order/ORD-1");
        assertThat(key.kafkaKey()).isEqualTo("order/ORD-1");
        assertThatThrownBy(key::sku).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void inventoryKeyHasSkuAndLocation() {
        AggregateKey key = AggregateKey.fromSubject("inventory/SKU-1@LOC-9");

        assertThat(key).isEqualTo(AggregateKey.inventory("SKU-1", "LOC-9"));
        assertThat(key.sku()).isEqualTo("SKU-1");
        assertThat(key.locationId()).isEqualTo("LOC-9");
        assertThat(key.kafkaKey()).isEqualTo("inventory/SKU-1@LOC-9");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "order",
                "order/",
                "orders/ORD-1",
                "order/ORD 1",
                "order/ORD/1",
                "inventory/SKU-1",
                "inventory/@LOC",
                "inventory/SKU@",
                "inventory/SKU@LOC@X",
                "Order/ORD-1"
            })
    void rejectsMalformedSubjects(String subject) {
        assertThatThrownBy(() -> AggregateKey.fromSubject(subject)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsOverlongIds() {
        assertThatThrownBy(() -> AggregateKey.order("X".repeat(Identifiers.MAX_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(AggregateKey.order("X".repeat(Identifiers.MAX_LENGTH)).id()).hasSize(Identifiers.MAX_LENGTH);
    }

    @Test
    void typeCatalogueIsComplete() {
        assertThat(Arrays.stream(EventType.values()).map(EventType::type).collect(Collectors.toSet()))
                .hasSize(EventType.values().length)
                .allMatch(type -> type.matches("retail\\.(order|inventory)\\.[a-z]+\\.v[0-9]+"));
        Set<Class<?>> permitted = Arrays.stream(EventData.class.getPermittedSubclasses())
                .flatMap(sub -> Arrays.stream(sub.getPermittedSubclasses()))
                .collect(Collectors.toSet());
        assertThat(Arrays.stream(EventType.values()).map(EventType::dataClass).collect(Collectors.toSet()))
                .isEqualTo(permitted);
        for (EventType type : EventType.values()) {
            assertThat(EventType.fromType(type.type())).contains(type);
            assertThat(type.type()).contains("." + type.aggregateType().prefix() + ".");
        }
        assertThat(EventType.fromType("retail.order.placed.v2")).isEmpty();
    }

    @Test
    void cloudEventRejectsDataOfAnotherType() {
        CloudEvent event = Fixtures.order("EVT-1", "ORD-1", 0, Fixtures.placedData());

        assertThatThrownBy(() -> new CloudEvent(
                        "E", "/s", "1.0", EventType.ORDER_PAID, "order/ORD-1", null, null, null, event.data(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> event.withExtension("Bad_Name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> event.withExtension("subject", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
