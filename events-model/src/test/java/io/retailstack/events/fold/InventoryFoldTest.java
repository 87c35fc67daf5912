package io.retailstack.events.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retailstack.events.CloudEvent;
import io.retailstack.events.Fixtures;
import io.retailstack.events.data.EventData;
import io.retailstack.events.data.InventoryAdjusted;
import io.retailstack.events.data.InventoryReceived;
import io.retailstack.events.data.InventoryReleased;
import io.retailstack.events.data.InventoryReserved;
import io.retailstack.events.data.InventoryShipped;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryFoldTest {

    private int nextId;

    private CloudEvent event(EventData data) {
        return Fixtures.inventory("E" + (++nextId), "SKU-1", "LOC-9", data);
    }

    @Test
    void receiveReserveShip() {
        InventoryState state = InventoryFold.fold(
                "SKU-1",
                "LOC-9",
                List.of(
                        event(new InventoryReceived(10)),
                        event(new InventoryReserved("ORD-1", 3)),
                        event(new InventoryReserved("ORD-2", 2)),
                        event(new InventoryShipped("ORD-1", 3)),
                        event(new InventoryReleased("ORD-2", 1))));

        assertThat(state.onHand()).isEqualTo(7);
        assertThat(state.reserved()).isEqualTo(1);
        assertThat(state.available()).isEqualTo(6);
        assertThat(state.reservations()).isEqualTo(Map.of("ORD-2", 1L));
        assertThat(state.version()).isEqualTo(5);
        assertThat(state.lastEventId()).isEqualTo("E5");
    }

    @Test
    void stepsShareNoMutableReservationsAndEveryStateKeepsItsOwn() {
        InventoryState received = InventoryFold.apply(
                        InventoryState.initial("SKU-1", "LOC-9"), event(new InventoryReceived(10)))
                .state();
        InventoryState one = InventoryFold.apply(received, event(new InventoryReserved("ORD-B", 2)))
                .state();
        InventoryState two = InventoryFold.apply(one, event(new InventoryReserved("ORD-A", 3)))
                .state();
        InventoryState released = InventoryFold.apply(two, event(new InventoryReleased("ORD-B", 2)))
                .state();
        InventoryState adjusted = InventoryFold.apply(released, event(new InventoryAdjusted(1, "count")))
                .state();

        // each state still holds what it held when it was made (the fold is pure, maps are never changed in place)
        assertThat(received.reservations()).isEmpty();
        assertThat(one.reservations()).isEqualTo(Map.of("ORD-B", 2L));
        assertThat(two.reservations()).isEqualTo(Map.of("ORD-A", 3L, "ORD-B", 2L));
        assertThat(released.reservations()).isEqualTo(Map.of("ORD-A", 3L));
        // sorted by order id whatever the order of the reservations, and an event not about them shares them
        assertThat(two.reservations().keySet()).containsExactly("ORD-A", "ORD-B");
        assertThat(adjusted.reservations()).isSameAs(released.reservations());
        assertThatThrownBy(() -> two.reservations().put("ORD-C", 1L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> two.reservations().entrySet().iterator().remove())
                .isInstanceOf(UnsupportedOperationException.class);
        // a state built from any map equals the folded one, and is not tied to the caller's map
        java.util.HashMap<String, Long> given = new java.util.HashMap<>(Map.of("ORD-B", 2L, "ORD-A", 3L));
        InventoryState built = new InventoryState("SKU-1", "LOC-9", 10, 5, given, 3, "E3", List.of("E1", "E2", "E3"));
        given.clear();
        assertThat(built.reservations()).isEqualTo(two.reservations());
        assertThat(built.reservations().keySet()).containsExactly("ORD-A", "ORD-B");
    }

    @Test
    void reservingMoreThanAvailableIsIgnored() {
        InventoryState state = InventoryFold.fold(
                "SKU-1", "LOC-9", List.of(event(new InventoryReceived(5)), event(new InventoryReserved("ORD-1", 4))));

        FoldStep<InventoryState> step = InventoryFold.apply(state, event(new InventoryReserved("ORD-2", 2)));

        assertThat(step.ignoreReason()).isEqualTo(IgnoreReason.INSUFFICIENT_AVAILABLE);
        assertThat(step.state()).isSameAs(state);
        assertThat(InventoryFold.apply(state, event(new InventoryReserved("ORD-2", 1)))
                        .applied())
                .isTrue();
    }

    @Test
    void adjustmentBelowReservedIsIgnoredNotClamped() {
        InventoryState state = InventoryFold.fold(
                "SKU-1", "LOC-9", List.of(event(new InventoryReceived(5)), event(new InventoryReserved("ORD-1", 3))));

        assertThat(InventoryFold.apply(state, event(new InventoryAdjusted(-3, "count")))
                        .ignoreReason())
                .isEqualTo(IgnoreReason.INSUFFICIENT_ON_HAND);
        InventoryState adjusted = InventoryFold.apply(state, event(new InventoryAdjusted(-2, "count")))
                .state();
        assertThat(adjusted.onHand()).isEqualTo(3);
        assertThat(adjusted.available()).isZero();
    }

    @Test
    void releasingOrShippingAnotherOrdersReservationIsIgnored() {
        InventoryState state = InventoryFold.fold(
                "SKU-1", "LOC-9", List.of(event(new InventoryReceived(5)), event(new InventoryReserved("ORD-1", 3))));

        assertThat(InventoryFold.apply(state, event(new InventoryReleased("ORD-2", 1)))
                        .ignoreReason())
                .isEqualTo(IgnoreReason.INSUFFICIENT_RESERVED);
        assertThat(InventoryFold.apply(state, event(new InventoryShipped("ORD-1", 4)))
                        .ignoreReason())
                .isEqualTo(IgnoreReason.INSUFFICIENT_RESERVED);
        assertThat(InventoryFold.apply(state, event(new InventoryReceived(0))).ignoreReason())
                .isEqualTo(IgnoreReason.INVALID_DATA);
    }

    @Test
    void duplicatesAndOtherLocationsAreIgnored() {
        CloudEvent received = event(new InventoryReceived(5));
        InventoryState state = InventoryFold.fold("SKU-1", "LOC-9", List.of(received, received));

        assertThat(state.onHand()).isEqualTo(5);
        assertThat(state.version()).isEqualTo(1);
        CloudEvent elsewhere = Fixtures.inventory("E99", "SKU-1", "LOC-1", new InventoryReceived(5));
        assertThat(InventoryFold.apply(state, elsewhere).ignoreReason()).isEqualTo(IgnoreReason.OTHER_AGGREGATE);
    }

    @Test
    void availabilityAcrossLocations() {
        InventoryState a = new InventoryState("SKU-1", "LOC-1", 10, 4, Map.of("ORD-1", 4L), 2, "E2", List.of());
        InventoryState b = new InventoryState("SKU-1", "LOC-2", 3, 0, Map.of(), 1, "E1", List.of());
        InventoryState c = new InventoryState("SKU-2", "LOC-1", 7, 0, Map.of(), 1, "E1", List.of());

        assertThat(Availability.acrossLocations("SKU-1", List.of(a, b, c))).isEqualTo(9);
        assertThat(Availability.bySku(List.of(a, b, c))).isEqualTo(Map.of("SKU-1", 9L, "SKU-2", 7L));
    }
}
