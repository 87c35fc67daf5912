package io.retailstack.writer.support;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.fold.InventoryFold;
import io.retailstack.events.fold.OrderFold;
import io.retailstack.events.state.StateCodec;
import io.retailstack.events.state.StateMessage;
import io.retailstack.events.store.EventBuckets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads the writer's tables back for assertions: rows, checksums, and "state = fold of the stored events". */
public final class StoreInspector {

    private final CqlSession session;
    private final String ks;
    private final EventCodec codec = new EventCodec();
    private final StateCodec stateCodec = new StateCodec();

    public StoreInspector(CqlSession session, String keyspace) {
        this.session = session;
        this.ks = keyspace;
    }

    private List<Row> query(String cql, Object... values) {
        return session.execute(SimpleStatement.newInstance(cql, values).setTimeout(Duration.ofSeconds(30)))
                .all();
    }

    public List<Row> events(AggregateKey key) {
        return query(
                "SELECT * FROM " + ks + ".events_by_aggregate WHERE aggregate_type = ? AND aggregate_id = ?",
                key.type().prefix(),
                key.id());
    }

    public List<Row> eventIds(AggregateKey key) {
        return query(
                "SELECT * FROM " + ks + ".event_ids_by_aggregate WHERE aggregate_type = ? AND aggregate_id = ?",
                key.type().prefix(),
                key.id());
    }

    /** The aggregate's rows in {@code events_by_bucket}, found through the buckets of its stored events. */
    public List<Row> bucketRows(AggregateKey key) {
        Set<String> buckets = new TreeSet<>();
        for (Row r : events(key)) {
            buckets.add(EventBuckets.bucketOf(r.getInstant("recorded_at")));
        }
        List<Row> rows = new ArrayList<>();
        for (String bucket : buckets) {
            for (Row r : query(
                    "SELECT * FROM " + ks + ".events_by_bucket WHERE bucket = ? AND shard = ?",
                    bucket,
                    EventBuckets.shardOf(key))) {
                if (r.getString("aggregate_type").equals(key.type().prefix())
                        && r.getString("aggregate_id").equals(key.id())) {
                    rows.add(r);
                }
            }
        }
        return rows;
    }

    /** The state row, or null. */
    public Row state(AggregateKey key) {
        List<Row> rows = key.type() == AggregateType.ORDER
                ? query(
                        "SELECT * FROM " + ks
                                + ".order_state_by_aggregate WHERE aggregate_type = ? AND aggregate_id = ?",
                        key.type().prefix(),
                        key.id())
                : query(
                        "SELECT * FROM " + ks + ".inventory_state WHERE sku = ? AND location_id = ?",
                        key.sku(),
                        key.locationId());
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** All locations of a SKU: the single-partition availability read. */
    public List<Row> inventoryBySku(String sku) {
        return query("SELECT * FROM " + ks + ".inventory_state WHERE sku = ?", sku);
    }

    /** The stored events of an aggregate, decoded, in seq order. */
    public List<CloudEvent> storedEvents(AggregateKey key) {
        List<CloudEvent> events = new ArrayList<>();
        for (Row r : events(key)) {
            events.add(codec.decode(r.getString("payload").getBytes(StandardCharsets.UTF_8)));
        }
        return events;
    }

    /** SHA-256 over every row of the aggregates in all five tables (values, write times of state rows). */
    public String checksum(Collection<AggregateKey> keys) {
        TreeSet<String> lines = new TreeSet<>();
        for (AggregateKey key : keys) {
            events(key).forEach(r -> lines.add("E " + r.getFormattedContents()));
            eventIds(key).forEach(r -> lines.add("I " + r.getFormattedContents()));
            bucketRows(key).forEach(r -> lines.add("B " + r.getFormattedContents()));
            Row s = state(key);
            if (s != null) {
                lines.add("S " + s.getFormattedContents());
            }
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            lines.forEach(l -> sha.update((l + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest()) + " (" + lines.size() + " rows)";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The problems of each aggregate's stored data, and any aggregate with other than {@code eventsEach} events. */
    public List<String> problems(Collection<AggregateKey> keys, int eventsEach) {
        List<String> problems = new ArrayList<>();
        for (AggregateKey key : keys) {
            problems.addAll(problems(key));
            int stored = events(key).size();
            if (stored != eventsEach) {
                problems.add(key + ": " + stored + " events stored, " + eventsEach + " produced");
            }
        }
        return problems;
    }

    /**
     * The problems of an aggregate's stored data, empty when consistent: seq gapless from 1, event ids unique and
     * mirrored in event_ids_by_aggregate, every event in events_by_bucket, and the state row equal to the fold of the
     * stored events (absent when nothing applied).
     */
    public List<String> problems(AggregateKey key) {
        List<String> problems = new ArrayList<>();
        List<Row> rows = events(key);
        Set<String> ids = new HashSet<>();
        long expected = 1;
        for (Row r : rows) {
            if (r.getLong("seq") != expected) {
                problems.add(key + ": seq " + r.getLong("seq") + " where " + expected + " was expected");
            }
            expected = r.getLong("seq") + 1;
            if (!ids.add(r.getString("event_id"))) {
                problems.add(key + ": event " + r.getString("event_id") + " stored twice");
            }
        }
        if (eventIds(key).size() != rows.size()) {
            problems.add(key + ": " + eventIds(key).size() + " ids for " + rows.size() + " events");
        }
        if (bucketRows(key).size() != rows.size()) {
            problems.add(key + ": " + bucketRows(key).size() + " bucket rows for " + rows.size() + " events");
        }
        List<CloudEvent> events = storedEvents(key);
        StateMessage folded = key.type() == AggregateType.ORDER
                ? StateMessage.of(OrderFold.fold(key.id(), events))
                : StateMessage.of(InventoryFold.fold(key.sku(), key.locationId(), events));
        Row state = state(key);
        if (folded.version() == 0) {
            if (state != null) {
                problems.add(key + ": state row although no event applied");
            }
            return problems;
        }
        if (state == null) {
            problems.add(key + ": no state row, fold has version " + folded.version());
            return problems;
        }
        if (state.getLong("version") != folded.version()) {
            problems.add(key + ": state version " + state.getLong("version") + ", fold " + folded.version());
        }
        if (state.getLong("last_seq") != rows.size()) {
            problems.add(key + ": state last_seq " + state.getLong("last_seq") + " for " + rows.size() + " events");
        }
        String foldedJson = stateCodec.stateJson(folded);
        if (!foldedJson.equals(state.getString("state"))) {
            problems.add(key + ": state " + state.getString("state") + " but the fold gives " + foldedJson);
        }
        return problems;
    }

    public static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
