package io.retailstack.events.fold;

import static io.retailstack.events.Fixtures.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.retailstack.events.CloudEvent;
import io.retailstack.events.Extensions;
import io.retailstack.events.Fixtures;
import io.retailstack.events.data.Channel;
import io.retailstack.events.data.InventoryReceived;
import io.retailstack.events.data.OrderCancelled;
import io.retailstack.events.data.OrderDelivered;
import io.retailstack.events.data.OrderPaid;
import io.retailstack.events.data.OrderShipped;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderFoldTest {

    private static final CloudEvent PLACED = order("E1", "ORD-1", 0, Fixtures.placedData());
    private static final CloudEvent PAID =
            order("E2", "ORD-1", 1, new OrderPaid(new BigDecimal("30.00"), "EUR", "PAY-1"));
    private static final CloudEvent SHIPPED = order("E3", "ORD-1", 2, new OrderShipped("DHL", "TRK-1"));
    private static final CloudEvent DELIVERED = order("E4", "ORD-1", 3, new OrderDelivered());
    private static final CloudEvent CANCELLED = order("E5", "ORD-1", 4, new OrderCancelled("customer asked"));

    @Test
    void foldsTheHappyPath() {
        OrderState state = OrderFold.fold("ORD-1", List.of(PLACED, PAID, SHIPPED, DELIVERED));

        assertThat(state.status()).isEqualTo(OrderStatus.DELIVERED);
        assertThat(state.customerId()).isEqualTo("CUST-1");
        assertThat(state.channel()).isEqualTo(Channel.WEB);
        assertThat(state.total()).isEqualByComparingTo("30.00");
        assertThat(state.placedAt()).isEqualTo(PLACED.time());
        assertThat(state.paidAt()).isEqualTo(PAID.time());
        assertThat(state.shippedAt()).isEqualTo(SHIPPED.time());
        assertThat(state.deliveredAt()).isEqualTo(DELIVERED.time());
        assertThat(state.cancelledAt()).isNull();
        assertThat(state.version()).isEqualTo(4);
        assertThat(state.lastEventId()).isEqualTo("E4");
        assertThat(state.flagged()).isFalse();
    }

    @Test
    void everythingBeforePlacedIsIgnored() {
        FoldStep<OrderState> step = OrderFold.apply(OrderState.initial("ORD-1"), PAID);

        assertThat(step.applied()).isFalse();
        assertThat(step.ignoreReason()).isEqualTo(IgnoreReason.NOT_PLACED);
        assertThat(step.state()).isEqualTo(OrderState.initial("ORD-1"));
    }

    @Test
    void cancelThenShipDiffersFromShipThenCancel() {
        OrderState cancelFirst = OrderFold.fold("ORD-1", List.of(PLACED, CANCELLED, SHIPPED));
        OrderState shipFirst = OrderFold.fold("ORD-1", List.of(PLACED, SHIPPED, CANCELLED));

        assertThat(cancelFirst.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelFirst.shippedAt()).isNull();
        assertThat(cancelFirst.version()).isEqualTo(2);
        assertThat(shipFirst.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(shipFirst.shippedAt()).isEqualTo(SHIPPED.time());
        assertThat(shipFirst.version()).isEqualTo(3);
        assertThat(cancelFirst).isNotEqualTo(shipFirst);
    }

    @Test
    void nothingButNothingAfterCancelled() {
        OrderState cancelled = OrderFold.fold("ORD-1", List.of(PLACED, CANCELLED));

        for (CloudEvent late :
                List.of(PAID, SHIPPED, DELIVERED, order("E9", "ORD-1", 9, new OrderCancelled("again")))) {
            FoldStep<OrderState> step = OrderFold.apply(cancelled, late);
            assertThat(step.ignoreReason()).as(late.type().type()).isEqualTo(IgnoreReason.INVALID_TRANSITION);
            assertThat(step.state()).isSameAs(cancelled);
        }
    }

    @Test
    void cancelAfterDeliveredIsIgnored() {
        OrderState delivered = OrderFold.fold("ORD-1", List.of(PLACED, SHIPPED, DELIVERED));

        FoldStep<OrderState> step = OrderFold.apply(delivered, CANCELLED);

        assertThat(step.ignoreReason()).isEqualTo(IgnoreReason.INVALID_TRANSITION);
        assertThat(step.state().status()).isEqualTo(OrderStatus.DELIVERED);
    }

    @Test
    void paymentAfterShippingKeepsTheFurthestStatus() {
        OrderState state = OrderFold.fold("ORD-1", List.of(PLACED, SHIPPED, PAID));

        assertThat(state.status()).isEqualTo(OrderStatus.SHIPPED);
        assertThat(state.paidAt()).isEqualTo(PAID.time());
        assertThat(state.version()).isEqualTo(3);
    }

    @Test
    void deliveredNeedsShipped() {
        FoldStep<OrderState> step = OrderFold.apply(OrderFold.fold("ORD-1", List.of(PLACED, PAID)), DELIVERED);

        assertThat(step.ignoreReason()).isEqualTo(IgnoreReason.INVALID_TRANSITION);
    }

    @Test
    void duplicatesAndRepeatsAreIgnored() {
        OrderState state = OrderFold.fold("ORD-1", List.of(PLACED, PAID));

        assertThat(OrderFold.apply(state, PAID).ignoreReason()).isEqualTo(IgnoreReason.DUPLICATE_EVENT);
        assertThat(OrderFold.apply(state, order("E7", "ORD-1", 5, Fixtures.placedData()))
                        .ignoreReason())
                .isEqualTo(IgnoreReason.ALREADY_PLACED);
        assertThat(OrderFold.apply(state, order("E8", "ORD-1", 5, new OrderPaid(BigDecimal.ONE, "EUR", "PAY-2")))
                        .ignoreReason())
                .isEqualTo(IgnoreReason.INVALID_TRANSITION);
    }

    @Test
    void eventsOfOtherAggregatesAreIgnored() {
        OrderState state = OrderFold.fold("ORD-1", List.of(PLACED));

        assertThat(OrderFold.apply(state, order("E2", "ORD-2", 1, new OrderCancelled("x")))
                        .ignoreReason())
                .isEqualTo(IgnoreReason.OTHER_AGGREGATE);
        assertThat(OrderFold.apply(state, Fixtures.inventory("E3", "SKU-1", "LOC-9", new InventoryReceived(1)))
                        .ignoreReason())
                .isEqualTo(IgnoreReason.OTHER_AGGREGATE);
    }

    @Test
    void fraudFlagMarksTheOrder() {
        OrderState state = OrderFold.fold("ORD-1", List.of(PLACED.withExtension(Extensions.FRAUD_FLAG, "true"), PAID));

        assertThat(state.flagged()).isTrue();
    }
}
