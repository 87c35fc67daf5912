package io.retailstack.writer.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.events.fold.InventoryState;
import io.retailstack.events.fold.OrderState;
import io.retailstack.events.state.StateCodec;
import io.retailstack.writer.service.EventRow;
import io.retailstack.writer.service.StateRow;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The writer's statements against the storage contract (V001 and V002), prepared once.
 *
 * <p>Every write carries {@code USING TIMESTAMP <Kafka offset>} of the record it reflects. Replays therefore write
 * byte-identical cells (write time included), and on the state tables last-write-wins becomes highest-log-position
 * wins: a late write of an older state, e.g. from a zombie consumer that lost its partition, cannot replace a newer
 * one whatever order the writes arrive in. (Cosmos DB applies custom timestamps per row, which is all this needs: the
 * writer always writes whole rows.)
 */
public final class EventStore {

    private final CqlSession session;
    private final StateCodec stateCodec = new StateCodec();
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertEventId;
    private final PreparedStatement insertBucket;
    private final PreparedStatement insertOrderState;
    private final PreparedStatement insertInventoryState;
    private final PreparedStatement selectOrderState;
    private final PreparedStatement selectInventoryState;
    private final PreparedStatement selectEventIds;
    private final PreparedStatement selectSomeEventIds;
    private final PreparedStatement selectEventIdsOfMany;
    /** {@code aggregate_type} of every order state row, encoded once. */
    private static final byte[] ORDER_TYPE = AggregateType.ORDER.prefix().getBytes(StandardCharsets.UTF_8);

