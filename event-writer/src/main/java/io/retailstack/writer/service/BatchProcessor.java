package io.retailstack.writer.service;

import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.writer.persistence.EventStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The storage half of one poll, in stages the consumer thread drives (it keeps polling, paused, between them):
 *
 * <ol>
 *   <li>{@link #load}: the context of every aggregate in the poll, from the cache or Cassandra (state row and, for small
 *       aggregates, every stored event id), plus a lookup of the poll's event ids for large ones;
 *   <li>{@link #plan}: one {@link AggregatePlan} per aggregate, pure;
 *   <li>{@link #write}: the event rows, then each state row once the rows of the events it reflects are stored.
 * </ol>
 *
 * <p>Writes are single-partition UNLOGGED batches: an aggregate's {@code events_by_aggregate} and {@code
 * event_ids_by_aggregate} rows, and for an order its {@code order_state_by_aggregate} row (same partition key, so one
 * mutation on Apache Cassandra; separate batches per table when {@code combineEventTables} is off, as on Cosmos DB),
 * {@code events_by_bucket} rows of one (bucket, shard) across the poll's aggregates, and the inventory state rows of
 * one SKU. Every statement goes through the {@link
 * RetryingExecutor}, which bounds what is in flight and retries until success.
 */
public final class BatchProcessor {

    private final EventStore store;
    private final RetryingExecutor executor;
    private final AggregateCache cache;
    private final AggregatePlanner planner = new AggregatePlanner();
    private final int idIndexLimit;
    private final int maxBatchStatements;
    private final int maxBatchBytes;
    private final boolean combineEventTables;
    private final int readPartitionsPerQuery;

    public BatchProcessor(
            EventStore store,
            RetryingExecutor executor,
            AggregateCache cache,
            int idIndexLimit,
            int maxBatchStatements,
            int maxBatchBytes,
            boolean combineEventTables,
            int readPartitionsPerQuery) {
        this.store = store;
        this.executor = executor;
        this.cache = cache;
        this.idIndexLimit = idIndexLimit;
        this.maxBatchStatements = Math.max(2, maxBatchStatements);
        this.maxBatchBytes = maxBatchBytes;
        this.combineEventTables = combineEventTables;
        this.readPartitionsPerQuery = Math.max(1, readPartitionsPerQuery);
    }

    public AggregateCache cache() {
        return cache;
    }

    /**
     * Per aggregate, its row writes in the batches still in flight, pruned once done (consumer thread only). A state
     * row waits for its aggregate's, not for every write of the previous batch, so no aggregate waits for another's.
     */
    private final Map<AggregateKey, CompletableFuture<?>> pendingWrites = new HashMap<>();

    /** Drops the contexts and pending writes of abandoned batches (revocation, failures): nothing may wait on them. */
    public void forgetInFlight() {
        cache.clear();
        pendingWrites.clear();
    }

    /** A context and, when it holds no complete id index, the stored seq of the poll's event ids. */
    public record Loaded(AggregateContext context, Map<String, Long> lookedUp) {}

    /** Stage 1. */
    public CompletableFuture<Map<AggregateKey, Loaded>> load(
            BatchToken token, Map<AggregateKey, List<DecodedEvent>> groups) {
        Map<AggregateKey, CompletableFuture<AggregateContext>> contexts = new HashMap<>();
        List<AggregateKey> missing = new ArrayList<>();
        for (AggregateKey key : groups.keySet()) {
            AggregateContext cached = cache.get(key);
            if (cached != null) {
                contexts.put(key, CompletableFuture.completedFuture(cached));
            } else {
                missing.add(key);
            }
        }
        if (readPartitionsPerQuery > 1) {
            loadContexts(token, missing, contexts);
        } else {
            for (AggregateKey key : missing) {
                contexts.put(key, loadContext(token, key));
            }
        }
        Map<AggregateKey, CompletableFuture<Loaded>> futures = new LinkedHashMap<>();
        for (Map.Entry<AggregateKey, List<DecodedEvent>> group : groups.entrySet()) {
            AggregateKey key = group.getKey();
            futures.put(key, contexts.get(key).thenCompose(c -> {
                if (c.hasCompleteIdIndex()) {
                    return CompletableFuture.completedFuture(new Loaded(c, Map.of()));
                }
                Set<String> ids =
                        group.getValue().stream().map(r -> r.event().id()).collect(Collectors.toSet());
                return executor.submit(token, new Op("event id lookup for", key), () -> store.lookupEventIds(key, ids))
                        .thenApply(found -> new Loaded(c, found));
            }));
        }
        return CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    Map<AggregateKey, Loaded> loaded = new LinkedHashMap<>();
                    futures.forEach((k, f) -> loaded.put(k, f.join()));
                    return loaded;
                });
    }

    /**
     * The contexts of aggregates not in the cache, their stored event ids read {@code readPartitionsPerQuery}
     * partitions per query (one request instead of one per aggregate: most aggregates of a poll are new and have
     * none), then each like {@link #loadContext}.
     */
    private void loadContexts(
            BatchToken token, List<AggregateKey> missing, Map<AggregateKey, CompletableFuture<AggregateContext>> into) {
        Map<AggregateType, List<AggregateKey>> byType = new LinkedHashMap<>();
        for (AggregateKey key : missing) {
            byType.computeIfAbsent(key.type(), t -> new ArrayList<>()).add(key);
        }
        for (List<AggregateKey> keys : byType.values()) {
            for (int from = 0; from < keys.size(); from += readPartitionsPerQuery) {
                List<AggregateKey> chunk = keys.subList(from, Math.min(keys.size(), from + readPartitionsPerQuery));
                if (chunk.size() == 1) {
                    into.put(chunk.get(0), loadContext(token, chunk.get(0)));
                    continue;
                }
                List<AggregateKey> ids = List.copyOf(chunk);
                CompletableFuture<Map<AggregateKey, Map<String, Long>>> read = executor.submit(
                        token,
                        new Op("event id read of", ids.size() + " aggregates"),
                        () -> store.loadEventIds(ids, idIndexLimit + 1));
                for (AggregateKey key : ids) {
                    into.put(key, read.thenCompose(stored -> context(token, key, stored.getOrDefault(key, Map.of()))));
                }
            }
        }
    }

    /**
     * Reads the stored event ids first: none means nothing was ever stored for the aggregate, and then there is no
     * state row either (a state row is written only after the events it reflects), so a new aggregate costs one read.
     */
    private CompletableFuture<AggregateContext> loadContext(BatchToken token, AggregateKey key) {
        return executor.submit(token, new Op("event id read of", key), () -> store.loadEventIds(key, idIndexLimit + 1))
                .thenCompose(stored -> context(token, key, stored));
    }

    /** The context of an aggregate whose stored event ids (up to {@code idIndexLimit + 1}) are {@code stored}. */
    private CompletableFuture<AggregateContext> context(BatchToken token, AggregateKey key, Map<String, Long> stored) {
        Map<String, Long> index = stored.size() > idIndexLimit ? null : new HashMap<>(stored);
        if (stored.isEmpty()) {
            return CompletableFuture.completedFuture(AggregateContext.empty(key, true));
        }
        return executor.submit(token, new Op("state read of", key), () -> store.loadState(key))
                .thenApply(s -> s == null
                        // events stored by an attempt that crashed before the state write
                        ? new AggregateContext(key, AggregateContext.initialState(key), 0, -1, -1, index, true)
                        : new AggregateContext(
                                key, s.state(), s.lastSeq(), s.sourcePartition(), s.sourceOffset(), index, true));
    }

    /**
     * Stage 2: one plan per aggregate, in the poll's order. Each aggregate's successor context enters the cache at
     * once, so the next poll can be planned while this one is still being written.
     */
    public List<AggregatePlan> plan(Map<AggregateKey, List<DecodedEvent>> groups, Map<AggregateKey, Loaded> loaded) {
        List<AggregatePlan> plans = new ArrayList<>(groups.size());
        for (Map.Entry<AggregateKey, List<DecodedEvent>> group : groups.entrySet()) {
            Loaded l = loaded.get(group.getKey());
            AggregatePlan plan = planner.plan(l.context(), group.getValue(), l.lookedUp());
            cache.put(l.context().successor(plan, idIndexLimit));
            plans.add(plan);
        }
        return plans;
    }

    /**
     * Stage 3. Bucket rows and event rows go out at once; each state row waits for the rows of the events it reflects:
     * its aggregate's rows of this batch (bucket rows included) and its aggregate's writes of earlier batches still in
     * flight ({@link #pendingWrites}), which in turn waited for theirs. So a stored state row never reflects an event
     * that is not stored, whatever crashes when, and no aggregate waits for another's writes.
     *
     * <p>An order's state row shares its partition key with the order's event rows, so with {@code combineEventTables}
     * it rides in the same single-partition batch as the order's last event rows of the poll: one mutation, one
     * request. That batch waits for what the state row would have waited for.
     *
     * @return completes when every row of the batch is stored
     */
    public CompletableFuture<Void> write(BatchToken token, List<AggregatePlan> plans) {
        pendingWrites.values().removeIf(CompletableFuture::isDone);
        Map<AggregateKey, List<CompletableFuture<?>>> eventWrites = new HashMap<>();

        // each event's values encoded once for its three rows
        List<List<EventStore.EncodedEvent>> encoded = new ArrayList<>(plans.size());
        for (AggregatePlan plan : plans) {
            encoded.add(plan.events().isEmpty() ? List.of() : store.encode(plan.events()));
        }
        // events_by_bucket: per (bucket, shard), across aggregates
        Map<BucketPartition, List<EventStore.EncodedEvent>> byBucket = new LinkedHashMap<>();
        for (List<EventStore.EncodedEvent> rows : encoded) {
            for (EventStore.EncodedEvent e : rows) {
                byBucket.computeIfAbsent(
                                new BucketPartition(e.row().bucket(), e.row().shard()), b -> new ArrayList<>())
                        .add(e);
            }
        }
        for (List<EventStore.EncodedEvent> rows : byBucket.values()) {
            for (List<EventStore.EncodedEvent> chunk : chunk(rows, maxBatchStatements)) {
                CompletableFuture<?> f = submit(
                        token, new Op("bucket append to", chunk.get(0).row().bucket()), map(chunk, store::bucket));
                Set<AggregateKey> keys = new HashSet<>();
                for (EventStore.EncodedEvent e : chunk) {
                    if (keys.add(e.row().key())) {
                        eventWrites
                                .computeIfAbsent(e.row().key(), k -> new ArrayList<>())
                                .add(f);
                    }
                }
            }
        }
        // events_by_aggregate (+ event_ids_by_aggregate, + an order's state): per aggregate
        Set<AggregateKey> stateWritten = new HashSet<>();
        for (int i = 0; i < plans.size(); i++) {
            AggregatePlan plan = plans.get(i);
            if (plan.events().isEmpty()) {
                continue;
            }
            AggregateKey key = plan.context().key();
            List<CompletableFuture<?>> rowsOfKey = eventWrites.computeIfAbsent(key, k -> new ArrayList<>());
            if (combineEventTables) {
                List<List<EventStore.EncodedEvent>> chunks = chunk(encoded.get(i), maxBatchStatements / 2);
                boolean withState = plan.stateRow() != null && key.type() == AggregateType.ORDER;
                List<CompletableFuture<?>> earlier = new ArrayList<>();
                for (int c = 0; c < chunks.size(); c++) {
                    List<BatchableStatement<?>> statements =
                            new ArrayList<>(chunks.get(c).size() * 2 + 1);
                    for (EventStore.EncodedEvent e : chunks.get(c)) {
                        statements.add(store.event(e));
                        statements.add(store.eventId(e));
                    }
                    if (withState && c == chunks.size() - 1) {
                        statements.add(store.state(plan.stateRow()));
                        List<CompletableFuture<?>> waitFor = reflectedWrites(key, rowsOfKey);
                        waitFor.addAll(earlier);
                        Op what = new Op("event append and state write of", key);
                        earlier.add(CompletableFuture.allOf(waitFor.toArray(CompletableFuture[]::new))
                                .thenCompose(v -> submit(token, what, statements)));
                        stateWritten.add(key);
                    } else {
                        earlier.add(submit(token, new Op("event append to", key), statements));
                    }
                }
                rowsOfKey.addAll(earlier);
            } else {
                for (List<EventStore.EncodedEvent> chunk : chunk(encoded.get(i), maxBatchStatements)) {
                    rowsOfKey.add(submit(token, new Op("event append to", key), map(chunk, store::event)));
                    rowsOfKey.add(submit(token, new Op("event id append to", key), map(chunk, store::eventId)));
                }
            }
        }
        List<CompletableFuture<?>> all = new ArrayList<>();
        eventWrites.values().forEach(all::addAll);

        // the other state rows, each after the rows it reflects: orders one by one, inventory grouped by SKU
        Map<String, List<AggregatePlan>> statesByPartition = new LinkedHashMap<>();
        for (AggregatePlan plan : plans) {
            if (plan.stateRow() == null || stateWritten.contains(plan.context().key())) {
                continue;
            }
            AggregateKey key = plan.context().key();
            String partition = key.type() == AggregateType.ORDER ? "o|" + key.id() : "i|" + key.sku();
            statesByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(plan);
        }
        for (List<AggregatePlan> group : statesByPartition.values()) {
            for (List<AggregatePlan> chunk : chunkPlans(group)) {
                List<CompletableFuture<?>> deps = new ArrayList<>();
                for (AggregatePlan p : chunk) {
                    AggregateKey key = p.context().key();
                    deps.addAll(reflectedWrites(key, eventWrites.getOrDefault(key, List.of())));
                }
                List<BatchableStatement<?>> statements = map(chunk, p -> store.state(p.stateRow()));
                Op what = new Op("state write of", chunk.get(0).context().key());
                all.add(CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new))
                        .thenCompose(v -> submit(token, what, statements)));
            }
        }
        // what later batches' state rows of these aggregates must wait for
        eventWrites.forEach((key, rows) -> {
            List<CompletableFuture<?>> pending = reflectedWrites(key, rows);
            pendingWrites.put(key, CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)));
        });
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** The aggregate's rows of this batch so far and its writes of earlier batches still in flight. */
    private List<CompletableFuture<?>> reflectedWrites(AggregateKey key, List<CompletableFuture<?>> rowsOfThisBatch) {
        List<CompletableFuture<?>> writes = new ArrayList<>(rowsOfThisBatch);
        CompletableFuture<?> earlier = pendingWrites.get(key);
        if (earlier != null) {
            writes.add(earlier);
        }
        return writes;
    }

    private record BucketPartition(String bucket, int shard) {}

    /** What a storage operation is, for logs; its text is built only when logged. */
    private record Op(String what, Object target) {
        @Override
        public String toString() {
            return what + " " + target;
        }
    }

    private CompletableFuture<?> submit(
            BatchToken token, Object what, List<? extends BatchableStatement<?>> statements) {
        List<BatchableStatement<?>> copy = List.copyOf(statements);
        return executor.submit(token, what, () -> store.execute(EventStore.unlogged(copy)));
    }

    private List<List<EventStore.EncodedEvent>> chunk(List<EventStore.EncodedEvent> rows, int maxRows) {
        List<List<EventStore.EncodedEvent>> chunks = new ArrayList<>();
        List<EventStore.EncodedEvent> current = new ArrayList<>();
        int bytes = 0;
        for (EventStore.EncodedEvent row : rows) {
            int size = row.row().approximateBytes();
            if (!current.isEmpty() && (current.size() >= maxRows || bytes + size > maxBatchBytes)) {
                chunks.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(row);
            bytes += size;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private List<List<AggregatePlan>> chunkPlans(List<AggregatePlan> plans) {
        List<List<AggregatePlan>> chunks = new ArrayList<>();
        List<AggregatePlan> current = new ArrayList<>();
        int bytes = 0;
        for (AggregatePlan plan : plans) {
            int size = plan.stateRow().stateJson().length() + 200;
            if (!current.isEmpty() && (current.size() >= maxBatchStatements || bytes + size > maxBatchBytes)) {
                chunks.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(plan);
            bytes += size;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private static <T> List<BatchableStatement<?>> map(List<T> items, Function<T, BoundStatement> f) {
        List<BatchableStatement<?>> out = new ArrayList<>(items.size());
        for (T item : items) {
            out.add(f.apply(item));
        }
        return out;
    }
}
