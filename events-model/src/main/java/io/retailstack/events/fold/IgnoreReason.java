package io.retailstack.events.fold;

/** Why the fold left the state unchanged for an event. */
public enum IgnoreReason {
    /** The event id is one of the recently applied ones: a redelivery. */
    DUPLICATE_EVENT,
    /** The event is for another aggregate (other subject or other aggregate type). */
    OTHER_AGGREGATE,
    /** An order event arrived before the order's {@code placed}. */
    NOT_PLACED,
    /** A second {@code placed} for an order that already exists. */
    ALREADY_PLACED,
    /** The order's status does not allow this event, e.g. shipped after cancelled. */
    INVALID_TRANSITION,
    /** Data the validator would have rejected, e.g. a quantity of 0; ignored so invariants hold. */
    INVALID_DATA,
    /** A reservation for more units than are available. */
    INSUFFICIENT_AVAILABLE,
    /** A negative adjustment that would leave fewer units on hand than are reserved. */
    INSUFFICIENT_ON_HAND,
    /** A release or shipment of more units than the order has reserved here. */
    INSUFFICIENT_RESERVED
}
