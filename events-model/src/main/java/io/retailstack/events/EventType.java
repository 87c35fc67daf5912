package io.retailstack.events;

import io.retailstack.events.data.EventData;
import io.retailstack.events.data.InventoryAdjusted;
import io.retailstack.events.data.InventoryReceived;
import io.retailstack.events.data.InventoryReleased;
import io.retailstack.events.data.InventoryReserved;
import io.retailstack.events.data.InventoryShipped;
import io.retailstack.events.data.OrderCancelled;
import io.retailstack.events.data.OrderDelivered;
import io.retailstack.events.data.OrderPaid;
import io.retailstack.events.data.OrderPlaced;
import io.retailstack.events.data.OrderShipped;
import java.util.Optional;

/**
 * The type catalogue: CloudEvents {@code type} string, data record and aggregate, in one place.
 *
 * <p>Type strings end in a version. A breaking change to a data record gets a new constant with
 * {@code .v2} next to the old one, so consumers can read both while producers move over.
 */
public enum EventType {
    ORDER_PLACED("retail.order.placed.v1", OrderPlaced.class, AggregateType.ORDER),
    ORDER_PAID("retail.order.paid.v1", OrderPaid.class, AggregateType.ORDER),
    ORDER_SHIPPED("retail.order.shipped.v1", OrderShipped.class, AggregateType.ORDER),
    ORDER_DELIVERED("retail.order.delivered.v1", OrderDelivered.class, AggregateType.ORDER),
    ORDER_CANCELLED("retail.order.cancelled.v1", OrderCancelled.class, AggregateType.ORDER),
    INVENTORY_RECEIVED("retail.inventory.received.v1", InventoryReceived.class, AggregateType.INVENTORY),
    INVENTORY_ADJUSTED("retail.inventory.adjusted.v1", InventoryAdjusted.class, AggregateType.INVENTORY),
    INVENTORY_RESERVED("retail.inventory.reserved.v1", InventoryReserved.class, AggregateType.INVENTORY),
    INVENTORY_RELEASED("retail.inventory.released.v1", InventoryReleased.class, AggregateType.INVENTORY),
    INVENTORY_SHIPPED("retail.inventory.shipped.v1", InventoryShipped.class, AggregateType.INVENTORY);

    private final String type;
    private final Class<? extends EventData> dataClass;
    private final AggregateType aggregateType;

    EventType(String type, Class<? extends EventData> dataClass, AggregateType aggregateType) {
        this.type = type;
        this.dataClass = dataClass;
        this.aggregateType = aggregateType;
    }

    /** The CloudEvents {@code type} attribute, e.g. {@code retail.order.placed.v1}. */
    public String type() {
        return type;
    }

    /** The record {@code data} decodes to. */
    public Class<? extends EventData> dataClass() {
        return dataClass;
    }

    /** The aggregate this event belongs to; the subject must name one of this type. */
    public AggregateType aggregateType() {
        return aggregateType;
    }

    /** {@link #values()} copies its array on every call; these lookups run for every event. */
    private static final EventType[] ALL = values();

    /** The event type with this type string, if the catalogue has it. */
    public static Optional<EventType> fromType(String type) {
        for (EventType value : ALL) {
            if (value.type.equals(type)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** The event type whose data record is {@code data}'s class. */
    public static EventType of(EventData data) {
        for (EventType value : ALL) {
            if (value.dataClass == data.getClass()) {
                return value;
            }
        }
        // Unreachable while every EventData record has a constant; the test suite checks that.
        throw new IllegalArgumentException(
                "no event type for " + data.getClass().getName());
    }
}
