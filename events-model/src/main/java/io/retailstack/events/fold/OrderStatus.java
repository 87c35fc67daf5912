package io.retailstack.events.fold;

/**
 * Where an order is in its life. Moves forward only: NONE → PLACED → PAID → SHIPPED → DELIVERED, with
 * CANCELLED reachable from PLACED, PAID and SHIPPED. See {@link OrderFold} for the full rules.
 */
public enum OrderStatus {
    /** Nothing applied yet; the initial state before {@code placed}. Never stored. */
    NONE,
    PLACED,
    PAID,
    SHIPPED,
    DELIVERED,
    CANCELLED
}
