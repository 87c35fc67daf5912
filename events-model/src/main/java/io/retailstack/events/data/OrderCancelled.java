package io.retailstack.events.data;

/**
 * The order was cancelled.
 *
 * @param reason why, free text for people
 */
public record OrderCancelled(String reason) implements OrderData {}
