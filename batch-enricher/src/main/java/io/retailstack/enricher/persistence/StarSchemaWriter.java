package io.retailstack.enricher.persistence;

import io.retailstack.enricher.service.FactRows.LineRow;
import io.retailstack.enricher.service.FactRows.MovementRow;
import io.retailstack.enricher.service.FactRows.OrderRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one chunk into the star schema inside the caller's transaction: COPY into temporary staging tables (dropped
 * at commit), then one set-based upsert per target. Every upsert updates a row only when something in it differs
 * ({@code WHERE (target columns) IS DISTINCT FROM (new columns)}), so re-writing the same data changes 0 rows and the
 * reported counts are the real changes. Dimension keys are looked up in the same statements; an id missing from the
 * reference data gets key -1, the "unknown" member.
 */
@ApplicationScoped
public class StarSchemaWriter {

    /** What a chunk changed. */
    public record WriteResult(
            Map<String, Long> rowsChanged,
            List<String> unknownLocationIds,
            List<String> unknownSkus,
            long unknownRows) {}

    static final String ORDER_COLUMNS = "order_id, src_shard, status, customer_id, channel, order_type, currency, "
            + "from_location_id, to_location_id, placed_date_key, line_count, units, total, placed_at, paid_at, "
            + "shipped_at, delivered_at, cancelled_at, client_ip, flagged, version, last_seq, last_event_id";

    static final String LINE_COLUMNS = "order_id, line_no, src_shard, sku, from_location_id, to_location_id, "
            + "placed_date_key, status, currency, quantity, unit_price, line_total, placed_at";

    static final String MOVEMENT_COLUMNS = "event_id, src_shard, sku, location_id, date_key, movement_type, quantity, "
            + "on_hand_delta, reserved_delta, order_id, reason, event_time, recorded_at, seq";

    private static final String STAGING =
            """
            CREATE TEMP TABLE stg_order (
                order_id text, src_shard smallint, status text, customer_id text, channel text, order_type text,
                currency text, from_location_id text, to_location_id text, placed_date_key integer,
                line_count integer, units integer, total numeric(18,4), placed_at timestamptz, paid_at timestamptz,
                shipped_at timestamptz, delivered_at timestamptz, cancelled_at timestamptz, client_ip inet,
                flagged boolean, version bigint, last_seq bigint, last_event_id text) ON COMMIT DROP;
            CREATE TEMP TABLE stg_line (
                order_id text, line_no integer, src_shard smallint, sku text, from_location_id text,
                to_location_id text, placed_date_key integer, status text, currency text, quantity integer,
                unit_price numeric(18,4), line_total numeric(18,4), placed_at timestamptz) ON COMMIT DROP;
            CREATE TEMP TABLE stg_movement (
                event_id text, src_shard smallint, sku text, location_id text, date_key integer,
                movement_type text, quantity integer, on_hand_delta integer, reserved_delta integer, order_id text,
                reason text, event_time timestamptz, recorded_at timestamptz, seq bigint) ON COMMIT DROP;
            """;

