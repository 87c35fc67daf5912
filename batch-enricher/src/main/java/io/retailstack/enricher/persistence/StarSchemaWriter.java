package io.retailstack.enricher.persistence;

import io.retailstack.enricher.service.FactRows.LineRow;
import io.retailstack.enricher.service.FactRows.MovementRow;
import io.retailstack.enricher.service.FactRows.OrderRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Writes one chunk into the star schema inside the caller's transaction, with COPY only:
 *
 * <ul>
 *   <li>rows whose key is not in the target yet (checked in this transaction) are COPYed straight into it: the
 *       common case of a first load, written once;
 *   <li>rows that exist are COPYed into temporary staging tables (emptied at commit) and merged by one set-based
 *       upsert per target that updates a row only when something in it differs ({@code WHERE (target columns) IS
 *       DISTINCT FROM (new columns)}), so re-writing the same data changes 0 rows and the counts are real changes.
 *       Order facts always take this path; order lines and inventory movements never change once written, so
 *       existing ones take it only when rebuilding.
 * </ul>
 *
 * The hourly series is then recomputed, set-based, for the (hour, destination, store shard) groups the chunk's
 * orders fall in. Dimension keys arrive resolved (see {@code Dimensions}).
 */
@ApplicationScoped
public class StarSchemaWriter {
    private static final Logger LOG = Logger.getLogger(StarSchemaWriter.class);

    /** Rows inserted or updated per target table. */
    public record WriteResult(Map<String, Long> rowsChanged) {}

    public static final String ORDER_COLUMNS = "order_id, src_shard, status, customer_id, channel, order_type, "
            + "currency, from_location_id, to_location_id, from_location_key, to_location_key, placed_date_key, "
            + "line_count, units, total, placed_at, paid_at, shipped_at, delivered_at, cancelled_at, client_ip, "
            + "ip_blocklisted, flagged, version, last_seq, last_event_id";

    static final String LINE_COLUMNS = "order_id, line_no, src_shard, sku, product_key, from_location_key, "
            + "to_location_key, placed_date_key, currency, quantity, unit_price, line_total, list_price, "
            + "placed_at";

    static final String MOVEMENT_COLUMNS = "event_id, src_shard, sku, location_id, product_key, location_key, "
            + "date_key, movement_type, quantity, on_hand_delta, reserved_delta, order_id, reason, event_time, "
            + "recorded_at, seq";

    // Created once per session (the run's connection) and emptied at every commit: no catalog churn per chunk.
    private static final String STAGING =
            """
            CREATE TEMP TABLE IF NOT EXISTS stg_order ON COMMIT DELETE ROWS AS
                SELECT %s FROM bi.fact_order WITH NO DATA;
            CREATE TEMP TABLE IF NOT EXISTS stg_line ON COMMIT DELETE ROWS AS
                SELECT %s FROM bi.fact_order_line WITH NO DATA;
            CREATE TEMP TABLE IF NOT EXISTS stg_movement ON COMMIT DELETE ROWS AS
                SELECT %s FROM bi.fact_inventory_movement WITH NO DATA;
            CREATE TEMP TABLE IF NOT EXISTS stg_hour (hour timestamptz, location_id text, src_shard smallint)
                ON COMMIT DELETE ROWS;
            CREATE TEMP TABLE IF NOT EXISTS stg_hour_delta (hour timestamptz, location_id text, src_shard smallint,
                orders integer, units bigint, revenue numeric(18, 4), cancelled_orders integer, flagged_orders integer)
                ON COMMIT DELETE ROWS;
            """
                    .formatted(ORDER_COLUMNS, LINE_COLUMNS, MOVEMENT_COLUMNS);

    private static final String UPSERT_ORDER =
            upsert("bi.fact_order", ORDER_COLUMNS, "order_id", "stg_order", "excluded.last_seq >= t.last_seq AND ");

    private static final String UPSERT_LINE =
            upsert("bi.fact_order_line", LINE_COLUMNS, "order_id, line_no", "stg_line", "");

    private static final String UPSERT_MOVEMENT =
            upsert("bi.fact_inventory_movement", MOVEMENT_COLUMNS, "event_id", "stg_movement", "");

