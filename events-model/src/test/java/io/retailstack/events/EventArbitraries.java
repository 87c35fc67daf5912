package io.retailstack.events;

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
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of valid events, shared by the property tests. */
public final class EventArbitraries {

    /** Generated times lie before this, so a validator clock set here accepts all of them. */
    public static final Instant LATEST = Instant.parse("2030-01-01T00:00:00Z");

    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    private EventArbitraries() {}

    public static Arbitrary<String> ids() {
        return Arbitraries.strings()
                .withChars("ABCXYZabcxyz0189._:-")
                .ofMinLength(1)
                .ofMaxLength(Identifiers.MAX_LENGTH);
    }

    static Arbitrary<String> texts() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(40).filter(s -> !s.isBlank());
    }

    static Arbitrary<Instant> times() {
        return Arbitraries.longs()
                .between(EARLIEST.getEpochSecond(), LATEST.getEpochSecond() - 1)
                .flatMap(seconds -> Arbitraries.integers()
                        .between(0, 999_999_999)
                        .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
    }

    static Arbitrary<String> currencies() {
        return Arbitraries.of("EUR", "USD", "GBP", "CHF", "JPY", "SEK");
    }

    static Arbitrary<BigDecimal> amounts() {
        return Arbitraries.bigDecimals()
                .between(BigDecimal.ZERO, new BigDecimal("99999.99"))
                .ofScale(2);
    }

    static Arbitrary<OrderLine> lines() {
        return Combinators.combine(ids(), Arbitraries.integers().between(1, 1000), amounts())
                .as(OrderLine::new);
    }

    static Arbitrary<EventData> orderData() {
        Arbitrary<OrderPlaced> placed = Combinators.combine(
                        ids(),
                        Arbitraries.of(Channel.class),
                        Arbitraries.of(OrderType.class),
                        ids(),
                        ids(),
                        Arbitraries.of("203.0.113.7", "10.0.0.1", "2001:db8::1", "::1")
                                .injectNull(0.3),
                        currencies(),
                        lines().list().ofMinSize(1).ofMaxSize(5))
                .as(OrderPlaced::new);
        Arbitrary<OrderPaid> paid =
                Combinators.combine(amounts(), currencies(), ids()).as(OrderPaid::new);
        Arbitrary<OrderShipped> shipped = Combinators.combine(texts().injectNull(0.3), ids().injectNull(0.3))
                .as(OrderShipped::new);
        Arbitrary<OrderCancelled> cancelled = texts().map(OrderCancelled::new);
        return Arbitraries.oneOf(placed, paid, shipped, Arbitraries.just(new OrderDelivered()), cancelled);
    }

    static Arbitrary<EventData> inventoryData() {
        Arbitrary<Integer> quantities = Arbitraries.integers().between(1, 500);
        Arbitrary<Integer> deltas = Arbitraries.integers().between(-500, 500).filter(d -> d != 0);
        Arbitrary<String> orders = Arbitraries.of("ORD-1", "ORD-2", "ORD-3");
        return Arbitraries.oneOf(
                quantities.map(InventoryReceived::new),
                Combinators.combine(deltas, texts()).as(InventoryAdjusted::new),
                Combinators.combine(orders, quantities).as(InventoryReserved::new),
                Combinators.combine(orders, quantities).as(InventoryReleased::new),
                Combinators.combine(orders, quantities).as(InventoryShipped::new));
    }

    static Arbitrary<Map<String, String>> extensions() {
        Arbitrary<String> names = Arbitraries.strings()
                .withChars("abcxyz0189")
                .ofMinLength(1)
                .ofMaxLength(12)
                .filter(Extensions::isValidName);
        Arbitrary<Map<String, String>> others = Arbitraries.maps(names, texts()).ofMaxSize(3);
        return Combinators.combine(
                        others, Arbitraries.of("true", "blocklisted ip").injectNull(0.7))
                .as((map, flag) -> {
                    if (flag == null) {
                        return map;
                    }
                    Map<String, String> copy = new java.util.HashMap<>(map);
                    copy.put(Extensions.FRAUD_FLAG, flag);
                    return copy;
                });
    }

    /** Valid events of every type, for any aggregate. */
    public static Arbitrary<CloudEvent> events() {
        Arbitrary<CloudEvent> orders = Combinators.combine(ids(), orderData())
                .as((orderId, data) -> new Object[] {AggregateKey.order(orderId), data})
                .flatMap(pair -> envelope((AggregateKey) pair[0], (EventData) pair[1]));
        Arbitrary<CloudEvent> inventory = Combinators.combine(ids(), ids(), inventoryData())
                .as((sku, loc, data) -> new Object[] {AggregateKey.inventory(sku, loc), data})
                .flatMap(pair -> envelope((AggregateKey) pair[0], (EventData) pair[1]));
        return Arbitraries.oneOf(orders, inventory);
    }

    /** Valid events of one order, in any order and mix (including duplicate ids). */
    public static Arbitrary<CloudEvent> orderEvents(String orderId) {
        return orderData()
                .flatMap(data -> envelope(
                        AggregateKey.order(orderId),
                        data,
                        Arbitraries.of("E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8")));
    }

    /** Valid events of one SKU at one location, with a small id space so duplicates happen. */
    public static Arbitrary<CloudEvent> inventoryEvents(String sku, String locationId) {
        return inventoryData()
                .flatMap(data -> envelope(
                        AggregateKey.inventory(sku, locationId),
                        data,
                        Arbitraries.integers().between(1, 40).map(i -> "E" + i)));
    }

    private static Arbitrary<CloudEvent> envelope(AggregateKey key, EventData data) {
        return envelope(key, data, ids());
    }

    private static Arbitrary<CloudEvent> envelope(AggregateKey key, EventData data, Arbitrary<String> eventIds) {
        Arbitrary<String> sources = Arbitraries.of(
                "/ingest-service/http", "/ingest-service/kafka", "urn:retail:pos:42", "https://shop.example/api");
        return Combinators.combine(eventIds, sources, times(), extensions())
                .as((id, source, time, extensions) ->
                        CloudEvent.of(id, source, key, time, data).withExtensions(extensions));
    }
}
