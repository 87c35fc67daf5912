package io.retailstack.events.data;

/**
 * The {@code data} of an event. Each record is one event type; the aggregate id is not repeated here
 * because the subject already carries it (one source of truth for the key).
 */
public sealed interface EventData permits OrderData, InventoryData {}
