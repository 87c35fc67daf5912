package io.retailstack.enricher.support;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.store.CqlScripts;
import io.retailstack.events.store.EventBuckets;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Fills the Cassandra contract tables the way event-writer does: gapless seq per aggregate, the event in
 * events_by_aggregate, events_by_bucket (bucket = UTC hour of recorded_at, shard = EventBuckets.shardOf) and
 * event_ids_by_aggregate. The schema is the contract's own CQL file.
 */
public final class EventStoreFixture {
    private static final EventCodec CODEC = new EventCodec();
    private static volatile boolean schemaApplied;

    private final CqlSession session;
    private final String keyspace;
    private final Map<String, Long> seqs = new HashMap<>();
    private PreparedStatement byAggregate;
    private PreparedStatement byBucket;
    private PreparedStatement ids;

    /** One stored event. */
    public record Stored(CloudEvent event, long seq, Instant recordedAt) {}

    public EventStoreFixture(CqlSession session, String keyspace) {
        this.session = session;
        this.keyspace = keyspace;
        applySchema();
        byAggregate = session.prepare("INSERT INTO " + keyspace + ".events_by_aggregate (aggregate_type, "
                + "aggregate_id, seq, event_id, event_type, event_time, recorded_at, source_partition, source_offset, "
                + "flagged, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        byBucket = session.prepare("INSERT INTO " + keyspace + ".events_by_bucket (bucket, shard, recorded_at, "
                + "event_id, aggregate_type, aggregate_id, seq, event_type, event_time, flagged, payload) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ids = session.prepare("INSERT INTO " + keyspace + ".event_ids_by_aggregate (aggregate_type, aggregate_id, "
                + "event_id, seq) VALUES (?, ?, ?, ?)");
    }

    private synchronized void applySchema() {
        if (schemaApplied) {
            return;
        }
        String cql = CqlScripts.read(CqlScripts.LOCATION + "V001__event_store.cql");
        for (String statement :
                CqlScripts.statements(cql, keyspace, "{'class':'SimpleStrategy','replication_factor':1}")) {
            session.execute(statement);
        }
        schemaApplied = true;
    }

    /** Empties the event tables. */
    public void truncate() {
        for (String table : List.of("events_by_aggregate", "events_by_bucket", "event_ids_by_aggregate")) {
            session.execute("TRUNCATE " + keyspace + "." + table);
        }
        seqs.clear();
    }

    /** Stores one event recorded at {@code recordedAt}, with the next seq of its aggregate. */
    public Stored store(CloudEvent event, Instant recordedAt) {
        return storeAll(List.of(event), List.of(recordedAt)).get(0);
    }

    /** Stores events (each with its own recording time), bounded async. */
    public List<Stored> storeAll(List<CloudEvent> events, List<Instant> recordedAt) {
        List<Stored> stored = new ArrayList<>(events.size());
        Semaphore inFlight = new Semaphore(256);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            CloudEvent e = events.get(i);
            Instant at = recordedAt.get(i);
            AggregateKey key = e.aggregateKey();
            long seq = seqs.merge(key.subject(), 1L, Long::sum);
            String payload = new String(CODEC.encode(e), StandardCharsets.UTF_8);
            String type = key.type().prefix();
            boolean flagged = e.fraudFlagged();
            inFlight.acquireUninterruptibly(3);
            pending.add(session.executeAsync(byAggregate.bind(
                            type, key.id(), seq, e.id(), e.type().type(), e.time(), at, 0, (long) i, flagged, payload))
                    .toCompletableFuture()
                    .whenComplete((r, x) -> inFlight.release()));
            pending.add(session.executeAsync(byBucket.bind(
                            EventBuckets.bucketOf(at),
                            EventBuckets.shardOf(key),
                            at,
                            e.id(),
                            type,
                            key.id(),
                            seq,
                            e.type().type(),
                            e.time(),
                            flagged,
                            payload))
                    .toCompletableFuture()
                    .whenComplete((r, x) -> inFlight.release()));
            pending.add(session.executeAsync(ids.bind(type, key.id(), e.id(), seq))
                    .toCompletableFuture()
                    .whenComplete((r, x) -> inFlight.release()));
            stored.add(new Stored(e, seq, at));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        return stored;
    }

    /** Stores a scenario's events with their recording times. */
    public List<Stored> storeTimed(List<Scenario.Timed> events) {
        return storeAll(
                events.stream().map(Scenario.Timed::event).toList(),
                events.stream().map(Scenario.Timed::recordedAt).toList());
    }

    /** Ids of the orders stored since the last truncate. */
    public List<String> orderIds() {
        return seqs.keySet().stream()
                .filter(s -> s.startsWith("order/"))
                .map(s -> s.substring("order/".length()))
                .sorted()
                .toList();
    }

    /** Every event of every order, by aggregate, in seq order: what a fold of the store starts from. */
    public Map<String, List<CloudEvent>> orderHistories(List<String> orderIds) {
        Map<String, List<CloudEvent>> out = new HashMap<>();
        PreparedStatement read = session.prepare("SELECT payload FROM " + keyspace
                + ".events_by_aggregate WHERE aggregate_type = 'order' AND aggregate_id = ?");
        for (String id : orderIds) {
            List<CloudEvent> events = new ArrayList<>();
            session.execute(read.bind(id))
                    .forEach(row -> events.add(CODEC.decode(row.getString(0).getBytes(StandardCharsets.UTF_8))));
            out.put(id, events);
        }
        return out;
    }
}
