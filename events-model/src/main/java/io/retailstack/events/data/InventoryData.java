package io.retailstack.events.data;

/** Data of events about the stock of one SKU at one location: subject {@code inventory/<sku>@<loc>}. */
public sealed interface InventoryData extends EventData
        permits InventoryReceived, InventoryAdjusted, InventoryReserved, InventoryReleased, InventoryShipped {}