    private static final String UPSERT_ORDER =
            """
            INSERT INTO bi.fact_order AS t (order_id, src_shard, status, customer_id, channel, order_type, currency,
                from_location_id, to_location_id, from_location_key, to_location_key, placed_date_key, line_count,
                units, total, placed_at, paid_at, shipped_at, delivered_at, cancelled_at, client_ip, ip_blocklisted,
                flagged, version, last_seq, last_event_id)
            SELECT s.order_id, s.src_shard, s.status, s.customer_id, s.channel, s.order_type, s.currency,
                s.from_location_id, s.to_location_id, coalesce(lf.location_key, -1), coalesce(lt.location_key, -1),
                s.placed_date_key, s.line_count, s.units, s.total, s.placed_at, s.paid_at, s.shipped_at,
                s.delivered_at, s.cancelled_at, s.client_ip,
                s.client_ip IS NOT NULL AND EXISTS (SELECT 1 FROM ref.fraud_ip f WHERE f.ip_or_cidr >>= s.client_ip),
                s.flagged, s.version, s.last_seq, s.last_event_id
            FROM stg_order s
            LEFT JOIN bi.dim_location lf ON lf.location_id = s.from_location_id
            LEFT JOIN bi.dim_location lt ON lt.location_id = s.to_location_id
            ON CONFLICT (order_id) DO UPDATE SET
                src_shard = excluded.src_shard, status = excluded.status, customer_id = excluded.customer_id,
                channel = excluded.channel, order_type = excluded.order_type, currency = excluded.currency,
                from_location_id = excluded.from_location_id, to_location_id = excluded.to_location_id,
                from_location_key = excluded.from_location_key, to_location_key = excluded.to_location_key,
                placed_date_key = excluded.placed_date_key, line_count = excluded.line_count, units = excluded.units,
                total = excluded.total, placed_at = excluded.placed_at, paid_at = excluded.paid_at,
                shipped_at = excluded.shipped_at, delivered_at = excluded.delivered_at,
                cancelled_at = excluded.cancelled_at, client_ip = excluded.client_ip,
                ip_blocklisted = excluded.ip_blocklisted, flagged = excluded.flagged, version = excluded.version,
                last_seq = excluded.last_seq, last_event_id = excluded.last_event_id, enriched_at = now()
            WHERE excluded.last_seq >= t.last_seq
              AND (t.src_shard, t.status, t.customer_id, t.channel, t.order_type, t.currency, t.from_location_id,
                   t.to_location_id, t.from_location_key, t.to_location_key, t.placed_date_key, t.line_count, t.units,
                   t.total, t.placed_at, t.paid_at, t.shipped_at, t.delivered_at, t.cancelled_at, t.client_ip,
                   t.ip_blocklisted, t.flagged, t.version, t.last_seq, t.last_event_id)
                  IS DISTINCT FROM
                  (excluded.src_shard, excluded.status, excluded.customer_id, excluded.channel, excluded.order_type,
                   excluded.currency, excluded.from_location_id, excluded.to_location_id, excluded.from_location_key,
                   excluded.to_location_key, excluded.placed_date_key, excluded.line_count, excluded.units,
                   excluded.total, excluded.placed_at, excluded.paid_at, excluded.shipped_at, excluded.delivered_at,
                   excluded.cancelled_at, excluded.client_ip, excluded.ip_blocklisted, excluded.flagged,
                   excluded.version, excluded.last_seq, excluded.last_event_id)
            """;

    private static final String UPSERT_LINE =
            """
            INSERT INTO bi.fact_order_line AS t (order_id, line_no, src_shard, sku, product_key, from_location_key,
                to_location_key, placed_date_key, status, currency, quantity, unit_price, line_total, list_price,
                placed_at)
            SELECT s.order_id, s.line_no, s.src_shard, s.sku, coalesce(p.product_key, -1),
                coalesce(lf.location_key, -1), coalesce(lt.location_key, -1), s.placed_date_key, s.status,
                s.currency, s.quantity, s.unit_price, s.line_total, p.list_price, s.placed_at
            FROM stg_line s
            LEFT JOIN bi.dim_product p ON p.sku = s.sku
            LEFT JOIN bi.dim_location lf ON lf.location_id = s.from_location_id
            LEFT JOIN bi.dim_location lt ON lt.location_id = s.to_location_id
            ON CONFLICT (order_id, line_no) DO UPDATE SET
                src_shard = excluded.src_shard, sku = excluded.sku, product_key = excluded.product_key,
                from_location_key = excluded.from_location_key, to_location_key = excluded.to_location_key,
                placed_date_key = excluded.placed_date_key, status = excluded.status, currency = excluded.currency,
                quantity = excluded.quantity, unit_price = excluded.unit_price, line_total = excluded.line_total,
                list_price = excluded.list_price, placed_at = excluded.placed_at, enriched_at = now()
            WHERE (t.src_shard, t.sku, t.product_key, t.from_location_key, t.to_location_key, t.placed_date_key,
                   t.status, t.currency, t.quantity, t.unit_price, t.line_total, t.list_price, t.placed_at)
                  IS DISTINCT FROM
                  (excluded.src_shard, excluded.sku, excluded.product_key, excluded.from_location_key,
                   excluded.to_location_key, excluded.placed_date_key, excluded.status, excluded.currency,
                   excluded.quantity, excluded.unit_price, excluded.line_total, excluded.list_price,
                   excluded.placed_at)
            """;