    public EventStore(CqlSession session, String keyspace) {
        this.session = session;
        String ks = keyspace + ".";
        insertEvent = session.prepare("INSERT INTO " + ks + "events_by_aggregate (aggregate_type, aggregate_id, seq,"
                + " event_id, event_type, event_time, recorded_at, source_partition, source_offset, flagged, applied,"
                + " ignore_reason, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
        insertEventId = session.prepare("INSERT INTO " + ks
                + "event_ids_by_aggregate (aggregate_type, aggregate_id, event_id, seq) VALUES (?, ?, ?, ?)"
                + " USING TIMESTAMP ?");
        insertBucket = session.prepare("INSERT INTO " + ks + "events_by_bucket (bucket, shard, recorded_at, event_id,"
                + " aggregate_type, aggregate_id, seq, event_type, event_time, flagged, applied, ignore_reason,"
                + " payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
        insertOrderState = session.prepare("INSERT INTO " + ks + "order_state_by_aggregate (aggregate_type,"
                + " aggregate_id, version, last_seq, status, flagged, state, source_partition, source_offset,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
        insertInventoryState = session.prepare("INSERT INTO " + ks + "inventory_state (sku, location_id, version,"
                + " last_seq, on_hand, reserved, available, state, source_partition, source_offset, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
        selectOrderState = session.prepare("SELECT last_seq, state, source_partition, source_offset FROM " + ks
                + "order_state_by_aggregate WHERE aggregate_type = ? AND aggregate_id = ?");
        selectInventoryState = session.prepare("SELECT last_seq, state, source_partition, source_offset FROM " + ks
                + "inventory_state WHERE sku = ? AND location_id = ?");
        selectEventIds = session.prepare("SELECT event_id, seq FROM " + ks
                + "event_ids_by_aggregate WHERE aggregate_type = ? AND aggregate_id = ? LIMIT ?");
        selectEventIdsOfMany = session.prepare("SELECT aggregate_id, event_id, seq FROM " + ks
                + "event_ids_by_aggregate WHERE aggregate_type = ? AND aggregate_id IN ? PER PARTITION LIMIT ?");
        selectSomeEventIds = session.prepare("SELECT event_id, seq FROM " + ks
                + "event_ids_by_aggregate WHERE aggregate_type = ? AND aggregate_id = ? AND event_id IN ?");
    }

    public CqlSession session() {
        return session;
    }

    // ------------------------------------------------------------------ writes

    // Values are bound as the bytes of their CQL encoding, built here: no codec lookup per value, text through the
    // JDK's fast UTF-8 path (the driver's text codec goes through a CharsetEncoder), and each event's text values
    // encoded once for its three rows. The payload is bound as the UTF-8 bytes it already is.

    /**
     * An event row with its values encoded once, for its three statements ({@link #event}, {@link #eventId}, {@link
     * #bucket}). The buffers are shared between the statements: the driver only ever reads a bound value through a
     * duplicate of it, so none of them moves a buffer's position.
     */
    public static final class EncodedEvent {
        private final EventRow row;
        private final ByteBuffer aggregateType;
        private final ByteBuffer aggregateId;
        private final ByteBuffer eventId;
        private final ByteBuffer eventType;
        private final ByteBuffer ignoreReason;
        private final ByteBuffer bucket;
        private final ByteBuffer seq;
        private final ByteBuffer eventTime;
        private final ByteBuffer recordedAt;
        private final ByteBuffer sourceOffset;
        private final ByteBuffer payload;

        private EncodedEvent(EventRow row, byte[] aggregateType, byte[] aggregateId, byte[] bucket) {
            this.row = row;
            this.aggregateType = ByteBuffer.wrap(aggregateType);
            this.aggregateId = ByteBuffer.wrap(aggregateId);
            this.eventId = text(row.eventId());
            this.eventType = text(row.eventType());
            this.ignoreReason = row.ignoreReason() == null ? null : text(row.ignoreReason());
            this.bucket = ByteBuffer.wrap(bucket);
            this.seq = bigint(row.seq());
            this.eventTime = timestamp(row.eventTime());
            this.recordedAt = bigint(row.recordedAt().toEpochMilli());
            this.sourceOffset = bigint(row.sourceOffset());
            this.payload = ByteBuffer.wrap(row.payload());
        }

        public EventRow row() {
            return row;
        }
    }

    /** The rows of one aggregate, encoded (aggregate key and bucket encoded once for all of them). */
    public List<EncodedEvent> encode(List<EventRow> rows) {
        List<EncodedEvent> out = new ArrayList<>(rows.size());
        byte[] type = null;
        byte[] id = null;
        String bucket = null;
        byte[] bucketBytes = null;
        for (EventRow e : rows) {
            if (type == null) {
                type = utf8(e.key().type().prefix());
                id = utf8(e.key().id());
            }
            if (!e.bucket().equals(bucket)) {
                bucket = e.bucket();
                bucketBytes = utf8(bucket);
            }
            out.add(new EncodedEvent(e, type, id, bucketBytes));
        }
        return out;
    }

    public BoundStatement event(EventRow e) {
        return event(encode(List.of(e)).get(0));
    }

    public BoundStatement event(EncodedEvent x) {
        EventRow e = x.row;
        BoundStatementBuilder b = insertEvent
                .boundStatementBuilder()
                .setBytesUnsafe(0, x.aggregateType)
                .setBytesUnsafe(1, x.aggregateId)
                .setBytesUnsafe(2, x.seq)
                .setBytesUnsafe(3, x.eventId)
                .setBytesUnsafe(4, x.eventType)
                .setBytesUnsafe(5, x.eventTime)
                .setBytesUnsafe(6, x.recordedAt)
                .setBytesUnsafe(7, int32(e.sourcePartition()))
                .setBytesUnsafe(8, x.sourceOffset)
                .setBytesUnsafe(9, bool(e.flagged()))
                .setBytesUnsafe(10, bool(e.applied()))
                .setBytesUnsafe(12, x.payload)
                .setBytesUnsafe(13, x.sourceOffset);
        return withReason(b, 11, x).build();
    }

    /**
     * {@code ignore_reason} only when there is one: an applied event leaves it unset, since binding null would write
     * a tombstone (a wasted cell for every applied event, and tombstones slow every later read of the partition).
     */
    private static BoundStatementBuilder withReason(BoundStatementBuilder b, int index, EncodedEvent e) {
        return e.ignoreReason == null ? b : b.setBytesUnsafe(index, e.ignoreReason);
    }

    public BoundStatement eventId(EventRow e) {
        return eventId(encode(List.of(e)).get(0));
    }

    public BoundStatement eventId(EncodedEvent x) {
        return insertEventId
                .boundStatementBuilder()
                .setBytesUnsafe(0, x.aggregateType)
                .setBytesUnsafe(1, x.aggregateId)
                .setBytesUnsafe(2, x.eventId)
                .setBytesUnsafe(3, x.seq)
                .setBytesUnsafe(4, x.sourceOffset)
                .build();
    }

    public BoundStatement bucket(EventRow e) {
        return bucket(encode(List.of(e)).get(0));
    }

    public BoundStatement bucket(EncodedEvent x) {
        EventRow e = x.row;
        BoundStatementBuilder b = insertBucket
                .boundStatementBuilder()
                .setBytesUnsafe(0, x.bucket)
                .setBytesUnsafe(1, int32(e.shard()))
                .setBytesUnsafe(2, x.recordedAt)
                .setBytesUnsafe(3, x.eventId)
                .setBytesUnsafe(4, x.aggregateType)
                .setBytesUnsafe(5, x.aggregateId)
                .setBytesUnsafe(6, x.seq)
                .setBytesUnsafe(7, x.eventType)
                .setBytesUnsafe(8, x.eventTime)
                .setBytesUnsafe(9, bool(e.flagged()))
                .setBytesUnsafe(10, bool(e.applied()))
                .setBytesUnsafe(12, x.payload)
                .setBytesUnsafe(13, x.sourceOffset);
        return withReason(b, 11, x).build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(utf8(s));
    }

    /** CQL bigint and timestamp (milliseconds since the epoch): 8 bytes, big-endian. */
    private static ByteBuffer bigint(long v) {
        return ByteBuffer.allocate(8).putLong(0, v);
    }

    private static ByteBuffer timestamp(Instant t) {
        return t == null ? null : bigint(t.toEpochMilli());
    }

    /** Small ints (partitions, shards) encoded once: shared like every bound buffer, read only through duplicates. */
    private static final ByteBuffer[] SMALL_INTS = new ByteBuffer[256];

    private static final ByteBuffer TRUE = ByteBuffer.wrap(new byte[] {1});
    private static final ByteBuffer FALSE = ByteBuffer.wrap(new byte[] {0});

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = ByteBuffer.allocate(4).putInt(0, i);
        }
    }

    private static ByteBuffer int32(int v) {
        return v >= 0 && v < SMALL_INTS.length
                ? SMALL_INTS[v]
                : ByteBuffer.allocate(4).putInt(0, v);
    }

    private static ByteBuffer bool(boolean v) {
        return v ? TRUE : FALSE;
    }

    public BoundStatement state(StateRow s) {
        if (s.state() instanceof OrderState o) {
            return insertOrderState
                    .boundStatementBuilder()
                    .setBytesUnsafe(0, ByteBuffer.wrap(ORDER_TYPE))
                    .setBytesUnsafe(1, text(o.orderId()))
                    .setBytesUnsafe(2, bigint(s.version()))
                    .setBytesUnsafe(3, bigint(s.lastSeq()))
                    .setBytesUnsafe(4, text(o.status().name()))
                    .setBytesUnsafe(5, bool(o.flagged()))
                    .setBytesUnsafe(6, text(s.stateJson()))
                    .setBytesUnsafe(7, int32(s.sourcePartition()))
                    .setBytesUnsafe(8, bigint(s.sourceOffset()))
                    .setBytesUnsafe(9, bigint(s.updatedAt().toEpochMilli()))
                    .setBytesUnsafe(10, bigint(s.sourceOffset()))
                    .build();
        }
        InventoryState i = (InventoryState) s.state();
        return insertInventoryState
                .boundStatementBuilder()
                .setBytesUnsafe(0, text(i.sku()))
                .setBytesUnsafe(1, text(i.locationId()))
                .setBytesUnsafe(2, bigint(s.version()))
                .setBytesUnsafe(3, bigint(s.lastSeq()))
                .setBytesUnsafe(4, bigint(i.onHand()))
                .setBytesUnsafe(5, bigint(i.reserved()))
                .setBytesUnsafe(6, bigint(i.available()))
                .setBytesUnsafe(7, text(s.stateJson()))
                .setBytesUnsafe(8, int32(s.sourcePartition()))
                .setBytesUnsafe(9, bigint(s.sourceOffset()))
                .setBytesUnsafe(10, bigint(s.updatedAt().toEpochMilli()))
                .setBytesUnsafe(11, bigint(s.sourceOffset()))
                .build();
    }

    /** One statement as is, several as a single-partition UNLOGGED batch (never LOGGED: Cosmos DB rejects those). */
    public static Statement<?> unlogged(List<? extends BatchableStatement<?>> statements) {
        if (statements.size() == 1) {
            return statements.get(0);
        }
        BatchStatementBuilder b = BatchStatement.builder(DefaultBatchType.UNLOGGED);
        statements.forEach(b::addStatement);
        return b.build();
    }

    public CompletionStage<AsyncResultSet> execute(Statement<?> statement) {
        return session.executeAsync(statement);
    }

    // ------------------------------------------------------------------ reads

    /** The stored state row of an aggregate, or null. */
    public CompletionStage<StoredState> loadState(AggregateKey key) {
        BoundStatement select = key.type() == AggregateType.ORDER
                ? selectOrderState.bind(key.type().prefix(), key.id())
                : selectInventoryState.bind(key.sku(), key.locationId());
        return session.executeAsync(select).thenApply(rs -> {
            Row row = rs.one();
            if (row == null) {
                return null;
            }
            Object state = key.type() == AggregateType.ORDER
                    ? stateCodec.orderState(row.getString("state"))
                    : stateCodec.inventoryState(row.getString("state"));
            return new StoredState(
                    state, row.getLong("last_seq"), row.getInt("source_partition"), row.getLong("source_offset"));
        });
    }

    /** Up to {@code limit} stored event ids of an aggregate with their seq (more are left unread). */
    public CompletionStage<Map<String, Long>> loadEventIds(AggregateKey key, int limit) {
        Map<String, Long> ids = new HashMap<>();
        return session.executeAsync(selectEventIds
                        .bind(key.type().prefix(), key.id(), limit)
                        .setPageSize(Math.min(limit, 5000)))
                .thenCompose(rs -> collect(rs, ids));
    }

    /**
     * Up to {@code limit} stored event ids with their seq of each of several aggregates of one type, in one
     * multi-partition query; aggregates with none are absent from the result.
     */
    public CompletionStage<Map<AggregateKey, Map<String, Long>>> loadEventIds(List<AggregateKey> keys, int limit) {
        Map<String, AggregateKey> byId = new HashMap<>();
        for (AggregateKey key : keys) {
            byId.put(key.id(), key);
        }
        Map<AggregateKey, Map<String, Long>> ids = new HashMap<>();
        return session.executeAsync(selectEventIdsOfMany
                        .bind(keys.get(0).type().prefix(), List.copyOf(byId.keySet()), limit)
                        .setPageSize(5000))
                .thenCompose(rs -> collect(rs, byId, ids));
    }

    private static CompletionStage<Map<AggregateKey, Map<String, Long>>> collect(
            AsyncResultSet rs, Map<String, AggregateKey> byId, Map<AggregateKey, Map<String, Long>> into) {
        for (Row row : rs.currentPage()) {
            AggregateKey key = byId.get(row.getString(0));
            if (key != null) {
                into.computeIfAbsent(key, k -> new HashMap<>()).put(row.getString(1), row.getLong(2));
            }
        }
        if (rs.hasMorePages()) {
            return rs.fetchNextPage().thenCompose(next -> collect(next, byId, into));
        }
        return CompletableFuture.completedFuture(into);
    }

    /** The stored seq of those of {@code eventIds} that are stored. */
    public CompletionStage<Map<String, Long>> lookupEventIds(AggregateKey key, Collection<String> eventIds) {
        List<String> all = new ArrayList<>(eventIds);
        Map<String, Long> found = new HashMap<>();
        CompletableFuture<Map<String, Long>> chain = CompletableFuture.completedFuture(found);
        for (int from = 0; from < all.size(); from += 100) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 100));
            chain = chain.thenCompose(m -> session.executeAsync(
                                    selectSomeEventIds.bind(key.type().prefix(), key.id(), List.copyOf(chunk)))
                            .thenCompose(rs -> collect(rs, m)))
                    .toCompletableFuture();
        }
        return chain;
    }

    private static CompletionStage<Map<String, Long>> collect(AsyncResultSet rs, Map<String, Long> into) {
        for (Row row : rs.currentPage()) {
            into.put(row.getString(0), row.getLong(1));
        }
        if (rs.hasMorePages()) {
            return rs.fetchNextPage().thenCompose(next -> collect(next, into));
        }
        return CompletableFuture.completedFuture(into);
    }

    /**
     * A stored state row.
     *
     * @param state the OrderState or InventoryState
     * @param lastSeq seq of the last stored event it reflects
     * @param sourcePartition partition of the last record it reflects
     * @param sourceOffset offset of that record
     */
    public record StoredState(Object state, long lastSeq, int sourcePartition, long sourceOffset) {}
}
