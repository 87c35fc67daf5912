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
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.events.fold.InventoryState;
import io.retailstack.events.fold.OrderState;
import io.retailstack.events.state.StateCodec;
import io.retailstack.writer.service.EventRow;
import io.retailstack.writer.service.StateRow;
import java.nio.ByteBuffer;
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
        insertOrderState = session.prepare("INSERT INTO " + ks + "order_state (order_id, version, last_seq, status,"
                + " flagged, state, source_partition, source_offset, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " USING TIMESTAMP ?");
        insertInventoryState = session.prepare("INSERT INTO " + ks + "inventory_state (sku, location_id, version,"
                + " last_seq, on_hand, reserved, available, state, source_partition, source_offset, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
        selectOrderState = session.prepare("SELECT last_seq, state, source_partition, source_offset FROM " + ks
                + "order_state WHERE order_id = ?");
        selectInventoryState = session.prepare("SELECT last_seq, state, source_partition, source_offset FROM " + ks
                + "inventory_state WHERE sku = ? AND location_id = ?");
        selectEventIds = session.prepare("SELECT event_id, seq FROM " + ks
                + "event_ids_by_aggregate WHERE aggregate_type = ? AND aggregate_id = ? LIMIT ?");
        selectSomeEventIds = session.prepare("SELECT event_id, seq FROM " + ks
                + "event_ids_by_aggregate WHERE aggregate_type = ? AND aggregate_id = ? AND event_id IN ?");
    }

    public CqlSession session() {
        return session;
    }

    // ------------------------------------------------------------------ writes

    // Values are set with explicit codecs (no codec lookup per value) and the payload is bound as the UTF-8 bytes it
    // already is: the two hot costs of binding three rows per event.

    public BoundStatement event(EventRow e) {
        BoundStatementBuilder b = insertEvent
                .boundStatementBuilder()
                .set(0, e.key().type().prefix(), TypeCodecs.TEXT)
                .set(1, e.key().id(), TypeCodecs.TEXT)
                .setLong(2, e.seq())
                .set(3, e.eventId(), TypeCodecs.TEXT)
                .set(4, e.eventType(), TypeCodecs.TEXT)
                .set(5, e.eventTime(), TypeCodecs.TIMESTAMP)
                .set(6, e.recordedAt(), TypeCodecs.TIMESTAMP)
                .setInt(7, e.sourcePartition())
                .setLong(8, e.sourceOffset())
                .setBoolean(9, e.flagged())
                .setBoolean(10, e.applied())
                .setBytesUnsafe(12, ByteBuffer.wrap(e.payload()))
                .setLong(13, e.sourceOffset());
        return withReason(b, 11, e).build();
    }

    /**
     * {@code ignore_reason} only when there is one: an applied event leaves it unset, since binding null would write
     * a tombstone (a wasted cell for every applied event, and tombstones slow every later read of the partition).
     */
    private static BoundStatementBuilder withReason(BoundStatementBuilder b, int index, EventRow e) {
        return e.ignoreReason() == null ? b : b.set(index, e.ignoreReason(), TypeCodecs.TEXT);
    }

    public BoundStatement eventId(EventRow e) {
        return insertEventId
                .boundStatementBuilder()
                .set(0, e.key().type().prefix(), TypeCodecs.TEXT)
                .set(1, e.key().id(), TypeCodecs.TEXT)
                .set(2, e.eventId(), TypeCodecs.TEXT)
                .setLong(3, e.seq())
                .setLong(4, e.sourceOffset())
                .build();
    }

    public BoundStatement bucket(EventRow e) {
        BoundStatementBuilder b = insertBucket
                .boundStatementBuilder()
                .set(0, e.bucket(), TypeCodecs.TEXT)
                .setInt(1, e.shard())
                .set(2, e.recordedAt(), TypeCodecs.TIMESTAMP)
                .set(3, e.eventId(), TypeCodecs.TEXT)
                .set(4, e.key().type().prefix(), TypeCodecs.TEXT)
                .set(5, e.key().id(), TypeCodecs.TEXT)
                .setLong(6, e.seq())
                .set(7, e.eventType(), TypeCodecs.TEXT)
                .set(8, e.eventTime(), TypeCodecs.TIMESTAMP)
                .setBoolean(9, e.flagged())
                .setBoolean(10, e.applied())
                .setBytesUnsafe(12, ByteBuffer.wrap(e.payload()))
                .setLong(13, e.sourceOffset());
        return withReason(b, 11, e).build();
    }

    public BoundStatement state(StateRow s) {
        if (s.state() instanceof OrderState o) {
            return insertOrderState
                    .boundStatementBuilder()
                    .set(0, o.orderId(), TypeCodecs.TEXT)
                    .setLong(1, s.version())
                    .setLong(2, s.lastSeq())
                    .set(3, o.status().name(), TypeCodecs.TEXT)
                    .setBoolean(4, o.flagged())
                    .set(5, s.stateJson(), TypeCodecs.TEXT)
                    .setInt(6, s.sourcePartition())
                    .setLong(7, s.sourceOffset())
                    .set(8, s.updatedAt(), TypeCodecs.TIMESTAMP)
                    .setLong(9, s.sourceOffset())
                    .build();
        }
        InventoryState i = (InventoryState) s.state();
        return insertInventoryState
                .boundStatementBuilder()
                .set(0, i.sku(), TypeCodecs.TEXT)
                .set(1, i.locationId(), TypeCodecs.TEXT)
                .setLong(2, s.version())
                .setLong(3, s.lastSeq())
                .setLong(4, i.onHand())
                .setLong(5, i.reserved())
                .setLong(6, i.available())
                .set(7, s.stateJson(), TypeCodecs.TEXT)
                .setInt(8, s.sourcePartition())
                .setLong(9, s.sourceOffset())
                .set(10, s.updatedAt(), TypeCodecs.TIMESTAMP)
                .setLong(11, s.sourceOffset())
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
                ? selectOrderState.bind(key.id())
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
