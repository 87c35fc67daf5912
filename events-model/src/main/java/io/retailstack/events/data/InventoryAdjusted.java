package io.retailstack.events.data;

/**
 * On-hand stock was corrected, e.g. after a count, damage or a sale without reservation.
 *
 * @param delta change of on-hand units, negative to remove, never zero
 * @param reason why, free text for people
 */
public record InventoryAdjusted(int delta, String reason) implements InventoryData {}
