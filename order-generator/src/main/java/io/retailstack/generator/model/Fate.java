package io.retailstack.generator.model;

import io.retailstack.events.fold.OrderStatus;

/** How far an order's life gets in a workload, and the status folding its events must give. */
public enum Fate {
    /** Placed, nothing else yet. */
    PLACED(OrderStatus.PLACED),
    /** Placed and paid, not shipped yet. */
    PAID(OrderStatus.PAID),
    /** Shipped (paid unless cash on delivery), not delivered yet. */
    SHIPPED(OrderStatus.SHIPPED),
    /** The whole life: placed, paid, shipped, delivered (cash on delivery pays before delivered). */
    DELIVERED(OrderStatus.DELIVERED),
    /** Cancelled before payment; the reservations are released. */
    CANCELLED_BEFORE_PAYMENT(OrderStatus.CANCELLED),
    /** Paid, then cancelled before shipping; the reservations are released. */
    CANCELLED_AFTER_PAYMENT(OrderStatus.CANCELLED),
    /** Shipped, then recalled; the stock comes back to the shipping location as a positive adjustment. */
    CANCELLED_AFTER_SHIPPING(OrderStatus.CANCELLED);

    private final OrderStatus finalStatus;

    Fate(OrderStatus finalStatus) {
        this.finalStatus = finalStatus;
    }

    /** The status {@code OrderFold} must reach on this order's events. */
    public OrderStatus finalStatus() {
        return finalStatus;
    }
}
