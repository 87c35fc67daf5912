package io.retailstack.events.data;

/**
 * Units were set aside for an order; they stay on hand but are no longer available.
 *
 * @param orderId the order holding the reservation
 * @param quantity units reserved, positive
 */
public record InventoryReserved(String orderId, int quantity) implements InventoryData {}
