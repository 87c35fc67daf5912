package io.retailstack.writer.service;

import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.writer.persistence.EventStore;
import java.util.ArrayList;
import java.util.HashMap;
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
 *   <li>{@link #write}: the event rows, then each state row once the event rows it reflects are stored.
 * </ol>
 *
 * <p>Writes are single-partition UNLOGGED batches: an aggregate's {@code events_by_aggregate} and {@code
 * event_ids_by_aggregate} rows (same partition key, so one mutation on Apache Cassandra; separate batches per table
 * when {@code combineEventTables} is off, as on Cosmos DB), {@code events_by_bucket} rows of one (bucket, shard)
 * across the poll's aggregates, and the inventory state rows of one SKU. Every statement goes through the {@link
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

    public BatchProcessor(
            EventStore store,
            RetryingExecutor executor,
            AggregateCache cache,
            int idIndexLimit,
            int maxBatchStatements,
            int maxBatchBytes,
            boolean combineEventTables) {
        this.store = store;
        this.executor = executor;
        this.cache = cache;
        this.idIndexLimit = idIndexLimit;
        this.maxBatchStatements = Math.max(2, maxBatchStatements);
        this.maxBatchBytes = maxBatchBytes;
        this.combineEventTables = combineEventTables;
    }

    public AggregateCache cache() {
        return cache;
    }

    /** A context and, when it holds no complete id index, the stored seq of the poll's event ids. */
    public record Loaded(AggregateContext context, Map<String, Long> lookedUp) {}

    /** Stage 1. */
    public CompletableFuture<Map<AggregateKey, Loaded>> load(
            BatchToken token, Map<AggregateKey, List<DecodedEvent>> groups) {
        Map<AggregateKey, CompletableFuture<Loaded>> futures = new LinkedHashMap<>();
        for (Map.Entry<AggregateKey, List<DecodedEvent>> group : groups.entrySet()) {
            AggregateKey key = group.getKey();
            AggregateContext cached = cache.get(key);
            CompletableFuture<AggregateContext> context =
                    cached != null ? CompletableFuture.completedFuture(cached) : loadContext(token, key);
            futures.put(key, context.thenCompose(c -> {
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
     * Reads the stored event ids first: none means nothing was ever stored for the aggregate, and then there is no
     * state row either (a state row is written only after the events it reflects), so a new aggregate costs one read.
     */
    private CompletableFuture<AggregateContext> loadContext(BatchToken token, AggregateKey key) {
        return executor.submit(token, new Op("event id read of", key), () -> store.loadEventIds(key, idIndexLimit + 1))
                .thenCompose(stored -> {
                    Map<String, Long> index = stored.size() > idIndexLimit ? null : new HashMap<>(stored);
                    if (stored.isEmpty()) {
                        return CompletableFuture.completedFuture(AggregateContext.empty(key, true));
                    }
                    return executor.submit(token, new Op("state read of", key), () -> store.loadState(key))
                            .thenApply(s -> s == null
                                    // events stored by an attempt that crashed before the state write
                                    ? new AggregateContext(
                                            key, AggregateContext.initialState(key), 0, -1, -1, index, true)
                                    : new AggregateContext(
                                            key,
                                            s.state(),
                                            s.lastSeq(),
                                            s.sourcePartition(),
                                            s.sourceOffset(),
                                            index,
                                            true));
                });
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
     * What {@link #write} started.
     *
     * @param events completes when every event row of the batch is stored
     * @param all completes when every event row and every state row of the batch is stored
     */
    public record Writes(CompletableFuture<Void> events, CompletableFuture<Void> all) {}

    /**
     * Stage 3. Event rows go out at once; each state row waits for the event rows it reflects: its own aggregate's in
     * this batch, and every event row of the previous batch still in flight ({@code previousEvents}). So a stored
     * state row never reflects an event that is not stored, whatever crashes when.
     */
    public Writes write(BatchToken token, List<AggregatePlan> plans, CompletableFuture<?> previousEvents) {
        Map<AggregateKey, List<CompletableFuture<?>>> eventWrites = new HashMap<>();
        List<CompletableFuture<?>> all = new ArrayList<>();

        // events_by_aggregate (+ event_ids_by_aggregate): per aggregate
        for (AggregatePlan plan : plans) {
            if (plan.events().isEmpty()) {
                continue;
            }
            AggregateKey key = plan.context().key();
            List<CompletableFuture<?>> deps = eventWrites.computeIfAbsent(key, k -> new ArrayList<>());
            if (combineEventTables) {
                for (List<EventRow> chunk : chunk(plan.events(), maxBatchStatements / 2)) {
                    List<BatchableStatement<?>> statements = new ArrayList<>(chunk.size() * 2);
                    for (EventRow e : chunk) {
                        statements.add(store.event(e));
                        statements.add(store.eventId(e));
                    }
                    deps.add(submit(token, new Op("event append to", key), statements));
                }
            } else {
                for (List<EventRow> chunk : chunk(plan.events(), maxBatchStatements)) {
                    deps.add(submit(token, new Op("event append to", key), map(chunk, store::event)));
                    deps.add(submit(token, new Op("event id append to", key), map(chunk, store::eventId)));
                }
            }
        }
        // events_by_bucket: per (bucket, shard), across aggregates
        Map<BucketPartition, List<EventRow>> byBucket = new LinkedHashMap<>();
        for (AggregatePlan plan : plans) {
            for (EventRow e : plan.events()) {
                byBucket.computeIfAbsent(new BucketPartition(e.bucket(), e.shard()), b -> new ArrayList<>())
                        .add(e);
            }
        }
        for (List<EventRow> rows : byBucket.values()) {
            for (List<EventRow> chunk : chunk(rows, maxBatchStatements)) {
                CompletableFuture<?> f =
                        submit(token, new Op("bucket append to", chunk.get(0).bucket()), map(chunk, store::bucket));
                for (AggregateKey key : chunk.stream().map(EventRow::key).collect(Collectors.toSet())) {
                    eventWrites.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
                }
            }
        }
        eventWrites.values().forEach(all::addAll);
        CompletableFuture<Void> events = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));

        // state rows, each after the event rows of its aggregate(s): orders one by one, inventory grouped by SKU
        Map<String, List<AggregatePlan>> statesByPartition = new LinkedHashMap<>();
        for (AggregatePlan plan : plans) {
            if (plan.stateRow() == null) {
                continue;
            }
            AggregateKey key = plan.context().key();
            String partition = key.type() == AggregateType.ORDER ? "o|" + key.id() : "i|" + key.sku();
            statesByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(plan);
        }
        for (List<AggregatePlan> group : statesByPartition.values()) {
            for (List<AggregatePlan> chunk : chunkPlans(group)) {
                List<CompletableFuture<?>> deps = new ArrayList<>();
                deps.add(previousEvents);
                for (AggregatePlan p : chunk) {
                    deps.addAll(eventWrites.getOrDefault(p.context().key(), List.of()));
                }
                List<BatchableStatement<?>> statements = map(chunk, p -> store.state(p.stateRow()));
                Op what = new Op("state write of", chunk.get(0).context().key());
                all.add(CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new))
                        .thenCompose(v -> submit(token, what, statements)));
            }
        }
        return new Writes(events, CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));
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

    private List<List<EventRow>> chunk(List<EventRow> rows, int maxRows) {
        List<List<EventRow>> chunks = new ArrayList<>();
        List<EventRow> current = new ArrayList<>();
        int bytes = 0;
        for (EventRow row : rows) {
            int size = row.approximateBytes();
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
