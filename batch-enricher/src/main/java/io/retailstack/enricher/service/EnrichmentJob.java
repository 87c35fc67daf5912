package io.retailstack.enricher.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.retailstack.enricher.cassandra.EventRow;
import io.retailstack.enricher.cassandra.EventStoreReader;
import io.retailstack.enricher.config.EnricherConfig;
import io.retailstack.enricher.persistence.OpsRepository;
import io.retailstack.enricher.persistence.StarSchemaWriter;
import io.retailstack.enricher.persistence.StarSchemaWriter.WriteResult;
import io.retailstack.enricher.reference.ReferenceDataLoader;
import io.retailstack.enricher.service.FactRows.FoldedOrder;
import io.retailstack.enricher.service.FactRows.LineRow;
import io.retailstack.enricher.service.FactRows.MovementRow;
import io.retailstack.enricher.service.FactRows.OrderRow;
import io.retailstack.events.AggregateType;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.store.EventBuckets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * One enrichment run: events recorded since the shard's watermark (minus the overlap) are read from Cassandra by
 * (bucket, shard) partition, folded and enriched, and upserted into the star schema in chunks, each chunk one
 * transaction that also advances the watermark.
 *
 * <p><b>Order facts.</b> A run only sees an order's new events, but the fact is the fold of all of them. For each
 * order with events in a chunk the fact's {@code last_seq} decides: events at or below it are already folded
 * (skipped, unless rebuilding); if the chunk holds the order's events from seq 1 without a gap (the common case: a
 * new order, or the first run), they are folded directly; otherwise the order's full history is read from {@code
 * events_by_aggregate} (one partition read) and folded. The fact is thus always a fold of a gapless prefix of the
 * order's history, never a merge of partial states, and a fact never goes back to a lower {@code last_seq}.
 *
 * <p><b>Pipeline.</b> A reader thread issues async partition reads (bounded) and decodes payloads on a small pool
 * while the calling thread writes the previous chunk to PostgreSQL, so reading and writing overlap.
 */
@ApplicationScoped
public class EnrichmentJob {
    private static final Logger LOG = Logger.getLogger(EnrichmentJob.class);

    @Inject
    DataSource dataSource;

    @Inject
    EventStoreReader reader;

    @Inject
    StarSchemaWriter writer;

    @Inject
    OpsRepository ops;

    @Inject
    ReferenceDataLoader reference;

    @Inject
    EnricherConfig config;

    @Inject
    MeterRegistry metrics;

    private final EventCodec codec = new EventCodec();
    private volatile Clock clock = Clock.systemUTC();
    private volatile ChunkListener chunkListener = ChunkListener.NONE;
    private volatile int chunkEventsOverride;

    /** The shard this process runs by default (config, i.e. JOB_COMPLETION_INDEX / SHARD_COUNT). */
    public ShardSpec defaultShard() {
        return new ShardSpec(config.run().shardIndex(), config.run().shardCount());
    }

    /** Test seam: called before each chunk commits. */
    public void setChunkListener(ChunkListener listener) {
        this.chunkListener = listener == null ? ChunkListener.NONE : listener;
    }

    /** Test seam: events per chunk (0 = enricher.run.chunk-events). */
    public void setChunkEvents(int events) {
        this.chunkEventsOverride = events;
    }

