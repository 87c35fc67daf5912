package io.retailstack.events.data;

/**
 * Units reserved for an order were given back, e.g. because the order was cancelled.
 *
 * @param orderId the order that held the reservation
 * @param quantity units released, positive
 */
public record InventoryReleased(String orderId, int quantity) implements InventoryData {}
