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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A reproducible mixed stream for load, crash and benchmark runs: order lives (some cancelled, some with invalid
 * transitions), stock movements per SKU and location (some exceeding what is available, so ignored), and re-sent
 * duplicates, interleaved across aggregates while each aggregate's events keep their order.
 */
public final class Workload {

    /** Events in send order (duplicates included). */
    public final List<CloudEvent> events;
    /** Per aggregate, the distinct event ids in the order their first copy was sent: what must be stored. */
    public final Map<AggregateKey, List<String>> expected;

    private Workload(List<CloudEvent> events, Map<AggregateKey, List<String>> expected) {
        this.events = events;
        this.expected = expected;
    }

    /**
     * @param prefix makes ids unique per run
     * @param orders number of orders
     * @param stockPositions number of SKU@location aggregates
     * @param movementsPerPosition stock events per position
     * @param duplicateRate share of events sent a second time, later
     */
    public static Workload generate(
            String prefix, int orders, int stockPositions, int movementsPerPosition, double duplicateRate, long seed) {
        Random random = new Random(seed);
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(2, ChronoUnit.HOURS);
        List<Deque<CloudEvent>> streams = new ArrayList<>();
        int[] counter = {0};
        for (int o = 0; o < orders; o++) {
            AggregateKey key = AggregateKey.order(prefix + "-O" + o);
            Deque<CloudEvent> s = new ArrayDeque<>();
            s.add(event(prefix, counter, key, base, placed(random)));
            int shape = random.nextInt(10);
            if (shape < 6) { // placed, paid, shipped, delivered
                s.add(event(prefix, counter, key, base, paid()));
                s.add(event(prefix, counter, key, base, new OrderShipped("DHL", "T" + o)));
                s.add(event(prefix, counter, key, base, new OrderDelivered()));
            } else if (shape < 8) { // cancelled, then an ignored shipment
                s.add(event(prefix, counter, key, base, paid()));
                s.add(event(prefix, counter, key, base, new OrderCancelled("changed mind")));
                s.add(event(prefix, counter, key, base, new OrderShipped(null, null)));
            } else { // delivered before shipped (ignored), then cash on delivery
                s.add(event(prefix, counter, key, base, new OrderDelivered()));
                s.add(event(prefix, counter, key, base, new OrderShipped("UPS", null)));
                s.add(event(prefix, counter, key, base, new OrderDelivered()));
                s.add(event(prefix, counter, key, base, paid()));
            }
            streams.add(s);
        }
        for (int p = 0; p < stockPositions; p++) {
            AggregateKey key = AggregateKey.inventory(prefix + "-S" + (p / 4), "L" + (p % 4));
            Deque<CloudEvent> s = new ArrayDeque<>();
            List<String> open = new ArrayList<>();
            for (int m = 0; m < movementsPerPosition; m++) {
                int kind = m == 0 ? 0 : random.nextInt(10);
                EventData data;
                if (kind < 2) {
                    data = new InventoryReceived(1 + random.nextInt(20));
                } else if (kind < 6) {
                    String order = "R" + m;
                    open.add(order);
                    data = new InventoryReserved(order, 1 + random.nextInt(8)); // sometimes more than available
                } else if (kind < 8 && !open.isEmpty()) {
                    data = new InventoryReleased(open.remove(random.nextInt(open.size())), 1 + random.nextInt(3));
                } else if (kind < 9 && !open.isEmpty()) {
                    data = new InventoryShipped(open.get(random.nextInt(open.size())), 1 + random.nextInt(4));
                } else {
                    data = new InventoryAdjusted(random.nextBoolean() ? 3 : -5, "count");
                }
                s.add(event(prefix, counter, key, base, data));
            }
            streams.add(s);
        }

        List<CloudEvent> out = new ArrayList<>();
        Map<AggregateKey, LinkedHashSet<String>> expected = new LinkedHashMap<>();
        List<CloudEvent> sentSoFar = new ArrayList<>();
        List<Deque<CloudEvent>> live = new ArrayList<>(streams);
        while (!live.isEmpty()) {
            int i = random.nextInt(live.size());
            CloudEvent e = live.get(i).pollFirst();
            if (live.get(i).isEmpty()) {
                live.set(i, live.get(live.size() - 1));
                live.remove(live.size() - 1);
            }
            out.add(e);
            sentSoFar.add(e);
            expected.computeIfAbsent(e.aggregateKey(), k -> new LinkedHashSet<>())
                    .add(e.id());
            if (random.nextDouble() < duplicateRate) {
                // the same event again (same id), a little later in the stream
                CloudEvent dup = sentSoFar.get(Math.max(0, sentSoFar.size() - 1 - random.nextInt(50)));
                out.add(dup);
            }
        }
        Map<AggregateKey, List<String>> exp = new LinkedHashMap<>();
        expected.forEach((k, v) -> exp.put(k, List.copyOf(v)));
        return new Workload(List.copyOf(out), exp);
    }

    private static CloudEvent event(String prefix, int[] counter, AggregateKey key, Instant base, EventData data) {
        int n = counter[0]++;
        return CloudEvent.of(prefix + "-E" + n, "/workload", key, base.plusMillis(n), data);
    }

    private static OrderPlaced placed(Random random) {
        List<OrderLine> lines = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            lines.add(new OrderLine(
                    "SKU-" + random.nextInt(500),
                    1 + random.nextInt(4),
                    new BigDecimal(random.nextInt(10_000)).movePointLeft(2)));
        }
        return new OrderPlaced(
                "C-" + random.nextInt(10_000), Channel.APP, OrderType.EXTERNAL, "L1", "ADDR", null, "EUR", lines);
    }

    private static OrderPaid paid() {
        return new OrderPaid(new BigDecimal("10.00"), "EUR", "PAY");
    }
}
