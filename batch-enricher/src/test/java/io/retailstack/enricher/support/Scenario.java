package io.retailstack.enricher.support;

import io.retailstack.enricher.reference.CsvTable;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.Extensions;
import io.retailstack.events.data.Channel;
import io.retailstack.events.data.EventData;
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
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** Builds contract events, one by one or as a seeded random retail day. */
public final class Scenario {
    private static final String SOURCE = "/test/batch-enricher";
    private static final AtomicLong IDS = new AtomicLong();

    private Scenario() {}

    /** An event and when the writer recorded it. */
    public record Timed(CloudEvent event, Instant recordedAt) {}

    public static String newId(String prefix) {
        return prefix + "-" + System.nanoTime() + "-" + IDS.incrementAndGet();
    }

    private static CloudEvent event(AggregateKey key, Instant time, EventData data) {
        return CloudEvent.of(newId("EVT"), SOURCE, key, time, data);
    }

    public static CloudEvent placed(
            String orderId, Instant time, String from, String to, String clientIp, List<OrderLine> lines) {
        return event(
                AggregateKey.order(orderId),
                time,
                new OrderPlaced(
                        "CUST-" + Math.abs(orderId.hashCode() % 1000),
                        Channel.WEB,
                        OrderType.EXTERNAL,
                        from,
                        to,
                        clientIp,
                        "EUR",
                        lines));
    }

    public static OrderLine line(String sku, int quantity, String unitPrice) {
        return new OrderLine(sku, quantity, new BigDecimal(unitPrice));
    }

    public static CloudEvent paid(String orderId, Instant time, BigDecimal amount) {
        return event(AggregateKey.order(orderId), time, new OrderPaid(amount, "EUR", "PAY-" + orderId));
    }

    public static CloudEvent shipped(String orderId, Instant time) {
        return event(AggregateKey.order(orderId), time, new OrderShipped("DHL", "TRK-" + orderId));
    }

    public static CloudEvent delivered(String orderId, Instant time) {
        return event(AggregateKey.order(orderId), time, new OrderDelivered());
    }

    public static CloudEvent cancelled(String orderId, Instant time, String reason) {
        return event(AggregateKey.order(orderId), time, new OrderCancelled(reason));
    }

    public static CloudEvent received(String sku, String location, Instant time, int quantity) {
        return event(AggregateKey.inventory(sku, location), time, new InventoryReceived(quantity));
    }

    public static CloudEvent reserved(String sku, String location, Instant time, String orderId, int quantity) {
        return event(AggregateKey.inventory(sku, location), time, new InventoryReserved(orderId, quantity));
    }

    public static CloudEvent released(String sku, String location, Instant time, String orderId, int quantity) {
        return event(AggregateKey.inventory(sku, location), time, new InventoryReleased(orderId, quantity));
    }

    public static CloudEvent invShipped(String sku, String location, Instant time, String orderId, int quantity) {
        return event(AggregateKey.inventory(sku, location), time, new InventoryShipped(orderId, quantity));
    }

    public static List<String> bundledIds(String file, String column) {
        try (var in = Scenario.class.getClassLoader().getResourceAsStream("reference/" + file)) {
            return CsvTable.read(new InputStreamReader(in, StandardCharsets.UTF_8)).stream()
                    .map(r -> r.get(column))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A seeded random workload: {@code orders} orders placed uniformly in {@code [start, start + span)}, each moving
     * on (paid, shipped, delivered, or cancelled) minutes to hours later, with inventory reservations, shipments and
     * releases, plus goods receipts. Recording time is event time plus a small writer delay. Sorted by recording time.
     */
    public static List<Timed> randomDay(long seed, int orders, Instant start, Duration span) {
        Random rnd = new Random(seed);
        List<String> locations = bundledIds("locations.csv", "location_id");
        List<String> skus = bundledIds("products.csv", "sku");
        List<Timed> out = new ArrayList<>();
        long spanMs = span.toMillis();
        for (int o = 0; o < orders; o++) {
            String orderId = "ORD-" + seed + "-" + o;
            Instant t = start.plusMillis((long) (rnd.nextDouble() * spanMs));
            String from = locations.get(rnd.nextInt(locations.size()));
            String to = locations.get(rnd.nextInt(locations.size()));
            List<OrderLine> lines = new ArrayList<>();
            int n = 1 + rnd.nextInt(3);
            for (int l = 0; l < n; l++) {
                lines.add(line(
                        skus.get(rnd.nextInt(skus.size())),
                        1 + rnd.nextInt(4),
                        BigDecimal.valueOf(100 + rnd.nextInt(99_900), 2).toPlainString()));
            }
            String ip = rnd.nextInt(50) == 0 ? "203.0.113." + rnd.nextInt(255) : "10.1." + rnd.nextInt(255) + ".7";
            CloudEvent placed = placed(orderId, t, from, to, ip, lines);
            if (rnd.nextInt(40) == 0) {
                placed = placed.withExtension(Extensions.FRAUD_FLAG, "blocklisted-ip");
            }
            add(out, placed, rnd);
            for (OrderLine line : lines) {
                add(out, reserved(line.sku(), from, t.plusMillis(5), orderId, line.quantity()), rnd);
            }
            BigDecimal total = lines.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
            int fate = rnd.nextInt(10);
            Instant t2 = t.plusSeconds(60 + rnd.nextInt(3600));
            if (fate == 0) {
                add(out, cancelled(orderId, t2, "customer changed mind"), rnd);
                for (OrderLine line : lines) {
                    add(out, released(line.sku(), from, t2.plusMillis(5), orderId, line.quantity()), rnd);
                }
                continue;
            }
            if (fate >= 2) {
                add(out, paid(orderId, t2, total), rnd);
            }
            if (fate >= 4) {
                Instant t3 = t2.plusSeconds(600 + rnd.nextInt(7200));
                add(out, shipped(orderId, t3), rnd);
                for (OrderLine line : lines) {
                    add(out, invShipped(line.sku(), from, t3.plusMillis(5), orderId, line.quantity()), rnd);
                }
                if (fate >= 6) {
                    add(out, delivered(orderId, t3.plusSeconds(3600 + rnd.nextInt(36_000))), rnd);
                }
            }
            if (rnd.nextInt(5) == 0) {
                add(
                        out,
                        received(skus.get(rnd.nextInt(skus.size())), from, t.plusSeconds(30), 10 + rnd.nextInt(50)),
                        rnd);
            }
        }
        out.sort(Comparator.comparing(Timed::recordedAt));
        return out;
    }

    private static void add(List<Timed> out, CloudEvent e, Random rnd) {
        out.add(new Timed(e, e.time().plusMillis(1 + rnd.nextInt(200))));
    }

    /** Drops everything recorded at or after {@code cutoff}: the store as it was at that moment. */
    public static List<Timed> recordedBefore(List<Timed> events, Instant cutoff) {
        return events.stream().filter(t -> t.recordedAt().isBefore(cutoff)).toList();
    }
}
