package io.retailstack.enricher.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retailstack.enricher.service.FactRows;
import io.retailstack.enricher.service.RunMode;
import io.retailstack.enricher.service.RunReport;
import io.retailstack.enricher.service.ShardSpec;
import io.retailstack.events.data.OrderLine;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The ops schema (runs, watermarks), the per-shard advisory locks, and the fact lookups a run needs. */
@ApplicationScoped
public class OpsRepository {
    /** First half of the two-int advisory lock key: "RETA"; the second half is the event-store shard. */
    static final int LOCK_CLASS = 0x52455441;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Takes a session-level advisory lock per event-store shard the enricher shard reads, so two runs touching the
     * same aggregates never overlap, whatever their shard counts. All or nothing; false if any is held elsewhere.
     */
    public boolean tryLock(Connection c, ShardSpec shard) throws SQLException {
        List<Integer> taken = new ArrayList<>();
        boolean all = true;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT s, pg_try_advisory_lock(?, s) FROM unnest(?::int[]) AS s")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setArray(2, c.createArrayOf("int4", shard.storeShards().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(2)) {
                        taken.add(rs.getInt(1));
                    } else {
                        all = false;
                    }
                }
            }
        }
        if (!all) {
            unlock(c, taken);
        }
        return all;
    }

    public void unlock(Connection c, ShardSpec shard) throws SQLException {
        unlock(c, shard.storeShards());
    }

    private static void unlock(Connection c, List<Integer> shards) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, s) FROM unnest(?::int[]) AS s")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setArray(2, c.createArrayOf("int4", shards.toArray()));
            ps.execute();
        }
    }

    /**
     * The rows of one event-store shard recorded in {@code [from, through)} that the chunk which set the watermark
     * {@code through} had read (and so enriched): see V6__watermark_overlap_count.sql.
     */
    public record OverlapCount(Instant from, Instant through, long rows) {
        public boolean contains(Instant recordedAt) {
            return !recordedAt.isBefore(from) && recordedAt.isBefore(through);
        }
    }

    /**
     * An event-store shard's watermark: every event recorded before {@code through} is in bi.
     *
     * @param overlap what was read just below it, or null when not known
     */
    public record Watermark(Instant through, OverlapCount overlap) {}

    /** The watermark of each of the shard's event-store shards that has one. */
    public Map<Integer, Watermark> watermarks(Connection c, ShardSpec shard) throws SQLException {
        Map<Integer, Watermark> out = new HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT store_shard, recorded_through, overlap_from, overlap_rows "
                        + "FROM ops.watermark WHERE store_shard = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("int4", shard.storeShards().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant through = rs.getTimestamp(2).toInstant();
                    Timestamp from = rs.getTimestamp(3);
                    long rows = rs.getLong(4);
                    boolean known = from != null && !rs.wasNull();
                    out.put(
                            rs.getInt(1),
                            new Watermark(through, known ? new OverlapCount(from.toInstant(), through, rows) : null));
                }
            }
        }
        return out;
    }

    /**
     * Moves store shards' watermarks forward (never back) inside the caller's transaction, with what was read just
     * below each new watermark ({@code overlaps}; a shard without an entry gets "not known").
     */
    public void advanceWatermarks(
            Connection c, Map<Integer, Instant> to, Map<Integer, OverlapCount> overlaps, long runId)
            throws SQLException {
        if (to.isEmpty()) {
            return;
        }
        List<Integer> shards = new ArrayList<>(to.keySet());
        Timestamp[] through = new Timestamp[shards.size()];
        Timestamp[] from = new Timestamp[shards.size()];
        Long[] rows = new Long[shards.size()];
        for (int i = 0; i < shards.size(); i++) {
            Instant t = to.get(shards.get(i));
            OverlapCount o = overlaps.get(shards.get(i));
            boolean matches = o != null && o.through().equals(t);
            through[i] = Timestamp.from(t);
            from[i] = matches ? Timestamp.from(o.from()) : null;
            rows[i] = matches ? o.rows() : null;
        }
        // the overlap count belongs to the watermark it was taken below: it is replaced only with the watermark
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ops.watermark (store_shard, recorded_through, overlap_from, overlap_rows, last_run_id) "
                        + "SELECT s, t, f, n, ? FROM unnest(?::int[], ?::timestamptz[], ?::timestamptz[], ?::bigint[]) "
                        + "AS w(s, t, f, n) "
                        + "ON CONFLICT (store_shard) DO UPDATE SET "
                        + "recorded_through = greatest(ops.watermark.recorded_through, excluded.recorded_through), "
                        + "overlap_from = CASE WHEN excluded.recorded_through >= ops.watermark.recorded_through "
                        + "THEN excluded.overlap_from ELSE ops.watermark.overlap_from END, "
                        + "overlap_rows = CASE WHEN excluded.recorded_through >= ops.watermark.recorded_through "
                        + "THEN excluded.overlap_rows ELSE ops.watermark.overlap_rows END, "
                        + "last_run_id = excluded.last_run_id, updated_at = now()")) {
            ps.setLong(1, runId);
            ps.setArray(2, c.createArrayOf("int4", shards.toArray()));
            ps.setArray(3, c.createArrayOf("timestamptz", through));
            ps.setArray(4, c.createArrayOf("timestamptz", from));
            ps.setArray(5, c.createArrayOf("int8", rows));
            ps.executeUpdate();
        }
    }

    /** Records the start of a run (autocommit); earlier runs of this shard still marked RUNNING died: ABANDONED. */
    public long startRun(Connection c, ShardSpec shard, RunMode mode) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ops.run SET status = 'ABANDONED', finished_at = now() "
                + "WHERE shard_key = ? AND status = 'RUNNING'")) {
            ps.setString(1, shard.key());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ops.run (shard_key, mode, status) VALUES (?, ?, 'RUNNING') RETURNING run_id")) {
            ps.setString(1, shard.key());
            ps.setString(2, mode.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void finishRun(Connection c, RunReport r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE ops.run SET status = ?, finished_at = now(), read_from = ?, read_to = ?, buckets = ?, "
                        + "partitions = ?, events_read = ?, orders_folded = ?, history_reads = ?, rows_changed = ?, "
                        + "rows_changed_by_table = ?::jsonb, unknown_locations = ?, unknown_skus = ?, "
                        + "unknown_ids = ?, undecodable = ? WHERE run_id = ?")) {
            ps.setString(1, r.status());
            ps.setTimestamp(2, Timestamp.from(r.readFrom()));
            ps.setTimestamp(3, Timestamp.from(r.readTo()));
            ps.setInt(4, r.buckets());
            ps.setInt(5, r.partitions());
            ps.setLong(6, r.eventsRead());
            ps.setLong(7, r.ordersFolded());
            ps.setLong(8, r.historyReads());
            ps.setLong(9, r.totalRowsChanged());
            ps.setString(10, json(r.rowsChanged()));
            ps.setInt(11, r.unknownLocationIds().size());
            ps.setInt(12, r.unknownSkus().size());
            ps.setString(13, abbreviate("locations " + r.unknownLocationIds() + "; skus " + r.unknownSkus()));
            ps.setLong(14, r.undecodable());
            ps.setLong(15, r.runId());
            ps.executeUpdate();
        }
    }

    public void failRun(Connection c, long runId, Throwable error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE ops.run SET status = 'FAILED', finished_at = now(), error = ? WHERE run_id = ?")) {
            ps.setString(1, abbreviate(String.valueOf(error)));
            ps.setLong(2, runId);
            ps.executeUpdate();
        }
    }

    /**
     * A stored order fact as a run reads it before folding: its {@code last_seq} and every field the fold keeps (see
     * {@link FactRows#snapshot}); the lines come separately, only for the orders that are merged.
     */
    public record StoredFact(
            String orderId,
            String status,
            String customerId,
            String channel,
            String orderType,
            String fromLocationId,
            String toLocationId,
            String currency,
            BigDecimal total,
            Instant placedAt,
            Instant paidAt,
            Instant shippedAt,
            Instant deliveredAt,
            Instant cancelledAt,
            boolean flagged,
            long version,
            String lastEventId,
            String clientIp,
            long lastSeq,
            int units) {

        /** The fold state this fact stands for, with its lines. */
        public FactRows.FoldedOrder snapshot(List<OrderLine> lines) {
            return FactRows.snapshot(
                    orderId,
                    status,
                    customerId,
                    channel,
                    orderType,
                    fromLocationId,
                    toLocationId,
                    currency,
                    lines,
                    total,
                    placedAt,
                    paidAt,
                    shippedAt,
                    deliveredAt,
                    cancelledAt,
                    flagged,
                    version,
                    lastEventId,
                    clientIp,
                    lastSeq);
        }
    }

    /**
     * The order facts that exist among {@code orderIds}, in one query: what decides per order whether its new events
     * are skipped, folded from scratch or folded onto the stored state (one lookup per chunk, not two).
     */
    public Map<String, StoredFact> storedFacts(Connection c, Collection<String> orderIds) throws SQLException {
        Map<String, StoredFact> out = new HashMap<>();
        if (orderIds.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT order_id, status, customer_id, channel, order_type, "
                + "from_location_id, to_location_id, currency, total, placed_at, paid_at, shipped_at, delivered_at, "
                + "cancelled_at, flagged, version, last_event_id, host(client_ip), last_seq, units "
                + "FROM bi.fact_order WHERE order_id = ANY(?)")) {
            binaryResults(ps);
            ps.setArray(1, c.createArrayOf("text", orderIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    out.put(
                            id,
                            new StoredFact(
                                    id,
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7),
                                    rs.getString(8),
                                    rs.getBigDecimal(9),
                                    instant(rs.getTimestamp(10)),
                                    instant(rs.getTimestamp(11)),
                                    instant(rs.getTimestamp(12)),
                                    instant(rs.getTimestamp(13)),
                                    instant(rs.getTimestamp(14)),
                                    rs.getBoolean(15),
                                    rs.getLong(16),
                                    rs.getString(17),
                                    rs.getString(18),
                                    rs.getLong(19),
                                    rs.getInt(20)));
                }
            }
        }
        return out;
    }

    /** The stored lines of the orders among {@code orderIds}, by line number. */
    public Map<String, List<OrderLine>> storedLines(Connection c, Collection<String> orderIds) throws SQLException {
        Map<String, List<OrderLine>> lines = new HashMap<>();
        if (orderIds.isEmpty()) {
            return lines;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT order_id, sku, quantity, unit_price "
                + "FROM bi.fact_order_line WHERE order_id = ANY(?) ORDER BY order_id, line_no")) {
            binaryResults(ps);
            ps.setArray(1, c.createArrayOf("text", orderIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new OrderLine(rs.getString(2), rs.getInt(3), rs.getBigDecimal(4)));
                }
            }
        }
        return lines;
    }

    /** The fold state of the stored facts among {@code orderIds} (see {@link FactRows#snapshot}). */
    public Map<String, FactRows.FoldedOrder> snapshots(Connection c, Collection<String> orderIds) throws SQLException {
        Map<String, FactRows.FoldedOrder> out = new HashMap<>();
        Map<String, List<OrderLine>> lines = storedLines(c, orderIds);
        storedFacts(c, orderIds).forEach((id, fact) -> out.put(id, fact.snapshot(lines.getOrDefault(id, List.of()))));
        return out;
    }

    /**
     * Results in PostgreSQL's binary format from the first execution (pgjdbc switches to it only after 5 executions of
     * a statement, i.e. never in a short run): a timestamp then arrives as 8 bytes instead of text the driver parses
     * with a Calendar, which was most of the time of a lookup of a few thousand facts.
     */
    private static void binaryResults(PreparedStatement ps) throws SQLException {
        ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String json(Map<String, Long> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 2000 ? s.substring(0, 1997) + "..." : s;
    }
}
