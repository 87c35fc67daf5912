package io.retailstack.events.fold;

import static org.assertj.core.api.Assertions.assertThat;

import io.retailstack.events.CloudEvent;
import io.retailstack.events.EventArbitraries;
import io.retailstack.events.data.InventoryAdjusted;
import io.retailstack.events.data.InventoryReceived;
import io.retailstack.events.data.InventoryShipped;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

class FoldPropertiesTest {

    @Provide
    Arbitrary<List<CloudEvent>> orderHistories() {
        return EventArbitraries.orderEvents("ORD-1").list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<CloudEvent>> inventoryHistories() {
        return EventArbitraries.inventoryEvents("SKU-1", "LOC-9").list().ofMaxSize(40);
    }

    @Property
    void orderFoldIsDeterministic(@ForAll("orderHistories") List<CloudEvent> events) {
        assertThat(OrderFold.fold("ORD-1", events)).isEqualTo(OrderFold.fold("ORD-1", List.copyOf(events)));
    }

    @Property
    void orderVersionCountsAppliedEvents(@ForAll("orderHistories") List<CloudEvent> events) {
        OrderState state = OrderState.initial("ORD-1");
        long applied = 0;
        for (CloudEvent event : events) {
            FoldStep<OrderState> step = OrderFold.apply(state, event);
            if (step.applied()) {
                applied++;
            } else {
                assertThat(step.state()).isSameAs(state);
            }
            state = step.state();
        }
        assertThat(state.version()).isEqualTo(applied).isLessThanOrEqualTo(4);
        // The generator must reach every status, or the property proves little.
        Statistics.label("final status").collect(state.status());
        Statistics.label("final status").coverage(coverage -> {
            for (OrderStatus status : OrderStatus.values()) {
                coverage.check(status).count(n -> n > 0);
            }
        });
        assertThat(state).isEqualTo(OrderFold.fold("ORD-1", events));
    }

    @Property
    void inventoryFoldIsDeterministic(@ForAll("inventoryHistories") List<CloudEvent> events) {
        assertThat(InventoryFold.fold("SKU-1", "LOC-9", events))
                .isEqualTo(InventoryFold.fold("SKU-1", "LOC-9", List.copyOf(events)));
    }

    @Property
    void availableNeverNegativeAndStateIsTheSumOfAppliedEvents(@ForAll("inventoryHistories") List<CloudEvent> events) {
        InventoryState state = InventoryState.initial("SKU-1", "LOC-9");
        long applied = 0;
        long expectedOnHand = 0;
        for (CloudEvent event : events) {
            FoldStep<InventoryState> step = InventoryFold.apply(state, event);
            Statistics.label("outcome")
                    .collect(step.applied() ? "APPLIED " + event.type() : String.valueOf(step.ignoreReason()));
            if (step.applied()) {
                applied++;
                if (event.data() instanceof InventoryReceived r) {
                    expectedOnHand += r.quantity();
                } else if (event.data() instanceof InventoryAdjusted a) {
                    expectedOnHand += a.delta();
                } else if (event.data() instanceof InventoryShipped s) {
                    expectedOnHand -= s.quantity();
                }
            } else {
                assertThat(step.state()).isSameAs(state);
            }
            state = step.state();
            assertThat(state.available()).isNotNegative();
            assertThat(state.reserved()).isNotNegative();
            assertThat(state.reserved())
                    .isEqualTo(state.reservations().values().stream()
                            .mapToLong(Long::longValue)
                            .sum());
            assertThat(state.reservations().values()).allMatch(q -> q > 0);
        }
        assertThat(state.version()).isEqualTo(applied);
        assertThat(state.onHand()).isEqualTo(expectedOnHand);
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("APPLIED INVENTORY_RESERVED").count(n -> n > 0);
            coverage.check("APPLIED INVENTORY_SHIPPED").count(n -> n > 0);
            coverage.check("APPLIED INVENTORY_RELEASED").count(n -> n > 0);
            coverage.check("INSUFFICIENT_AVAILABLE").count(n -> n > 0);
            coverage.check("INSUFFICIENT_ON_HAND").count(n -> n > 0);
            coverage.check("DUPLICATE_EVENT").count(n -> n > 0);
        });
    }
}
