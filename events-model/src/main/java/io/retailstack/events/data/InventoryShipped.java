package io.retailstack.events.data;

/**
 * Reserved units left the location for an order: both on-hand and reserved go down.
 *
 * @param orderId the order the units were reserved for
 * @param quantity units shipped, positive
 */
public record InventoryShipped(String orderId, int quantity) implements InventoryData {}
