package io.retailstack.events.state;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.fold.InventoryState;
import io.retailstack.events.fold.OrderState;
import java.util.Objects;

/**
 * One aggregate's current state as published on {@code retail.state} (key = {@link AggregateKey#kafkaKey()}) and
 * cached in Redis. Exactly one of {@code order} and {@code inventory} is set, matching the key's aggregate type.
 *
 * <p>{@code version} is the state's version (number of applied events): a reader keeps the highest version it has
 * seen and drops older ones, which is what makes out-of-order delivery and replays harmless.
 *
 * @param aggregate the aggregate this state belongs to
 * @param version the state's version, equal to the inner state's version
 * @param order the order state, or null
 * @param inventory the inventory state, or null
 */
public record StateMessage(AggregateKey aggregate, long version, OrderState order, InventoryState inventory) {

    public StateMessage {
        Objects.requireNonNull(aggregate, "aggregate");
        if ((order == null) == (inventory == null)) {
            throw new IllegalArgumentException("exactly one of order and inventory must be set");
        }
    }

    public static StateMessage of(OrderState state) {
        return new StateMessage(AggregateKey.order(state.orderId()), state.version(), state, null);
    }

    public static StateMessage of(InventoryState state) {
        return new StateMessage(AggregateKey.inventory(state.sku(), state.locationId()), state.version(), null, state);
    }
}
