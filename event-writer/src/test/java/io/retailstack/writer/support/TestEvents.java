package io.retailstack.writer.support;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.data.Channel;
import io.retailstack.events.data.EventData;
import io.retailstack.events.data.InventoryAdjusted;
import io.retailstack.events.data.InventoryReceived;
import io.retailstack.events.data.InventoryReleased;
import io.retailstack.events.data.InventoryReserved;
import io.retailstack.events.data.InventoryShipped;
import io.retailstack.events.data.OrderCancelled;
import io.retailstack.events.data.OrderDelivered;
import io.retailstack.events.data.OrderLine;
import io.retailstack.events.data.OrderPaid;
import io.retailstack.events.data.OrderPlaced;
import io.retailstack.events.data.OrderShipped;
import io.retailstack.events.data.OrderType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Builds contract events for tests: unique ids, valid data, times just before now. */
public final class TestEvents {

    public static final String SOURCE = "/event-writer-test";
    private static final AtomicLong SEQ = new AtomicLong();
    private static final Instant BASE =
            Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);

    private TestEvents() {}

    /** A fresh id usable as order id, sku or location. */
    public static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    public static String eventId() {
        return "EVT-" + UUID.randomUUID();
    }

    public static CloudEvent event(AggregateKey key, EventData data) {
        return CloudEvent.of(eventId(), SOURCE, key, BASE.plusMillis(SEQ.incrementAndGet()), data);
    }

    public static CloudEvent placed(String orderId) {
        return event(
                AggregateKey.order(orderId),
                new OrderPlaced(
                        "CUST-1",
                        Channel.WEB,
                        OrderType.EXTERNAL,
                        "LOC-1",
                        "ADDR-1",
                        "203.0.113.7",
                        "EUR",
                        List.of(
                                new OrderLine("SKU-1", 2, new BigDecimal("12.50")),
                                new OrderLine("SKU-2", 1, new BigDecimal("5.00")))));
    }

    public static CloudEvent paid(String orderId) {
        return event(AggregateKey.order(orderId), new OrderPaid(new BigDecimal("30.00"), "EUR", "PAY-1"));
    }

    public static CloudEvent shipped(String orderId) {
        return event(AggregateKey.order(orderId), new OrderShipped("DHL", "TRK-1"));
    }

    public static CloudEvent delivered(String orderId) {
        return event(AggregateKey.order(orderId), new OrderDelivered());
    }

    public static CloudEvent cancelled(String orderId) {
        return event(AggregateKey.order(orderId), new OrderCancelled("customer request"));
    }

    public static CloudEvent received(String sku, String location, int quantity) {
        return event(AggregateKey.inventory(sku, location), new InventoryReceived(quantity));
    }

    public static CloudEvent adjusted(String sku, String location, int delta) {
        return event(AggregateKey.inventory(sku, location), new InventoryAdjusted(delta, "count"));
    }

    public static CloudEvent reserved(String sku, String location, String orderId, int quantity) {
        return event(AggregateKey.inventory(sku, location), new InventoryReserved(orderId, quantity));
    }

    public static CloudEvent released(String sku, String location, String orderId, int quantity) {
        return event(AggregateKey.inventory(sku, location), new InventoryReleased(orderId, quantity));
    }

    public static CloudEvent inventoryShipped(String sku, String location, String orderId, int quantity) {
        return event(AggregateKey.inventory(sku, location), new InventoryShipped(orderId, quantity));
    }
}
