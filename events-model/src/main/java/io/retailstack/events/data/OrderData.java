package io.retailstack.events.data;

/** Data of events about one order; the order id is in the subject {@code order/<orderId>}. */
public sealed interface OrderData extends EventData
        permits OrderPlaced, OrderPaid, OrderShipped, OrderDelivered, OrderCancelled {}