    // Recomputes the (hour, destination, event-store shard) groups touched by this chunk from the order facts.
    // Only this enricher shard writes orders of these event-store shards, so the aggregate it reads is complete.
    private static final String UPSERT_HOURLY =
            """
            INSERT INTO bi.fact_location_hourly AS t (hour, location_id, src_shard, orders, units, revenue,
                cancelled_orders, flagged_orders)
            SELECT a.hour, a.location_id, a.src_shard, count(*), sum(o.units),
                coalesce(sum(o.total) FILTER (WHERE o.status <> 'CANCELLED'), 0),
                count(*) FILTER (WHERE o.status = 'CANCELLED'), count(*) FILTER (WHERE o.flagged)
            FROM (SELECT DISTINCT hour, location_id, src_shard FROM stg_hour) a
            JOIN bi.fact_order o ON o.to_location_id = a.location_id AND o.placed_at >= a.hour
                 AND o.placed_at < a.hour + interval '1 hour' AND o.src_shard = a.src_shard
            GROUP BY a.hour, a.location_id, a.src_shard
            ON CONFLICT (hour, location_id, src_shard) DO UPDATE SET
                orders = excluded.orders, units = excluded.units, revenue = excluded.revenue,
                cancelled_orders = excluded.cancelled_orders, flagged_orders = excluded.flagged_orders,
                enriched_at = now()
            WHERE (t.orders, t.units, t.revenue, t.cancelled_orders, t.flagged_orders)
                  IS DISTINCT FROM
                  (excluded.orders, excluded.units, excluded.revenue, excluded.cancelled_orders,
                   excluded.flagged_orders)
            """;

    // Adds the chunk's changes to the (hour, destination, event-store shard) groups: what the orders written now
    // contribute minus what the same orders' stored facts contributed. Only groups with a change are staged.
    private static final String UPSERT_HOURLY_DELTA =
            """
            INSERT INTO bi.fact_location_hourly AS t (hour, location_id, src_shard, orders, units, revenue,
                cancelled_orders, flagged_orders)
            SELECT hour, location_id, src_shard, orders, units, revenue, cancelled_orders, flagged_orders
            FROM stg_hour_delta
            ON CONFLICT (hour, location_id, src_shard) DO UPDATE SET
                orders = t.orders + excluded.orders, units = t.units + excluded.units,
                revenue = t.revenue + excluded.revenue, cancelled_orders = t.cancelled_orders + excluded.cancelled_orders,
                flagged_orders = t.flagged_orders + excluded.flagged_orders, enriched_at = now()
            """;