    private static final String UPSERT_MOVEMENT =
            """
            INSERT INTO bi.fact_inventory_movement AS t (event_id, src_shard, sku, location_id, product_key,
                location_key, date_key, movement_type, quantity, on_hand_delta, reserved_delta, order_id, reason,
                event_time, recorded_at, seq)
            SELECT s.event_id, s.src_shard, s.sku, s.location_id, coalesce(p.product_key, -1),
                coalesce(l.location_key, -1), s.date_key, s.movement_type, s.quantity, s.on_hand_delta,
                s.reserved_delta, s.order_id, s.reason, s.event_time, s.recorded_at, s.seq
            FROM stg_movement s
            LEFT JOIN bi.dim_product p ON p.sku = s.sku
            LEFT JOIN bi.dim_location l ON l.location_id = s.location_id
            ON CONFLICT (event_id) DO UPDATE SET
                src_shard = excluded.src_shard, sku = excluded.sku, location_id = excluded.location_id,
                product_key = excluded.product_key, location_key = excluded.location_key, date_key = excluded.date_key,
                movement_type = excluded.movement_type, quantity = excluded.quantity,
                on_hand_delta = excluded.on_hand_delta, reserved_delta = excluded.reserved_delta,
                order_id = excluded.order_id, reason = excluded.reason, event_time = excluded.event_time,
                recorded_at = excluded.recorded_at, seq = excluded.seq, enriched_at = now()
            WHERE (t.src_shard, t.sku, t.location_id, t.product_key, t.location_key, t.date_key, t.movement_type,
                   t.quantity, t.on_hand_delta, t.reserved_delta, t.order_id, t.reason, t.event_time, t.seq)
                  IS DISTINCT FROM
                  (excluded.src_shard, excluded.sku, excluded.location_id, excluded.product_key,
                   excluded.location_key, excluded.date_key, excluded.movement_type, excluded.quantity,
                   excluded.on_hand_delta, excluded.reserved_delta, excluded.order_id, excluded.reason,
                   excluded.event_time, excluded.seq)
            """;

