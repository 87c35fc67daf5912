package io.retailstack.enricher;

import static io.retailstack.enricher.support.Scenario.cancelled;
import static io.retailstack.enricher.support.Scenario.delivered;
import static io.retailstack.enricher.support.Scenario.invShipped;
import static io.retailstack.enricher.support.Scenario.line;
import static io.retailstack.enricher.support.Scenario.paid;
import static io.retailstack.enricher.support.Scenario.placed;
import static io.retailstack.enricher.support.Scenario.received;
import static io.retailstack.enricher.support.Scenario.reserved;
import static io.retailstack.enricher.support.Scenario.shipped;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.enricher.service.RunMode;
import io.retailstack.enricher.service.RunReport;
import io.retailstack.enricher.service.ShardSpec;
import io.retailstack.enricher.support.EnricherTestBase;
import io.retailstack.enricher.support.Scenario;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.Extensions;
import io.retailstack.events.fold.OrderFold;
import io.retailstack.events.fold.OrderState;
import io.retailstack.events.fold.OrderStatus;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EnrichmentJobTest extends EnricherTestBase {

    private long locationKey(String id) {
        return ((Number) pg.one("SELECT location_key FROM bi.dim_location WHERE location_id = '" + id + "'"))
                .longValue();
    }

    private Map<String, Object> order(String id) {
        return pg.rows("SELECT * FROM bi.fact_order WHERE order_id = '" + id + "'")
                .get(0);
    }

    @Test
    void shouldWriteEnrichedFactsThatMatchTheEvents() {
        Instant base = Instant.now()
                .minus(3, ChronoUnit.HOURS)
                .truncatedTo(ChronoUnit.HOURS)
                .plusSeconds(600);
        String a = Scenario.newId("ORD-A");
        String b = Scenario.newId("ORD-B");
        String c = Scenario.newId("ORD-C");
        CloudEvent bPlaced = placed(
                        b,
                        base.plusSeconds(60),
                        "WH-FR-LYS",
                        "ST-FR-PAR-01",
                        "203.0.113.9",
                        List.of(line("SKU-LAP-002", 1, "999.99")))
                .withExtension(Extensions.FRAUD_FLAG, "blocklisted-ip");
        List<CloudEvent> events = List.of(
                placed(
                        a,
                        base,
                        "WH-DE-HAM",
                        "ST-DE-BER-01",
                        "10.0.0.1",
                        List.of(line("SKU-LAP-001", 1, "749.00"), line("SKU-LAP-003", 2, "10.50"))),
                bPlaced,
                placed(
                        c,
                        base.plusSeconds(120),
                        "LOC-NOWHERE",
                        "ST-DE-BER-01",
                        null,
                        List.of(line("SKU-NOPE", 5, "1.00"))),
                paid(a, base.plusSeconds(300), new BigDecimal("770.00")),
                cancelled(b, base.plusSeconds(600), "fraud"),
                shipped(a, base.plusSeconds(3600)),
                delivered(a, base.plusSeconds(7200)),
                received("SKU-LAP-001", "WH-DE-HAM", base.minusSeconds(60), 10),
                reserved("SKU-LAP-001", "WH-DE-HAM", base.plusSeconds(1), a, 1),
                invShipped("SKU-LAP-001", "WH-DE-HAM", base.plusSeconds(3601), a, 1));
        store.storeAll(events, events.stream().map(e -> e.time().plusMillis(50)).toList());

        RunReport report = job.run(ShardSpec.all());

        assertThat(report.status()).isEqualTo("SUCCEEDED");
        assertThat(report.eventsRead()).isEqualTo(10);
        assertThat(report.ordersFolded()).isEqualTo(3);
        assertThat(report.unknownLocationIds()).containsExactly("LOC-NOWHERE");
        assertThat(report.unknownSkus()).containsExactly("SKU-NOPE");
        assertThat(report.unknownRows()).isEqualTo(2); // order C and its line

        Map<String, Object> fa = order(a);
        assertThat(fa.get("status")).isEqualTo("DELIVERED");
        assertThat((BigDecimal) fa.get("total")).isEqualByComparingTo("770.00");
        assertThat(fa.get("units")).isEqualTo(3);
        assertThat(fa.get("line_count")).isEqualTo(2);
        assertThat(((Number) fa.get("from_location_key")).longValue()).isEqualTo(locationKey("WH-DE-HAM"));
        assertThat(((Number) fa.get("to_location_key")).longValue()).isEqualTo(locationKey("ST-DE-BER-01"));
        int dateKey = Integer.parseInt(
                base.atZone(ZoneOffset.UTC).toLocalDate().toString().replace("-", ""));
        assertThat(fa.get("placed_date_key")).isEqualTo(dateKey);
        assertThat(((Timestamp) fa.get("placed_at")).toInstant()).isEqualTo(base);
        assertThat(((Timestamp) fa.get("paid_at")).toInstant()).isEqualTo(base.plusSeconds(300));
        assertThat(((Timestamp) fa.get("delivered_at")).toInstant()).isEqualTo(base.plusSeconds(7200));
        assertThat(fa.get("flagged")).isEqualTo(false);
        assertThat(fa.get("ip_blocklisted")).isEqualTo(false);
        assertThat(fa.get("last_seq")).isEqualTo(4L);

        Map<String, Object> fb = order(b);
        assertThat(fb.get("status")).isEqualTo("CANCELLED");
        assertThat(fb.get("flagged")).isEqualTo(true);
        assertThat(fb.get("ip_blocklisted")).isEqualTo(true); // 203.0.113.0/24 is in fraud_ips.csv

        Map<String, Object> fc = order(c);
        assertThat(fc.get("from_location_key")).isEqualTo(-1);
        assertThat(((Number) fc.get("to_location_key")).longValue()).isEqualTo(locationKey("ST-DE-BER-01"));

        List<Map<String, Object>> lines = pg.rows("SELECT l.line_no, l.sku, l.quantity, l.line_total, l.list_price, "
                + "p.sku AS dim_sku FROM bi.fact_order_line l JOIN bi.dim_product p USING (product_key) "
                + "WHERE order_id = '" + a + "' ORDER BY line_no");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("dim_sku")).isEqualTo("SKU-LAP-001");
        assertThat((BigDecimal) lines.get(0).get("list_price")).isEqualByComparingTo("749.00");
        assertThat((BigDecimal) lines.get(1).get("line_total")).isEqualByComparingTo("21.00");
        assertThat(pg.one("SELECT product_key FROM bi.fact_order_line WHERE order_id = '" + c + "'"))
                .isEqualTo(-1);

        List<Map<String, Object>> moves = pg.rows("SELECT movement_type, on_hand_delta, reserved_delta, order_id "
                + "FROM bi.fact_inventory_movement ORDER BY event_time");
        assertThat(moves).extracting(m -> m.get("movement_type")).containsExactly("RECEIVED", "RESERVED", "SHIPPED");
        assertThat(moves).extracting(m -> m.get("on_hand_delta")).containsExactly(10, 0, -1);
        assertThat(moves).extracting(m -> m.get("reserved_delta")).containsExactly(0, 1, -1);

        Instant hour = base.truncatedTo(ChronoUnit.HOURS);
        Map<String, Object> berlin = pg.rows("SELECT * FROM bi.\"Hourly Sales by Location\" WHERE \"Location ID\" = "
                        + "'ST-DE-BER-01' AND \"Hour\" = '" + hour + "'")
                .get(0);
        assertThat(berlin.get("Orders")).isEqualTo(2); // A and C
        assertThat(((Number) berlin.get("Units")).longValue()).isEqualTo(8);
        assertThat((BigDecimal) berlin.get("Revenue")).isEqualByComparingTo("775.00");
        Map<String, Object> paris = pg.rows("SELECT * FROM bi.\"Hourly Sales by Location\" WHERE \"Location ID\" = "
                        + "'ST-FR-PAR-01' AND \"Hour\" = '" + hour + "'")
                .get(0);
        assertThat((BigDecimal) paris.get("Revenue")).isEqualByComparingTo("0");
        assertThat(paris.get("Cancelled Orders")).isEqualTo(1);
        assertThat(paris.get("Flagged Orders")).isEqualTo(1);

        assertThat(pg.one("SELECT status FROM ops.run WHERE run_id = " + report.runId()))
                .isEqualTo("SUCCEEDED");
        assertThat(pg.one("SELECT unknown_skus FROM ops.run WHERE run_id = " + report.runId()))
                .isEqualTo(1);
    }

    @Test
    void shouldChangeNoRowsWhenRerunWithoutNewData() {
        Instant now = Instant.now();
        store.storeTimed(Scenario.randomDay(7, 150, now.minus(Duration.ofHours(30)), Duration.ofHours(6)));
        RunReport first = job.run(ShardSpec.all());
        Map<String, String> before = pg.checksums();
        assertThat(first.totalRowsChanged()).isGreaterThan(150);

        RunReport again = job.run(ShardSpec.all());
        RunReport rebuilt = job.run(RunMode.REBUILD, ShardSpec.all(), now.minus(Duration.ofDays(3)));

        assertThat(again.rowsChanged())
                .allSatisfy((table, n) -> assertThat(n).as(table).isZero());
        assertThat(rebuilt.ordersFolded()).isEqualTo(first.ordersFolded());
        assertThat(rebuilt.rowsChanged())
                .allSatisfy((table, n) -> assertThat(n).as(table).isZero());
        assertThat(pg.checksums()).isEqualTo(before);
    }

    @Test
    void shouldPickUpAnEventRecordedLateIntoAnAlreadyProcessedBucket() {
        // the clock is pinned 5 minutes into the previous hour, so "10 minutes before the watermark" is an older
        // bucket that the first run read completely
        Instant t1 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofMinutes(55));
        String d = Scenario.newId("ORD-D");
        Instant placedAt = t1.minus(Duration.ofHours(2));
        store.store(
                placed(d, placedAt, "WH-DE-HAM", "ST-DE-MUC-01", null, List.of(line("SKU-LAP-001", 1, "749.00"))),
                placedAt);
        store.store(paid(d, placedAt.plusSeconds(60), new BigDecimal("749.00")), placedAt.plusSeconds(61));
        job.setClock(Clock.fixed(t1, ZoneOffset.UTC));
        RunReport first = job.run(ShardSpec.all());
        assertThat(first.watermark()).isEqualTo(t1);
        assertThat(order(d).get("status")).isEqualTo("PAID");

        Instant late = t1.minus(Duration.ofMinutes(10));
        assertThat(late.truncatedTo(ChronoUnit.HOURS)).isBefore(t1.truncatedTo(ChronoUnit.HOURS));
        store.store(shipped(d, late.minusSeconds(5)), late);
        job.setClock(Clock.fixed(t1.plus(Duration.ofMinutes(1)), ZoneOffset.UTC));
        RunReport second = job.run(ShardSpec.all());

        assertThat(order(d).get("status")).isEqualTo("SHIPPED");
        assertThat(order(d).get("last_seq")).isEqualTo(3L);
        assertThat(second.mergedFromFacts()).isEqualTo(1); // only seq 3 was new: folded onto the stored fact
        assertThat(second.overlapSkipped()).isZero(); // the window below the watermark changed: all of it processed
        assertThat(second.historyReads()).isZero();
        assertThat(second.rowsChanged().get("fact_order")).isEqualTo(1);
    }

    @Test
    void shouldSkipReReadEventsBelowTheWatermarkWhenNothingWasRecordedLateAmongThem() {
        Instant t1 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));
        List<Scenario.Timed> recent =
                Scenario.randomDay(11, 40, t1.minus(Duration.ofMinutes(20)), Duration.ofMinutes(15)).stream()
                        .filter(e -> e.recordedAt().isBefore(t1))
                        .toList();
        store.storeTimed(recent);
        job.setClock(Clock.fixed(t1, ZoneOffset.UTC));
        RunReport first = job.run(ShardSpec.all());
        assertThat(first.overlapSkipped()).isZero();
        Map<String, String> before = pg.checksums();

        job.setClock(Clock.fixed(t1.plus(Duration.ofMinutes(1)), ZoneOffset.UTC));
        RunReport again = job.run(ShardSpec.all());

        // every event is within the 30-minute overlap below the watermark t1, and all were enriched by the first run
        assertThat(again.eventsRead()).isEqualTo(recent.size());
        assertThat(again.overlapSkipped()).isEqualTo(recent.size());
        assertThat(again.ordersFolded()).isZero();
        assertThat(again.totalRowsChanged()).isZero();
        assertThat(pg.checksums()).isEqualTo(before);
    }

    @Test
    void shouldLeaveEventsOlderThanTheOverlapToRebuild() {
        Instant t1 = Instant.now().minus(Duration.ofMinutes(5));
        String e = Scenario.newId("ORD-E");
        Instant placedAt = t1.minus(Duration.ofHours(3));
        store.store(
                placed(e, placedAt, "WH-DE-HAM", "ST-DE-MUC-01", null, List.of(line("SKU-LAP-001", 1, "749.00"))),
                placedAt);
        job.setClock(Clock.fixed(t1, ZoneOffset.UTC));
        job.run(ShardSpec.all());
        Instant veryLate = t1.minus(config.run().overlap()).minus(Duration.ofMinutes(30));
        store.store(cancelled(e, veryLate, "too late"), veryLate);

        job.run(ShardSpec.all());
        assertThat(order(e).get("status")).isEqualTo("PLACED");

        job.run(RunMode.REBUILD, ShardSpec.all(), placedAt);
        assertThat(order(e).get("status")).isEqualTo("CANCELLED");
    }

    @Test
    void shouldRebuildFromTheWatermarkWhenItIsOlderThanFrom() {
        // the scheduled runs stopped at t0 for six hours; a rebuild of only the last hour must not jump the watermark
        // over the events recorded in between, which no later incremental run would read again
        Instant t0 = Instant.now().minus(Duration.ofHours(6));
        String early = Scenario.newId("ORD-EARLY");
        Instant earlyAt = t0.minus(Duration.ofMinutes(10));
        store.store(
                placed(early, earlyAt, "WH-DE-HAM", "ST-DE-MUC-01", null, List.of(line("SKU-LAP-001", 1, "749.00"))),
                earlyAt);
        job.setClock(Clock.fixed(t0, ZoneOffset.UTC));
        job.run(ShardSpec.all());
        assertThat(order(early).get("status")).isEqualTo("PLACED");

        String gap = Scenario.newId("ORD-GAP");
        Instant gapAt = t0.plus(Duration.ofHours(2));
        store.store(
                placed(gap, gapAt, "WH-DE-HAM", "ST-DE-MUC-01", null, List.of(line("SKU-LAP-001", 2, "749.00"))),
                gapAt);
        Instant t1 = Instant.now();
        job.setClock(Clock.fixed(t1, ZoneOffset.UTC));
        RunReport rebuilt = job.run(RunMode.REBUILD, ShardSpec.all(), t1.minus(Duration.ofHours(1)));

        assertThat(rebuilt.status()).isEqualTo("SUCCEEDED");
        assertThat(pg.rows("SELECT * FROM bi.fact_order WHERE order_id = '" + gap + "'"))
                .as("an order recorded between the old watermark and --from")
                .hasSize(1);
        assertThat(order(gap).get("units")).isEqualTo(2);
    }

    @Test
    void shouldReconcileOrderCountAndRevenueWithTheFoldOfTheEventStore() {
        Instant now = Instant.now();
        store.storeTimed(Scenario.randomDay(11, 400, now.minus(Duration.ofHours(40)), Duration.ofHours(20)));
        job.setChunkEvents(20); // chunks cut inside store shards: orders straddle them and need their history
        RunReport report = job.run(ShardSpec.all());
        assertThat(report.historyReads()).isPositive();

        Map<String, List<CloudEvent>> histories = store.orderHistories(store.orderIds());
        long orders = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        Map<String, Long> byStatus = new TreeMap<>();
        for (Map.Entry<String, List<CloudEvent>> h : histories.entrySet()) {
            OrderState s = OrderFold.fold(h.getKey(), h.getValue());
            if (s.status() == OrderStatus.NONE) {
                continue;
            }
            orders++;
            byStatus.merge(s.status().name(), 1L, Long::sum);
            if (s.status() != OrderStatus.CANCELLED) {
                revenue = revenue.add(s.total());
            }
        }
        assertThat(orders).isEqualTo(400);
        assertThat(pg.one("SELECT count(*) FROM bi.\"Orders\"")).isEqualTo(orders);
        assertThat((BigDecimal) pg.one("SELECT sum(\"Revenue\") FROM bi.\"Orders\""))
                .isEqualByComparingTo(revenue);
        assertThat(((Number) pg.one("SELECT sum(\"Orders\") FROM bi.\"Hourly Sales by Location\"")).longValue())
                .isEqualTo(orders);
        assertThat((BigDecimal) pg.one("SELECT sum(\"Revenue\") FROM bi.\"Hourly Sales by Location\""))
                .isEqualByComparingTo(revenue);
        Map<String, Long> biStatus = new TreeMap<>();
        pg.rows("SELECT \"Status\" AS s, count(*) AS n FROM bi.\"Orders\" GROUP BY 1")
                .forEach(r -> biStatus.put((String) r.get("s"), ((Number) r.get("n")).longValue()));
        assertThat(biStatus).isEqualTo(byStatus);

        // the same data in one chunk gives the same facts
        Map<String, String> chunked = pg.checksums();
        pg.resetFacts();
        job.setChunkEvents(0);
        job.run(ShardSpec.all());
        assertThat(pg.checksums()).isEqualTo(chunked);
    }

    private static final String HOURLY_ROWS = "SELECT concat_ws('|', hour, location_id, src_shard, orders, units, "
            + "revenue::numeric(18, 4), cancelled_orders, flagged_orders) AS r FROM bi.fact_location_hourly ORDER BY 1";

    // the hourly series as a recompute from the order facts would give it
    private static final String HOURLY_FROM_FACTS = "SELECT concat_ws('|', date_trunc('hour', placed_at, 'UTC'), "
            + "to_location_id, src_shard, count(*), sum(units), "
            + "coalesce(sum(total) FILTER (WHERE status <> 'CANCELLED'), 0)::numeric(18, 4), "
            + "count(*) FILTER (WHERE status = 'CANCELLED'), count(*) FILTER (WHERE flagged)) AS r "
            + "FROM bi.fact_order WHERE placed_at IS NOT NULL AND to_location_id IS NOT NULL "
            + "GROUP BY date_trunc('hour', placed_at, 'UTC'), to_location_id, src_shard ORDER BY 1";

    @Test
    void shouldKeepTheHourlySeriesEqualToTheOrderFactsAcrossIncrementalRuns() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.storeTimed(Scenario.randomDay(12, 300, now.minus(Duration.ofHours(30)), Duration.ofHours(20)));
        job.setClock(Clock.fixed(now.minus(Duration.ofHours(6)), ZoneOffset.UTC));
        job.run(ShardSpec.all());
        assertThat(pg.rows(HOURLY_ROWS)).isNotEmpty().isEqualTo(pg.rows(HOURLY_FROM_FACTS));

        // the next step of stored orders, recorded after the watermark: cancellations move revenue and counts
        // between the figures of a group, shipments and deliveries change none of them
        Instant at = now.minus(Duration.ofHours(5));
        List<Scenario.Timed> more = new java.util.ArrayList<>();
        for (Map<String, Object> row : pg.rows("SELECT order_id, status FROM bi.fact_order "
                + "WHERE status IN ('PLACED', 'PAID', 'SHIPPED') ORDER BY order_id LIMIT 150")) {
            String id = (String) row.get("order_id");
            CloudEvent next =
                    switch ((String) row.get("status")) {
                        case "PLACED" -> cancelled(id, at, "test");
                        case "PAID" -> more.size() % 2 == 0 ? cancelled(id, at, "test") : shipped(id, at);
                        default -> delivered(id, at);
                    };
            more.add(new Scenario.Timed(next, at.plusMillis(more.size())));
        }
        store.storeTimed(more);
        job.setClock(Clock.fixed(now, ZoneOffset.UTC));
        RunReport incremental = job.run(ShardSpec.all());
        assertThat(incremental.mergedFromFacts()).isPositive();
        assertThat(incremental.rowsChanged().get("fact_location_hourly")).isPositive();
        assertThat(pg.rows(HOURLY_ROWS)).isEqualTo(pg.rows(HOURLY_FROM_FACTS));

        assertThat(job.run(ShardSpec.all()).totalRowsChanged()).isZero();
        assertThat(pg.rows(HOURLY_ROWS)).isEqualTo(pg.rows(HOURLY_FROM_FACTS));
    }
}
