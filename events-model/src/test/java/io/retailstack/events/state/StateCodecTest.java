package io.retailstack.events.state;

import static io.retailstack.events.Fixtures.inventory;
import static io.retailstack.events.Fixtures.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.Fixtures;
import io.retailstack.events.data.InventoryReceived;
import io.retailstack.events.data.InventoryReserved;
import io.retailstack.events.data.OrderPaid;
import io.retailstack.events.fold.InventoryFold;
import io.retailstack.events.fold.InventoryState;
import io.retailstack.events.fold.OrderFold;
import io.retailstack.events.fold.OrderState;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateCodecTest {
    private final StateCodec codec = new StateCodec();

    @Test
    void shouldRoundTripOrderStateWithExactMoneyAndInstants() {
        OrderState state = OrderFold.fold(
                "ORD-1",
                List.of(
                        order("E1", "ORD-1", 0, Fixtures.placedData()),
                        order("E2", "ORD-1", 1, new OrderPaid(new BigDecimal("30.00"), "EUR", "PAY-1"))));

        StateMessage decoded = codec.decode(codec.encode(StateMessage.of(state)));

        assertThat(decoded.aggregate()).isEqualTo(AggregateKey.order("ORD-1"));
        assertThat(decoded.version()).isEqualTo(2);
        assertThat(decoded.order()).isEqualTo(state);
        assertThat(decoded.inventory()).isNull();
        assertThat(codec.orderState(codec.stateJson(decoded))).isEqualTo(state);
    }

    @Test
    void shouldLeaveTheFraudFlagAndTheIdWindowOutOfThePublicOrderJson() {
        OrderState state = OrderFold.fold(
                "ORD-2",
                List.of(
                        order("E1", "ORD-2", 0, Fixtures.placedData()).withExtension("fraudflag", "blocklisted-ip"),
                        order("E2", "ORD-2", 1, new OrderPaid(new BigDecimal("30.00"), "EUR", "PAY-1"))));
        assertThat(state.flagged()).isTrue();
        String full = codec.stateJson(StateMessage.of(state));
        assertThat(full).contains("\"flagged\":true", "\"recentEventIds\"");

        String shown = codec.publicOrderJson(full);

        assertThat(shown).doesNotContain("flagged", "recentEventIds", "E1");
        assertThat(shown).contains("\"orderId\":\"ORD-2\"", "\"status\":\"PAID\"", "\"version\":2", "30.00");
        assertThat(codec.publicOrderJson(state)).isEqualTo(shown);
    }

    @Test
    void shouldRoundTripInventoryStateWithReservations() {
        InventoryState state = InventoryFold.fold(
                "SKU-1",
                "LOC-1",
                List.of(
                        inventory("E1", "SKU-1", "LOC-1", new InventoryReceived(10)),
                        inventory("E2", "SKU-1", "LOC-1", new InventoryReserved("ORD-1", 3))));

        StateMessage decoded = codec.decode(codec.encode(StateMessage.of(state)));

        assertThat(decoded.aggregate()).isEqualTo(AggregateKey.inventory("SKU-1", "LOC-1"));
        assertThat(decoded.inventory()).isEqualTo(state);
        assertThat(decoded.inventory().available()).isEqualTo(7);
    }

    @Test
    void shouldRejectSomethingThatIsNotAStateMessage() {
        assertThatThrownBy(() -> codec.decode("{\"version\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aggregate");
        assertThatThrownBy(() -> codec.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