    /** INSERT … SELECT … ON CONFLICT DO UPDATE of every non-key column, only where something differs. */
    static String upsert(String target, String columns, String key, String staging, String guard) {
        Set<String> keys = Set.of(key.split(",\\s*"));
        List<String> updated = new ArrayList<>();
        for (String column : columns.split(",\\s*")) {
            if (!keys.contains(column)) {
                updated.add(column);
            }
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ")
                .append(target)
                .append(" AS t (")
                .append(columns)
                .append(") SELECT ")
                .append(columns)
                .append(" FROM ")
                .append(staging)
                .append(" ON CONFLICT (")
                .append(key)
                .append(") DO UPDATE SET ");
        for (String column : updated) {
            sql.append(column).append(" = excluded.").append(column).append(", ");
        }
        sql.append("enriched_at = now() WHERE ").append(guard).append('(');
        sql.append(String.join(", ", updated.stream().map(c -> "t." + c).toList()));
        sql.append(") IS DISTINCT FROM (");
        sql.append(String.join(", ", updated.stream().map(c -> "excluded." + c).toList()));
        return sql.append(')').toString();
    }

    /** One group of the hourly series: (UTC hour, destination, event-store shard). */
    public record HourGroup(Instant hour, String locationId, int srcShard) {
        /** The group an order fact counts in; null if it has no placement time or destination. */
        public static HourGroup of(Instant placedAt, String toLocationId, int srcShard) {
            return placedAt == null || toLocationId == null
                    ? null
                    : new HourGroup(placedAt.truncatedTo(ChronoUnit.HOURS), toLocationId, srcShard);
        }
    }

    /** The change of one hourly group's figures. Mutable; not thread-safe. */
    public static final class HourDelta {
        long orders;
        long units;
        BigDecimal revenue = BigDecimal.ZERO;
        long cancelled;
        long flagged;

        /** Adds ({@code sign} 1) or removes ({@code sign} -1) one order fact's contribution. */
        public void add(int sign, String status, int orderUnits, BigDecimal total, boolean orderFlagged) {
            boolean isCancelled = "CANCELLED".equals(status);
            orders += sign;
            units += (long) sign * orderUnits;
            if (!isCancelled && total != null) {
                revenue = sign > 0 ? revenue.add(total) : revenue.subtract(total);
            }
            cancelled += isCancelled ? sign : 0;
            flagged += orderFlagged ? sign : 0;
        }

        public boolean isZero() {
            return orders == 0 && units == 0 && revenue.signum() == 0 && cancelled == 0 && flagged == 0;
        }
    }

    /**
     * What the caller already knows about a chunk, so the writer can skip lookups and recomputes.
     *
     * @param ordersStored order ids among the chunk's orders known to have a fact row (facts are never deleted)
     * @param ordersStoredComplete whether {@code ordersStored} is all of them: the caller looked them up under the
     *     shard's lock and no uncommitted chunk of the run holds any of these orders; otherwise the rest is looked up
     * @param movementMayExist false for a movement the caller knows is not stored yet (an event recorded at or after
     *     its store shard's watermark, under the shard's lock: no committed chunk can hold it)
     * @param hourlyGroups the hourly groups whose figures can have changed; null: those of every order of the chunk
     * @param hourlyDeltas if not null, the change of each hourly group (the chunk's order rows minus the stored facts
     *     they replace, complete as {@code ordersStoredComplete} says), applied instead of recomputing the groups
     *     from the facts
     */
    public record Hints(
            Set<String> ordersStored,
            boolean ordersStoredComplete,
            java.util.function.Predicate<MovementRow> movementMayExist,
            Collection<HourGroup> hourlyGroups,
            Map<HourGroup, HourDelta> hourlyDeltas) {
        /** Nothing known: every key is looked up, every order's hour recomputed. */
        public static final Hints NONE = new Hints(Set.of(), false, m -> true, null, null);
    }

    /** Writes one chunk. The caller owns the transaction. */
    public WriteResult write(
            Connection c,
            Collection<OrderRow> orders,
            Collection<LineRow> lines,
            Collection<MovementRow> movements,
            boolean rewriteImmutable)
            throws SQLException {
        return write(c, orders, lines, movements, Hints.NONE, rewriteImmutable);
    }

    /** Writes one chunk, sparing the lookups {@code hints} make unnecessary. The caller owns the transaction. */
    public WriteResult write(
            Connection c,
            Collection<OrderRow> orders,
            Collection<LineRow> lines,
            Collection<MovementRow> movements,
            Hints hints,
            boolean rewriteImmutable)
            throws SQLException {
        long t0 = System.nanoTime();
        boolean hourlyWork = hints.hourlyGroups() == null
                || !hints.hourlyGroups().isEmpty()
                || (hints.hourlyDeltas() != null && !hints.hourlyDeltas().isEmpty());
        if (orders.isEmpty() && lines.isEmpty() && movements.isEmpty() && !hourlyWork) {
            // e.g. a chunk of re-read events known to be enriched already: not even the staging tables are needed
            return new WriteResult(Map.of(
                    "fact_order",
                    0L,
                    "fact_order_line",
                    0L,
                    "fact_inventory_movement",
                    0L,
                    "fact_location_hourly",
                    0L));
        }
        try (Statement st = c.createStatement()) {
            st.execute(STAGING);
        }
        Set<String> existingOrders = new HashSet<>(hints.ordersStored());
        if (!hints.ordersStoredComplete()) {
            existingOrders.addAll(existing(
                    c,
                    "bi.fact_order",
                    "order_id",
                    orders.stream()
                            .map(OrderRow::orderId)
                            .filter(id -> !hints.ordersStored().contains(id))
                            .toList()));
        }
        Set<String> existingMovements = existing(
                c,
                "bi.fact_inventory_movement",
                "event_id",
                movements.stream()
                        .filter(m ->
                                rewriteImmutable || hints.movementMayExist().test(m))
                        .map(MovementRow::eventId)
                        .toList());
        long tLookups = System.nanoTime();

        Map<String, Long> changed = new LinkedHashMap<>();
        long newOrders;
        long newLines;
        long newMovements;
        newOrders = copy(
                c,
                "bi.fact_order",
                ORDER_COLUMNS,
                orders,
                r -> !existingOrders.contains(r.orderId()),
                StarSchemaWriter::writeOrder);
        long stagedOrders = copy(
                c,
                "stg_order",
                ORDER_COLUMNS,
                orders,
                r -> existingOrders.contains(r.orderId()),
                StarSchemaWriter::writeOrder);
        newLines = copy(
                c,
                "bi.fact_order_line",
                LINE_COLUMNS,
                lines,
                r -> !existingOrders.contains(r.orderId()),
                StarSchemaWriter::writeLine);
        // lines of an existing order are as placed: rewritten (through the upsert) only when rebuilding
        long stagedLines = !rewriteImmutable
                ? 0
                : copy(
                        c,
                        "stg_line",
                        LINE_COLUMNS,
                        lines,
                        r -> existingOrders.contains(r.orderId()),
                        StarSchemaWriter::writeLine);
        newMovements = copy(
                c,
                "bi.fact_inventory_movement",
                MOVEMENT_COLUMNS,
                movements,
                r -> !existingMovements.contains(r.eventId()),
                StarSchemaWriter::writeMovement);
        // an inventory event is immutable: one already stored is re-merged only when rebuilding
        long stagedMovements = !rewriteImmutable
                ? 0
                : copy(
                        c,
                        "stg_movement",
                        MOVEMENT_COLUMNS,
                        movements,
                        r -> existingMovements.contains(r.eventId()),
                        StarSchemaWriter::writeMovement);
        Set<HourGroup> hours = new HashSet<>();
        long stagedDeltas = 0;
        if (hints.hourlyDeltas() != null) {
            if (!hints.hourlyDeltas().isEmpty()) {
                try (CopyWriter w = CopyWriter.open(
                        c,
                        "stg_hour_delta",
                        "hour, location_id, src_shard, orders, units, revenue, cancelled_orders, flagged_orders")) {
                    for (Map.Entry<HourGroup, HourDelta> e :
                            hints.hourlyDeltas().entrySet()) {
                        HourGroup g = e.getKey();
                        HourDelta d = e.getValue();
                        if (g == null || d.isZero()) {
                            continue;
                        }
                        w.time(g.hour())
                                .text(g.locationId())
                                .number(g.srcShard())
                                .number(d.orders)
                                .number(d.units)
                                .number(d.revenue)
                                .number(d.cancelled)
                                .number(d.flagged);
                        w.endRow();
                    }
                    stagedDeltas = w.finish();
                }
            }
        } else if (hints.hourlyGroups() == null) {
            for (OrderRow r : orders) {
                HourGroup g = HourGroup.of(r.placedAt(), r.toLocationId(), r.srcShard());
                if (g != null) {
                    hours.add(g);
                }
            }
        } else {
            for (HourGroup g : hints.hourlyGroups()) {
                if (g != null) {
                    hours.add(g);
                }
            }
        }
        if (!hours.isEmpty()) {
            try (CopyWriter w = CopyWriter.open(c, "stg_hour", "hour, location_id, src_shard")) {
                for (HourGroup g : hours) {
                    w.time(g.hour()).text(g.locationId()).number(g.srcShard());
                    w.endRow();
                }
                w.finish();
            }
        }
        long t1 = System.nanoTime();
        long tOrders;
        try (Statement st = c.createStatement()) {
            changed.put("fact_order", newOrders + (stagedOrders == 0 ? 0 : st.executeUpdate(UPSERT_ORDER)));
            tOrders = System.nanoTime();
            // (staged rows are only those whose key exists, so each upsert is an update or nothing)
            changed.put("fact_order_line", newLines + (stagedLines == 0 ? 0 : st.executeUpdate(UPSERT_LINE)));
            changed.put(
                    "fact_inventory_movement",
                    newMovements + (stagedMovements == 0 ? 0 : st.executeUpdate(UPSERT_MOVEMENT)));
            long hourly = hours.isEmpty() ? 0L : st.executeUpdate(UPSERT_HOURLY);
            hourly += stagedDeltas == 0 ? 0L : st.executeUpdate(UPSERT_HOURLY_DELTA);
            changed.put("fact_location_hourly", hourly);
        }
        long t2 = System.nanoTime();
        LOG.debugf(
                "lookups %d ms, copy %d ms (new: %d orders, %d lines, %d movements; %d orders staged), order upsert "
                        + "%d ms, hourly (%d groups) and other upserts %d ms",
                (tLookups - t0) / 1_000_000,
                (t1 - tLookups) / 1_000_000,
                newOrders,
                newLines,
                newMovements,
                stagedOrders,
                (tOrders - t1) / 1_000_000,
                hours.size() + stagedDeltas,
                (t2 - tOrders) / 1_000_000);
        return new WriteResult(changed);
    }

    private static Set<String> existing(Connection c, String table, String key, List<String> ids) throws SQLException {
        Set<String> out = new HashSet<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + key + " FROM " + table + " WHERE " + key + " = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private interface RowWriter<T> {
        void write(CopyWriter w, T row);
    }

    private static <T> long copy(
            Connection c,
            String table,
            String columns,
            Collection<T> rows,
            java.util.function.Predicate<T> include,
            RowWriter<T> writer)
            throws SQLException {
        if (rows.stream().noneMatch(include)) {
            return 0;
        }
        try (CopyWriter w = CopyWriter.open(c, table, columns)) {
            for (T r : rows) {
                if (include.test(r)) {
                    writer.write(w, r);
                    w.endRow();
                }
            }
            return w.finish();
        }
    }

    /** One order row in {@link #ORDER_COLUMNS} order (shared with the benchmark's raw COPY). */
    public static void writeOrder(CopyWriter w, OrderRow r) {
        w.text(r.orderId())
                .number(r.srcShard())
                .text(r.status())
                .text(r.customerId())
                .text(r.channel())
                .text(r.orderType())
                .text(r.currency())
                .text(r.fromLocationId())
                .text(r.toLocationId())
                .number(r.fromLocationKey())
                .number(r.toLocationKey())
                .number(r.placedDateKey())
                .number(r.lineCount())
                .number(r.units())
                .number(r.total())
                .time(r.placedAt())
                .time(r.paidAt())
                .time(r.shippedAt())
                .time(r.deliveredAt())
                .time(r.cancelledAt())
                .text(r.clientIp())
                .bool(r.ipBlocklisted())
                .bool(r.flagged())
                .number(r.version())
                .number(r.lastSeq())
                .text(r.lastEventId());
    }

    private static void writeLine(CopyWriter w, LineRow r) {
        w.text(r.orderId())
                .number(r.lineNo())
                .number(r.srcShard())
                .text(r.sku())
                .number(r.productKey())
                .number(r.fromLocationKey())
                .number(r.toLocationKey())
                .number(r.placedDateKey())
                .text(r.currency())
                .number(r.quantity())
                .number(r.unitPrice())
                .number(r.lineTotal())
                .number(r.listPrice())
                .time(r.placedAt());
    }

    private static void writeMovement(CopyWriter w, MovementRow r) {
        w.text(r.eventId())
                .number(r.srcShard())
                .text(r.sku())
                .text(r.locationId())
                .number(r.productKey())
                .number(r.locationKey())
                .number(r.dateKey())
                .text(r.movementType())
                .number(r.quantity())
                .number(r.onHandDelta())
                .number(r.reservedDelta())
                .text(r.orderId())
                .text(r.reason())
                .time(r.eventTime())
                .time(r.recordedAt())
                .number(r.seq());
    }
}
