package io.retailstack.events.data;

/** The order reached its destination. Carries no data: the event time is the delivery time. */
public record OrderDelivered() implements OrderData {}
