package io.retailstack.events.data;

/** Who placed an order. */
public enum OrderType {
    /** Placed by the business itself, e.g. a stock transfer between two of its locations. */
    INTERNAL,
    /** Placed by a customer. */
    EXTERNAL
}