    /** Test seam: the clock giving a run's upper bound. */
    public void setClock(Clock clock) {
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** An incremental run of {@code shard}. */
    public RunReport run(ShardSpec shard) {
        return run(RunMode.RUN, shard, null);
    }

    /**
     * Runs once.
     *
     * @param rebuildFrom for {@link RunMode#REBUILD}: read from here instead of the watermark
     * @throws EnrichmentException if anything failed; committed chunks stay, the rest is retried by the next run
     */
    public RunReport run(RunMode mode, ShardSpec shard, Instant rebuildFrom) {
        long t0 = System.nanoTime();
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            metrics.counter("enricher.runs", "status", "FAILED").increment();
            throw new EnrichmentException("cannot connect to PostgreSQL", e);
        }
        long runId = -1;
        boolean locked = false;
        try {
            c.setAutoCommit(true);
            if (!ops.tryLock(c, shard)) {
                LOG.warnf("shard %s: another run holds it; skipping", shard);
                metrics.counter("enricher.runs", "status", "SKIPPED_LOCKED").increment();
                Instant now = clock.instant();
                return new RunReport(
                        -1,
                        "SKIPPED_LOCKED",
                        now,
                        now,
                        null,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        Map.of(),
                        List.of(),
                        List.of(),
                        0,
                        Duration.ofNanos(System.nanoTime() - t0));
            }
            locked = true;
            runId = ops.startRun(c, shard, mode);
            if (config.reference().loadBundledIfEmpty()) {
                reference.loadBundledIfEmpty(c);
            }
            RunReport report = execute(c, runId, mode, shard, rebuildFrom, t0);
            ops.finishRun(c, report);
            LOG.info(report.summary());
            metrics.counter("enricher.runs", "status", report.status()).increment();
            metrics.counter("enricher.events.read").increment(report.eventsRead());
            report.rowsChanged().forEach((table, n) -> metrics.counter("enricher.rows.changed", "table", table)
                    .increment(n));
            metrics.timer("enricher.run.duration").record(report.elapsed());
            return report;
        } catch (Exception e) {
            metrics.counter("enricher.runs", "status", "FAILED").increment();
            LOG.errorf(e, "shard %s: run %d failed", shard, runId);
            recordFailure(runId, e);
            throw e instanceof EnrichmentException ee ? ee : new EnrichmentException("run failed: " + e, e);
        } finally {
            try {
                if (locked && !c.isClosed()) {
                    ops.unlock(c, shard);
                }
            } catch (SQLException e) {
                LOG.debugf("unlock failed (the session is gone, and so is its lock): %s", e.getMessage());
            }
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debugf("close failed: %s", e.getMessage());
            }
        }
    }

    private void recordFailure(long runId, Exception error) {
        if (runId < 0) {
            return;
        }
        try (Connection fresh = dataSource.getConnection()) {
            ops.failRun(fresh, runId, error);
        } catch (SQLException e) {
            LOG.warnf("could not mark run %d FAILED (%s); the next run marks it ABANDONED", runId, e.getMessage());
        }
    }

    private record Partition(String bucket, int shard, boolean lastOfBucket, Instant bucketEnd) {}

    private record Decoded(EventRow row, CloudEvent event) {}

    private record PartitionResult(Partition partition, List<Decoded> events) {}

    private static final CompletableFuture<PartitionResult> END = CompletableFuture.completedFuture(null);

    private RunReport execute(Connection c, long runId, RunMode mode, ShardSpec shard, Instant rebuildFrom, long t0)
            throws Exception {
        Instant to = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant from;
        if (mode == RunMode.REBUILD) {
            from = rebuildFrom;
        } else {
            from = ops.watermark(c, shard)
                    .map(w -> w.minus(config.run().overlap()))
                    .orElse(to.minus(config.run().initialLookback()));
        }
        if (from.isAfter(to)) {
            from = to;
        }
        List<String> buckets =
                EventBuckets.bucketsBetween(from, to.minusMillis(1).isBefore(from) ? from : to.minusMillis(1));
        List<Partition> partitions = new ArrayList<>();
        for (int b = 0; b < buckets.size(); b++) {
            String bucket = buckets.get(b);
            Instant end = EventBuckets.startOf(bucket).plus(1, ChronoUnit.HOURS);
            List<Integer> shards = shard.storeShards();
            for (int i = 0; i < shards.size(); i++) {
                partitions.add(new Partition(bucket, shards.get(i), i == shards.size() - 1, end));
            }
        }
        LOG.infof(
                "shard %s run %d (%s): reading %s .. %s, %d buckets, %d partitions",
                shard, runId, mode, from, to, buckets.size(), partitions.size());

        Progress progress = new Progress(
                shard.key(), buckets.size(), partitions.size(), config.run().progressInterval());
        boolean force = mode == RunMode.REBUILD;
        Totals totals = new Totals();
        ExecutorService decodePool =
                Executors.newFixedThreadPool(config.run().decodeThreads(), daemon("enricher-decode"));
        BlockingQueue<CompletableFuture<PartitionResult>> queue =
                new ArrayBlockingQueue<>(config.run().readAhead());
        Instant readFrom = from;
        Thread producer = new Thread(
                () -> produce(partitions, readFrom, to, queue, decodePool), "enricher-reader-" + shard.key());
        producer.setDaemon(true);
        producer.start();
        Instant watermark = null;
        int chunkLimit =
                chunkEventsOverride > 0 ? chunkEventsOverride : config.run().chunkEvents();
        try {
            List<PartitionResult> chunk = new ArrayList<>();
            long chunkEvents = 0;
            int chunkNo = 0;
            for (int i = 0; i < partitions.size(); i++) {
                PartitionResult result = take(queue);
                chunk.add(result);
                chunkEvents += result.events().size();
                progress.partitionDone(
                        result.events().size(), result.partition().lastOfBucket());
                boolean last = i == partitions.size() - 1;
                if (chunkEvents >= chunkLimit || last) {
                    Partition p = result.partition();
                    Instant after = last ? to : p.lastOfBucket() ? p.bucketEnd() : EventBuckets.startOf(p.bucket());
                    writeChunk(c, chunk, force, shard, after, runId, ++chunkNo, totals);
                    watermark = after;
                    progress.log("committed chunk " + chunkNo);
                    chunk = new ArrayList<>();
                    chunkEvents = 0;
                }
            }
        } finally {
            producer.interrupt();
            decodePool.shutdownNow();
        }
        return new RunReport(
                runId,
                "SUCCEEDED",
                from,
                to,
                ops.watermark(c, shard).orElse(watermark),
                buckets.size(),
                partitions.size(),
                totals.events,
                totals.undecodable,
                totals.ordersFolded,
                totals.historyReads,
                totals.rowsChanged,
                new ArrayList<>(totals.unknownLocations),
                new ArrayList<>(totals.unknownSkus),
                totals.unknownRows,
                Duration.ofNanos(System.nanoTime() - t0));
    }

    private static PartitionResult take(BlockingQueue<CompletableFuture<PartitionResult>> queue) throws Exception {
        CompletableFuture<PartitionResult> f = queue.take();
        try {
            PartitionResult r = f.join();
            if (r == null) {
                throw new IllegalStateException("reader ended early");
            }
            return r;
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private void produce(
            List<Partition> partitions,
            Instant from,
            Instant to,
            BlockingQueue<CompletableFuture<PartitionResult>> queue,
            ExecutorService decodePool) {
        try {
            for (Partition p : partitions) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                CompletableFuture<PartitionResult> f;
                try {
                    f = reader.readPartition(p.bucket(), p.shard(), from, to)
                            .thenApplyAsync(rows -> new PartitionResult(p, decodeAll(rows)), decodePool);
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                queue.put(f);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<Decoded> decodeAll(List<EventRow> rows) {
        List<Decoded> out = new ArrayList<>(rows.size());
        for (EventRow row : rows) {
            out.add(new Decoded(row, decode(row)));
        }
        return out;
    }

    private CloudEvent decode(EventRow row) {
        try {
            return codec.decode(row.payload().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.debugf("undecodable event %s (%s/%s): %s", row.eventId(), row.aggregateType(), row.aggregateId(), e);
            return null;
        }
    }

    /** Running totals of a run. */
    private static final class Totals {
        long events;
        long undecodable;
        long ordersFolded;
        long historyReads;
        long unknownRows;
        final Map<String, Long> rowsChanged = new LinkedHashMap<>();
        final TreeSet<String> unknownLocations = new TreeSet<>();
        final TreeSet<String> unknownSkus = new TreeSet<>();
    }

    private static final class OrderEvents {
        final int shard;
        final TreeMap<Long, Decoded> bySeq = new TreeMap<>();

        OrderEvents(int shard) {
            this.shard = shard;
        }
    }

    private void writeChunk(
            Connection c,
            List<PartitionResult> parts,
            boolean force,
            ShardSpec shard,
            Instant watermarkAfter,
            long runId,
            int chunkNo,
            Totals totals)
            throws Exception {
        Map<String, OrderEvents> orders = new HashMap<>();
        Map<String, MovementRow> movements = new LinkedHashMap<>();
        for (PartitionResult part : parts) {
            for (Decoded d : part.events()) {
                totals.events++;
                if (d.event() == null) {
                    totals.undecodable++;
                    continue;
                }
                EventRow row = d.row();
                if (AggregateType.ORDER.prefix().equals(row.aggregateType())) {
                    orders.computeIfAbsent(row.aggregateId(), id -> new OrderEvents(row.shard()))
                            .bySeq
                            .putIfAbsent(row.seq(), d);
                } else if (AggregateType.INVENTORY.prefix().equals(row.aggregateType())) {
                    movements.computeIfAbsent(
                            row.eventId(),
                            id -> FactRows.movementRow(d.event(), row.shard(), row.recordedAt(), row.seq()));
                }
            }
        }

        Map<String, Long> lastSeqs = ops.lastSeqs(c, orders.keySet());
        List<FoldedOrder> folded = new ArrayList<>();
        Map<String, Integer> shardOf = new HashMap<>();
        List<String> needHistory = new ArrayList<>();
        for (Map.Entry<String, OrderEvents> e : orders.entrySet()) {
            String orderId = e.getKey();
            TreeMap<Long, Decoded> events = e.getValue().bySeq;
            shardOf.put(orderId, e.getValue().shard);
            long known = lastSeqs.getOrDefault(orderId, 0L);
            long max = events.lastKey();
            if (!force && max <= known) {
                continue; // already folded into the fact (an overlap re-read)
            }
            boolean gaplessFromOne = events.firstKey() == 1 && max == events.size();
            if (gaplessFromOne && max >= known) {
                folded.add(FactRows.fold(
                        orderId, events.values().stream().map(Decoded::event).toList(), max));
            } else {
                needHistory.add(orderId);
            }
        }
        folded.addAll(readHistories(needHistory, shardOf));
        totals.historyReads += needHistory.size();

        List<OrderRow> orderRows = new ArrayList<>(folded.size());
        List<LineRow> lineRows = new ArrayList<>();
        for (FoldedOrder f : folded) {
            OrderRow row = FactRows.orderRow(f, shardOf.get(f.state().orderId()));
            if (row != null) {
                orderRows.add(row);
                lineRows.addAll(FactRows.lineRows(row, f.state()));
            }
        }
        totals.ordersFolded += orderRows.size();

        c.setAutoCommit(false);
        try {
            WriteResult result = writer.write(c, orderRows, lineRows, movements.values());
            ops.advanceWatermark(c, shard, watermarkAfter, runId);
            chunkListener.beforeCommit(chunkNo);
            c.commit();
            result.rowsChanged().forEach((t, n) -> totals.rowsChanged.merge(t, n, Long::sum));
            totals.unknownLocations.addAll(result.unknownLocationIds());
            totals.unknownSkus.addAll(result.unknownSkus());
            totals.unknownRows += result.unknownRows();
            if (!result.unknownLocationIds().isEmpty() || !result.unknownSkus().isEmpty()) {
                LOG.warnf(
                        "shard %s chunk %d: %d fact rows point to the unknown member: locations %s, skus %s",
                        shard, chunkNo, result.unknownRows(), result.unknownLocationIds(), result.unknownSkus());
            }
        } catch (Exception e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailed) {
                e.addSuppressed(rollbackFailed);
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is broken; the caller fails the run
            }
        }
    }

    /** Reads and folds the full history of each order from events_by_aggregate, in parallel (bounded). */
    private List<FoldedOrder> readHistories(List<String> orderIds, Map<String, Integer> shardOf) {
        if (orderIds.isEmpty()) {
            return List.of();
        }
        List<CompletableFuture<FoldedOrder>> futures = new ArrayList<>(orderIds.size());
        for (String orderId : orderIds) {
            futures.add(reader.readAggregate(AggregateType.ORDER.prefix(), orderId, shardOf.get(orderId))
                    .thenApply(rows -> {
                        List<CloudEvent> events = new ArrayList<>(rows.size());
                        long max = 0;
                        for (EventRow row : rows) {
                            CloudEvent event = decode(row);
                            if (event != null) {
                                events.add(event);
                            }
                            max = Math.max(max, row.seq());
                        }
                        return FactRows.fold(orderId, events, max);
                    }));
        }
        List<FoldedOrder> out = new ArrayList<>(futures.size());
        for (CompletableFuture<FoldedOrder> f : futures) {
            out.add(f.join());
        }
        return out;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