    // Recomputes the (hour, destination, event-store shard) groups touched by this chunk from the order facts.
    // Only this enricher shard writes orders of these event-store shards, so the aggregate it reads is complete.
    private static final String UPSERT_HOURLY =
            """
            INSERT INTO bi.fact_location_hourly AS t (hour, location_id, src_shard, orders, units, revenue,
                cancelled_orders, flagged_orders)
            SELECT a.hour, a.location_id, a.src_shard, count(*), sum(o.units),
                coalesce(sum(o.total) FILTER (WHERE o.status <> 'CANCELLED'), 0),
                count(*) FILTER (WHERE o.status = 'CANCELLED'), count(*) FILTER (WHERE o.flagged)
            FROM (SELECT DISTINCT date_trunc('hour', placed_at, 'UTC') AS hour, to_location_id AS location_id,
                         src_shard
                  FROM stg_order WHERE placed_at IS NOT NULL AND to_location_id IS NOT NULL) a
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

    private static final String UNKNOWN_LOCATIONS =
            """
            SELECT DISTINCT x.id FROM (
                SELECT from_location_id AS id FROM stg_order UNION SELECT to_location_id FROM stg_order
                UNION SELECT location_id FROM stg_movement) x
            WHERE x.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM bi.dim_location d WHERE d.location_id = x.id)
            ORDER BY 1
            """;

    private static final String UNKNOWN_SKUS =
            """
            SELECT DISTINCT x.id FROM (SELECT sku AS id FROM stg_line UNION SELECT sku FROM stg_movement) x
            WHERE NOT EXISTS (SELECT 1 FROM bi.dim_product d WHERE d.sku = x.id)
            ORDER BY 1
            """;

    private static final String UNKNOWN_ROWS =
            """
            SELECT (SELECT count(*) FROM stg_order s WHERE
                        NOT EXISTS (SELECT 1 FROM bi.dim_location d WHERE d.location_id = s.from_location_id)
                     OR NOT EXISTS (SELECT 1 FROM bi.dim_location d WHERE d.location_id = s.to_location_id))
                 + (SELECT count(*) FROM stg_line s WHERE
                        NOT EXISTS (SELECT 1 FROM bi.dim_product d WHERE d.sku = s.sku))
                 + (SELECT count(*) FROM stg_movement s WHERE
                        NOT EXISTS (SELECT 1 FROM bi.dim_product d WHERE d.sku = s.sku)
                     OR NOT EXISTS (SELECT 1 FROM bi.dim_location d WHERE d.location_id = s.location_id))
            """;

    /** Stages and upserts one chunk. The caller owns the transaction. */
    public WriteResult write(
            Connection c, Collection<OrderRow> orders, Collection<LineRow> lines, Collection<MovementRow> movements)
            throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(STAGING);
        }
        copyOrders(c, orders);
        copyLines(c, lines);
        copyMovements(c, movements);

        Map<String, Long> changed = new LinkedHashMap<>();
        List<String> unknownLocations;
        List<String> unknownSkus;
        long unknownRows;
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE stg_order; ANALYZE stg_line; ANALYZE stg_movement");
            changed.put("fact_order", (long) st.executeUpdate(UPSERT_ORDER));
            changed.put("fact_order_line", (long) st.executeUpdate(UPSERT_LINE));
            changed.put("fact_inventory_movement", (long) st.executeUpdate(UPSERT_MOVEMENT));
            changed.put("fact_location_hourly", (long) st.executeUpdate(UPSERT_HOURLY));
            unknownLocations = strings(st, UNKNOWN_LOCATIONS);
            unknownSkus = strings(st, UNKNOWN_SKUS);
            try (ResultSet rs = st.executeQuery(UNKNOWN_ROWS)) {
                rs.next();
                unknownRows = rs.getLong(1);
            }
        }
        return new WriteResult(changed, unknownLocations, unknownSkus, unknownRows);
    }

    private static List<String> strings(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void copyOrders(Connection c, Collection<OrderRow> rows) throws SQLException {
        try (CopyWriter w = CopyWriter.open(c, "stg_order", ORDER_COLUMNS)) {
            for (OrderRow r : rows) {
                writeOrder(w, r);
                w.endRow();
            }
            w.finish();
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
                .bool(r.flagged())
                .number(r.version())
                .number(r.lastSeq())
                .text(r.lastEventId());
    }

    private static void copyLines(Connection c, Collection<LineRow> rows) throws SQLException {
        try (CopyWriter w = CopyWriter.open(c, "stg_line", LINE_COLUMNS)) {
            for (LineRow r : rows) {
                w.text(r.orderId())
                        .number(r.lineNo())
                        .number(r.srcShard())
                        .text(r.sku())
                        .text(r.fromLocationId())
                        .text(r.toLocationId())
                        .number(r.placedDateKey())
                        .text(r.status())
                        .text(r.currency())
                        .number(r.quantity())
                        .number(r.unitPrice())
                        .number(r.lineTotal())
                        .time(r.placedAt());
                w.endRow();
            }
            w.finish();
        }
    }

    private static void copyMovements(Connection c, Collection<MovementRow> rows) throws SQLException {
        try (CopyWriter w = CopyWriter.open(c, "stg_movement", MOVEMENT_COLUMNS)) {
            for (MovementRow r : rows) {
                w.text(r.eventId())
                        .number(r.srcShard())
                        .text(r.sku())
                        .text(r.locationId())
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
                w.endRow();
            }
            w.finish();
        }
    }
}
