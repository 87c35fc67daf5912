package io.retailstack.events.data;

/**
 * Goods arrived at the location.
 *
 * @param quantity units received, positive
 */
public record InventoryReceived(int quantity) implements InventoryData {}
