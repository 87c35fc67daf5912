package io.retailstack.ingest.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Valid events as JSON text, with ids unique per run so tests sharing the topics never see each other's events. */
public final class TestEvents {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static int counter;

    private TestEvents() {}

    /** A fresh event id, unique in this run and across runs. */
    public static synchronized String newId(String prefix) {
        return prefix + "-" + RUN + "-" + (++counter);
    }

    /** Event time: a minute ago, always valid. */
    public static String now() {
        return Instant.now()
                .minus(1, ChronoUnit.MINUTES)
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
    }

    /** The data of an order placed from {@code clientIp}. */
    public static String placedData(String clientIp) {
        return """
                {"customerId":"CUST-1","channel":"WEB","orderType":"EXTERNAL","fromLocationId":"LOC-9",\
                "toLocationId":"ADDR-1","clientIp":"%s","currency":"EUR",\
                "lines":[{"sku":"SKU-1","quantity":2,"unitPrice":12.50}]}"""
                .formatted(clientIp);
    }

    /** A structured order-placed event for order {@code orderId}. */
    public static String placed(String id, String orderId) {
        return placed(id, orderId, "203.0.113.7");
    }

    public static String placed(String id, String orderId, String clientIp) {
        return """
                {"specversion":"1.0","id":"%s","source":"/tests/http","type":"retail.order.placed.v1",\
                "subject":"order/%s","time":"%s","datacontenttype":"application/json","data":%s}"""
                .formatted(id, orderId, now(), placedData(clientIp));
    }

    /** A structured inventory-received event. */
    public static String received(String id, String sku, String location, int quantity) {
        return """
                {"specversion":"1.0","id":"%s","source":"/tests/http","type":"retail.inventory.received.v1",\
                "subject":"inventory/%s@%s","time":"%s","data":{"quantity":%d}}"""
                .formatted(id, sku, location, now(), quantity);
    }

    /** A JSON array of the given events. */
    public static String batch(List<String> events) {
        return events.stream().collect(Collectors.joining(",", "[", "]"));
    }

    /** {@code n} valid order-placed events with fresh ids. */
    public static List<String> placedEvents(String prefix, int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> {
                    String id = newId(prefix);
                    return placed(id, "ORD-" + id);
                })
                .toList();
    }
}
