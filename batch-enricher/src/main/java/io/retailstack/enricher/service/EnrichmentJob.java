package io.retailstack.enricher.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.retailstack.enricher.cassandra.EventRow;
import io.retailstack.enricher.cassandra.EventStoreReader;
import io.retailstack.enricher.config.EnricherConfig;
import io.retailstack.enricher.persistence.OpsRepository;
import io.retailstack.enricher.persistence.StarSchemaWriter;
import io.retailstack.enricher.persistence.StarSchemaWriter.WriteResult;
import io.retailstack.enricher.reference.ReferenceDataLoader;
import io.retailstack.enricher.reference.ReferenceVersion;
import io.retailstack.enricher.service.FactRows.FoldedOrder;
import io.retailstack.enricher.service.FactRows.LineRow;
import io.retailstack.enricher.service.FactRows.MovementRow;
import io.retailstack.enricher.service.FactRows.OrderRow;
import io.retailstack.events.AggregateType;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.data.OrderLine;
import io.retailstack.events.store.EventBuckets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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

    /** How long a failed run waits for the chunk write in flight before closing the connection under it. */
    private static final Duration WRITER_GRACE = Duration.ofMinutes(2);

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

    private final StoredEventDecoder decoder = new StoredEventDecoder();
    private volatile Clock clock = Clock.systemUTC();
    private volatile ChunkListener chunkListener = ChunkListener.NONE;
    private volatile int chunkEventsOverride;

    /** The shard this process runs by default (config, i.e. JOB_COMPLETION_INDEX / SHARD_COUNT). */
    public ShardSpec defaultShard() {
        return shard(null, null);
    }

    /** The given shard index and count, each defaulting to this process's configuration (the Job's environment). */
    public ShardSpec shard(Integer index, Integer count) {
        return new ShardSpec(
                index == null ? config.run().shardIndex() : index,
                count == null ? config.run().shardCount() : count);
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

    /**
     * One (bucket, store shard) partition to read, {@code [from, bucket end)} clipped to the run's upper bound; it
     * holds the shard's rows recorded in {@code [start, bucketEnd)} (start: the later of from and the bucket's start).
     */
    private record Partition(
            String bucket, int shard, Instant from, Instant start, Instant bucketEnd, boolean lastOfShard) {}

    /**
     * A row and its event: null if undecodable, or not decoded yet ({@code deferred}: a re-read row below a known
     * overlap window's top, decoded only if it turns out not to be enriched already).
     */
    private record Decoded(EventRow row, CloudEvent event, boolean deferred) {}

    private record PartitionResult(Partition partition, List<Decoded> events) {}

    /**
     * A connection, and the only thread that uses it, free for a lookup beside the main one: stored order lines are
     * read there at the same time as the facts, so a merge-heavy (incremental) chunk waits for one lookup, not two.
     */
    private record SideLookup(Connection connection, ExecutorService thread) {}

    /** What a chunk writes, prepared off the writer thread. */
    private record PreparedChunk(
            int number,
            boolean rebuild,
            List<OrderRow> orders,
            List<LineRow> lines,
            List<MovementRow> movements,
            java.util.Set<String> movementsMayExist,
            Map<Integer, Instant> watermarks,
            Map<Integer, OpsRepository.OverlapCount> overlaps,
            long events,
            long overlapSkipped,
            long undecodable,
            long historyReads,
            long merged,
            long unknownRows,
            java.util.Set<String> ordersStored,
            boolean ordersStoredComplete,
            java.util.Set<StarSchemaWriter.HourGroup> hourlyGroups,
            Map<StarSchemaWriter.HourGroup, StarSchemaWriter.HourDelta> hourlyDeltas) {}

    private RunReport execute(Connection c, long runId, RunMode mode, ShardSpec shard, Instant rebuildFrom, long t0)
            throws Exception {
        Instant to = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Map<Integer, OpsRepository.Watermark> marks = ops.watermarks(c, shard);
        Map<Integer, Instant> watermarks = new HashMap<>();
        Map<Integer, OpsRepository.OverlapCount> knownOverlaps = new HashMap<>();
        marks.forEach((s, w) -> {
            watermarks.put(s, w.through());
            if (w.overlap() != null && mode != RunMode.REBUILD) {
                knownOverlaps.put(s, w.overlap());
            }
        });
        // the version first: a load committing in between makes the chunks re-point, never the other way round
        long referenceVersion = ReferenceVersion.current(c);
        Dimensions dims = Dimensions.load(c);
        // Shard-major: all buckets of store shard s, then of the next. An order's events all live in one store
        // shard, so a chunk that ends at a store-shard boundary never splits an order.
        List<Partition> partitions = new ArrayList<>();
        TreeSet<String> bucketNames = new TreeSet<>();
        Instant runFrom = to;
        for (int s : shard.storeShards()) {
            Instant w = watermarks.get(s);
            Instant from = w == null
                    ? to.minus(config.run().initialLookback())
                    : w.minus(config.run().overlap());
            if (mode == RunMode.REBUILD) {
                // A rebuild also covers what an incremental run would: it moves the watermark to now, so starting
                // after an older watermark would skip the events in between for good (e.g. after the scheduled runs
                // failed for hours and only the last hour is rebuilt).
                if (from.isBefore(rebuildFrom)) {
                    LOG.infof(
                            "store shard %d: %s, before --from %s; rebuilding from %s so nothing in between is skipped",
                            s, w == null ? "never enriched" : "enriched up to " + w, rebuildFrom, from);
                } else {
                    from = rebuildFrom;
                }
            }
            if (from.isAfter(to)) {
                from = to;
            }
            runFrom = from.isBefore(runFrom) ? from : runFrom;
            Instant last = to.minusMillis(1).isBefore(from) ? from : to.minusMillis(1);
            List<String> buckets = EventBuckets.bucketsBetween(from, last);
            for (int b = 0; b < buckets.size(); b++) {
                String bucket = buckets.get(b);
                Instant bucketStart = EventBuckets.startOf(bucket);
                Instant end = bucketStart.plus(1, ChronoUnit.HOURS);
                partitions.add(new Partition(
                        bucket,
                        s,
                        from,
                        from.isAfter(bucketStart) ? from : bucketStart,
                        end.isAfter(to) ? to : end,
                        b == buckets.size() - 1));
                bucketNames.add(bucket);
            }
        }
        LOG.infof(
                "shard %s run %d (%s): reading %s .. %s, %d buckets, %d partitions",
                shard, runId, mode, runFrom, to, bucketNames.size(), partitions.size());

        Progress progress = new Progress(
                shard.key(), bucketNames.size(), partitions.size(), config.run().progressInterval());
        boolean force = mode == RunMode.REBUILD;
        int chunkLimit =
                chunkEventsOverride > 0 ? chunkEventsOverride : config.run().chunkEvents();
        Totals totals = new Totals();
        ExecutorService decodePool =
                Executors.newFixedThreadPool(config.run().decodeThreads(), daemon("enricher-decode"));
        ExecutorService writerThread = Executors.newSingleThreadExecutor(daemon("enricher-writer"));
        BlockingQueue<CompletableFuture<PartitionResult>> queue =
                new ArrayBlockingQueue<>(config.run().readAhead());
        AtomicLong buffered = new AtomicLong();
        Thread producer = new Thread(
                () -> produce(partitions, to, queue, buffered, 2L * chunkLimit, decodePool, knownOverlaps),
                "enricher-reader-" + shard.key());
        producer.setDaemon(true);
        producer.start();
        CompletableFuture<Void> writing = CompletableFuture.completedFuture(null);
        try (Connection lookups = dataSource.getConnection()) {
            lookups.setAutoCommit(true);
            List<PartitionResult> chunk = new ArrayList<>();
            long chunkEvents = 0;
            int chunkNo = 0;
            boolean startsAtShardBoundary = true;
            for (int i = 0; i < partitions.size(); i++) {
                PartitionResult result = take(queue);
                buffered.addAndGet(-result.events().size());
                chunk.add(result);
                chunkEvents += result.events().size();
                progress.partitionDone(
                        result.events().size(), result.partition().bucket());
                boolean last = i == partitions.size() - 1;
                boolean shardDone = result.partition().lastOfShard();
                // close at a store-shard boundary; mid-shard (at a bucket boundary) only when far too large
                if (last || (shardDone && chunkEvents >= chunkLimit) || chunkEvents >= 4L * chunkLimit) {
                    // while no chunk is being written (always so for the first one, the only one of a small run),
                    // the writer thread and the run's connection are idle: stored lines are read there
                    SideLookup side = writing.isDone() ? new SideLookup(c, writerThread) : null;
                    PreparedChunk prepared = prepare(
                            lookups,
                            side,
                            chunk,
                            force,
                            ++chunkNo,
                            dims,
                            watermarks,
                            knownOverlaps,
                            startsAtShardBoundary);
                    // the next chunk shares no order with this one (in flight while it is prepared) unless this
                    // one was cut inside a store shard
                    startsAtShardBoundary = shardDone;
                    writing.join(); // one chunk in flight: commits stay in order, the reader keeps going
                    writing = CompletableFuture.runAsync(
                            () -> write(c, prepared, shard, runId, referenceVersion, totals), writerThread);
                    chunk = new ArrayList<>();
                    chunkEvents = 0;
                }
            }
            writing.join();
            progress.log("done");
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } finally {
            producer.interrupt();
            decodePool.shutdownNow();
            // A chunk may still be being written on the run's connection (the run failed while reading). The caller
            // unlocks and closes that connection next, and two threads on one connection corrupt its protocol
            // stream: let the write finish or fail first (JDBC I/O ignores interrupts, so no shutdownNow here).
            writerThread.shutdown();
            awaitWriter(writing, writerThread);
        }
        Instant watermark = ops.watermarks(c, shard).values().stream()
                .map(OpsRepository.Watermark::through)
                .min(Instant::compareTo)
                .orElse(null);
        return new RunReport(
                runId,
                "SUCCEEDED",
                runFrom,
                to,
                watermark,
                bucketNames.size(),
                partitions.size(),
                totals.events,
                totals.overlapSkipped,
                totals.undecodable,
                totals.ordersFolded,
                totals.historyReads,
                totals.merged,
                totals.rowsChanged,
                new ArrayList<>(dims.unknownLocations),
                new ArrayList<>(dims.unknownSkus),
                totals.unknownRows,
                Duration.ofNanos(System.nanoTime() - t0));
    }

    private static <T> T joinSql(CompletableFuture<T> f) throws SQLException {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e;
        }
    }

    private static void awaitQuietly(CompletableFuture<?> f) {
        try {
            f.join();
        } catch (RuntimeException e) {
            // reported by the join that uses the result
        }
    }

    private static void awaitWriter(CompletableFuture<Void> writing, ExecutorService writerThread) {
        try {
            writing.get(WRITER_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // reported where the run joined it, or irrelevant next to the failure being thrown
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warnf(
                    "a chunk write still runs %s after the run ended; its connection is closed under it", WRITER_GRACE);
            writerThread.shutdownNow();
        }
    }

    private static PartitionResult take(BlockingQueue<CompletableFuture<PartitionResult>> queue) throws Exception {
        CompletableFuture<PartitionResult> f = queue.take();
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** Reads partitions in order, ahead of the consumer, bounded by partitions queued and events buffered. */
    private void produce(
            List<Partition> partitions,
            Instant to,
            BlockingQueue<CompletableFuture<PartitionResult>> queue,
            AtomicLong buffered,
            long maxBuffered,
            ExecutorService decodePool,
            Map<Integer, OpsRepository.OverlapCount> knownOverlaps) {
        Map<Integer, Instant> deferBelow = new HashMap<>();
        knownOverlaps.forEach((shard, window) -> deferBelow.put(shard, window.through()));
        try {
            for (Partition p : partitions) {
                while (buffered.get() > maxBuffered) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    LockSupport.parkNanos(1_000_000);
                }
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                CompletableFuture<PartitionResult> f;
                try {
                    f = reader.readPartition(p.bucket(), p.shard(), p.from(), p.bucketEnd())
                            .thenApplyAsync(
                                    rows -> new PartitionResult(p, decodeAll(rows, deferBelow.get(p.shard()))),
                                    decodePool)
                            .whenComplete((r, e) -> {
                                if (r != null) {
                                    buffered.addAndGet(r.events().size());
                                }
                            });
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                queue.put(f);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Decodes the rows, but those recorded before {@code deferBelow} (if not null) only when needed. */
    private List<Decoded> decodeAll(List<EventRow> rows, Instant deferBelow) {
        List<Decoded> out = new ArrayList<>(rows.size());
        for (EventRow row : rows) {
            boolean defer = deferBelow != null && row.recordedAt().isBefore(deferBelow);
            out.add(new Decoded(row, defer ? null : decode(row), defer));
        }
        return out;
    }

    private CloudEvent decode(EventRow row) {
        try {
            return decoder.decode(row.payload());
        } catch (RuntimeException e) {
            LOG.debugf("undecodable event %s (%s/%s): %s", row.eventId(), row.aggregateType(), row.aggregateId(), e);
            return null;
        }
    }

    /** Running totals of a run (written by the writer thread, read after it finished). */
    private static final class Totals {
        volatile long events;
        volatile long overlapSkipped;
        volatile long undecodable;
        volatile long ordersFolded;
        volatile long historyReads;
        volatile long merged;
        volatile long unknownRows;
        final Map<String, Long> rowsChanged = new java.util.concurrent.ConcurrentSkipListMap<>();
    }

    private static final class OrderEvents {
        final int shard;
        final TreeMap<Long, Decoded> bySeq = new TreeMap<>();

        OrderEvents(int shard) {
            this.shard = shard;
        }
    }

    /**
     * Groups a chunk's events, decides per order whether its events can be folded as they are or its history must
     * be read, folds, and builds the rows. Runs on the reading side, while the previous chunk is being written.
     */
    private PreparedChunk prepare(
            Connection lookups,
            SideLookup side,
            List<PartitionResult> parts,
            boolean force,
            int chunkNo,
            Dimensions dims,
            Map<Integer, Instant> startWatermarks,
            Map<Integer, OpsRepository.OverlapCount> knownOverlaps,
            boolean startsAtShardBoundary)
            throws SQLException {
        long prepStart = System.nanoTime();
        OverlapWindows overlap = new OverlapWindows(knownOverlaps, config.run().overlap());
        for (PartitionResult part : parts) {
            Partition p = part.partition();
            overlap.cover(p.shard(), p.start(), p.bucketEnd());
        }
        for (PartitionResult part : parts) {
            overlap.count(part.partition().shard(), part.events(), d -> d.row().recordedAt());
        }
        Map<String, OrderEvents> orders = new HashMap<>();
        Map<String, MovementRow> movements = new LinkedHashMap<>();
        // movements that may already be stored: those recorded before their store shard's watermark as it was when
        // the run started (the overlap re-read). Every committed chunk wrote only events recorded before the
        // watermark it set, watermarks never move back, and this run holds the shard's lock, so an event recorded at
        // or after it cannot be in the table yet: it is COPYed without a key lookup.
        java.util.Set<String> movementsMayExist = new java.util.HashSet<>();
        Map<Integer, Instant> watermarks = new TreeMap<>();
        long events = 0;
        long undecodable = 0;
        long overlapSkipped = 0;
        for (PartitionResult part : parts) {
            Partition p = part.partition();
            watermarks.put(p.shard(), p.bucketEnd());
            OpsRepository.OverlapCount enriched = overlap.alreadyEnriched(p.shard());
            if (enriched != null && !p.start().isBefore(enriched.through())) {
                enriched = null; // the partition lies above the window
            }
            for (Decoded read : part.events()) {
                events++;
                if (enriched != null && enriched.contains(read.row().recordedAt())) {
                    overlapSkipped++;
                    continue;
                }
                Decoded d = read.deferred() ? new Decoded(read.row(), decode(read.row()), false) : read;
                if (d.event() == null) {
                    undecodable++;
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
                            id -> FactRows.movementRow(d.event(), row.shard(), row.recordedAt(), row.seq(), dims));
                    Instant stored = startWatermarks.get(row.shard());
                    if (stored == null || row.recordedAt().isBefore(stored)) {
                        movementsMayExist.add(row.eventId());
                    }
                }
            }
        }

        long groupedAt = System.nanoTime();
        // an order whose events here do not start at seq 1 has a stored fact to merge onto (or needs its history):
        // with a side lookup free, its stored lines are read while the facts are
        Set<String> linesEarly = new HashSet<>();
        if (!force && side != null) {
            orders.forEach((id, e) -> {
                if (e.bySeq.firstKey() > 1) {
                    linesEarly.add(id);
                }
            });
        }
        CompletableFuture<Map<String, List<OrderLine>>> earlyLines = linesEarly.isEmpty()
                ? CompletableFuture.completedFuture(Map.of())
                : CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return ops.storedLines(side.connection(), linesEarly);
                            } catch (SQLException e) {
                                throw new CompletionException(e);
                            }
                        },
                        side.thread());
        Map<String, OpsRepository.StoredFact> stored;
        try {
            stored = ops.storedFacts(lookups, orders.keySet());
        } finally {
            awaitQuietly(earlyLines); // the side connection is the run's: never leave it busy behind a failure
        }
        long factsAt = System.nanoTime();
        List<FoldedOrder> folded = new ArrayList<>();
        Map<String, Integer> shardOf = new HashMap<>();
        List<String> needHistory = new ArrayList<>();
        Map<String, List<CloudEvent>> toMerge = new HashMap<>();
        for (Map.Entry<String, OrderEvents> e : orders.entrySet()) {
            String orderId = e.getKey();
            TreeMap<Long, Decoded> byseq = e.getValue().bySeq;
            shardOf.put(orderId, e.getValue().shard);
            OpsRepository.StoredFact fact = stored.get(orderId);
            long known = fact == null ? 0L : fact.lastSeq();
            long max = byseq.lastKey();
            if (!force && max <= known) {
                continue; // already folded into the fact (an overlap re-read)
            }
            boolean gaplessFromOne = byseq.firstKey() == 1 && max == byseq.size();
            if (gaplessFromOne && max >= known) {
                folded.add(FactRows.fold(
                        orderId, byseq.values().stream().map(Decoded::event).toList(), max));
                continue;
            }
            // the common incremental case: new events right after the ones the fact holds
            java.util.NavigableMap<Long, Decoded> after = byseq.tailMap(known, false);
            if (!force && known > 0 && after.firstKey() == known + 1 && max - known == after.size()) {
                toMerge.put(orderId, after.values().stream().map(Decoded::event).toList());
            } else {
                needHistory.add(orderId);
            }
        }
        // folded onto the stored state; remembered to tell whether the order's hourly figures changed
        Map<String, FoldedOrder> mergedFrom = new HashMap<>();
        Map<String, List<OrderLine>> storedLines = new HashMap<>(joinSql(earlyLines));
        storedLines.putAll(ops.storedLines(
                lookups,
                toMerge.keySet().stream().filter(id -> !linesEarly.contains(id)).toList()));
        long linesAt = System.nanoTime();
        for (Map.Entry<String, List<CloudEvent>> m : toMerge.entrySet()) {
            FoldedOrder before = stored.get(m.getKey()).snapshot(storedLines.getOrDefault(m.getKey(), List.of()));
            long max = orders.get(m.getKey()).bySeq.lastKey();
            folded.add(FactRows.foldOnto(before, m.getValue(), max));
            mergedFrom.put(m.getKey(), before);
        }
        folded.addAll(readHistories(needHistory, shardOf));

        List<OrderRow> orderRows = new ArrayList<>(folded.size());
        List<LineRow> lineRows = new ArrayList<>();
        java.util.Set<StarSchemaWriter.HourGroup> hourlyGroups = new java.util.HashSet<>();
        // When this chunk's lookup saw every stored fact its orders replace (see ordersStoredComplete), the hourly
        // series is maintained by differences: each order row adds its figures to its group and takes away those of
        // the fact it replaces. Otherwise (a chunk cut inside a store shard, a rebuild) the touched groups are
        // recomputed from the facts.
        Map<StarSchemaWriter.HourGroup, StarSchemaWriter.HourDelta> hourlyDeltas =
                startsAtShardBoundary && !force ? new HashMap<>() : null;
        long unknownRows = 0;
        for (FoldedOrder f : folded) {
            OrderRow row = FactRows.orderRow(f, shardOf.get(f.state().orderId()), dims);
            if (row != null) {
                orderRows.add(row);
                if (hourlyDeltas != null) {
                    StarSchemaWriter.HourGroup now =
                            StarSchemaWriter.HourGroup.of(row.placedAt(), row.toLocationId(), row.srcShard());
                    if (now != null) {
                        hourlyDeltas
                                .computeIfAbsent(now, g -> new StarSchemaWriter.HourDelta())
                                .add(1, row.status(), row.units(), row.total(), row.flagged());
                    }
                    OpsRepository.StoredFact fact = stored.get(row.orderId());
                    StarSchemaWriter.HourGroup was = fact == null
                            ? null
                            : StarSchemaWriter.HourGroup.of(fact.placedAt(), fact.toLocationId(), row.srcShard());
                    if (was != null) {
                        hourlyDeltas
                                .computeIfAbsent(was, g -> new StarSchemaWriter.HourDelta())
                                .add(-1, fact.status(), fact.units(), fact.total(), fact.flagged());
                    }
                }
                FoldedOrder before = mergedFrom.get(row.orderId());
                if (before == null || FactRows.hourlyFiguresDiffer(before, row)) {
                    // a new or re-folded order, or a merge that moved the order's hourly figures: its group (and
                    // the one it counted in before, should that differ) is recomputed
                    hourlyGroups.add(StarSchemaWriter.HourGroup.of(row.placedAt(), row.toLocationId(), row.srcShard()));
                    if (before != null) {
                        hourlyGroups.add(StarSchemaWriter.HourGroup.of(
                                before.state().placedAt(), before.state().toLocationId(), row.srcShard()));
                    }
                }
                if (row.fromLocationKey() == Dimensions.UNKNOWN || row.toLocationKey() == Dimensions.UNKNOWN) {
                    unknownRows++;
                }
                for (LineRow line : FactRows.lineRows(row, f.state(), dims)) {
                    lineRows.add(line);
                    if (line.productKey() == Dimensions.UNKNOWN) {
                        unknownRows++;
                    }
                }
            }
        }
        hourlyGroups.remove(null);
        for (MovementRow m : movements.values()) {
            if (m.productKey() == Dimensions.UNKNOWN || m.locationKey() == Dimensions.UNKNOWN) {
                unknownRows++;
            }
        }
        LOG.debugf(
                "chunk %d: %d events (%d re-read and enriched already), %d orders folded (%d history reads) in %d ms (grouping %d ms, fact lookup %d ms, "
                        + "lines lookup %d ms, fold and rows %d ms)",
                chunkNo,
                events,
                overlapSkipped,
                orderRows.size(),
                needHistory.size(),
                (System.nanoTime() - prepStart) / 1_000_000,
                (groupedAt - prepStart) / 1_000_000,
                (factsAt - groupedAt) / 1_000_000,
                (linesAt - factsAt) / 1_000_000,
                (System.nanoTime() - linesAt) / 1_000_000);
        return new PreparedChunk(
                chunkNo,
                force,
                orderRows,
                lineRows,
                new ArrayList<>(movements.values()),
                movementsMayExist,
                watermarks,
                overlap.counts(),
                events,
                overlapSkipped,
                undecodable,
                needHistory.size(),
                toMerge.size(),
                unknownRows,
                stored.keySet(),
                startsAtShardBoundary,
                hourlyGroups,
                hourlyDeltas);
    }

    /**
     * Writes a prepared chunk and advances its store shards' watermarks, in one transaction. If reference data was
     * loaded since the run took its dimensions ({@code referenceVersion}), the chunk's rows are re-pointed to the
     * dimensions as they are now before the commit.
     */
    private void write(
            Connection c, PreparedChunk chunk, ShardSpec shard, long runId, long referenceVersion, Totals totals) {
        try {
            c.setAutoCommit(false);
            try {
                long versionNow = ReferenceVersion.lockForChunk(c);
                WriteResult result = writer.write(
                        c,
                        chunk.orders(),
                        chunk.lines(),
                        chunk.movements(),
                        new StarSchemaWriter.Hints(
                                chunk.ordersStored(),
                                chunk.ordersStoredComplete(),
                                m -> chunk.movementsMayExist().contains(m.eventId()),
                                chunk.hourlyGroups(),
                                chunk.hourlyDeltas()),
                        chunk.rebuild());
                if (versionNow != referenceVersion) {
                    long repointed = reference.repoint(
                            c,
                            chunk.orders().stream().map(OrderRow::orderId).toList(),
                            chunk.movements().stream().map(MovementRow::eventId).toList());
                    LOG.infof(
                            "shard %s chunk %d: reference data loaded during the run (version %d, run started at %d):"
                                    + " %d of the chunk's rows re-pointed",
                            shard, chunk.number(), versionNow, referenceVersion, repointed);
                }
                ops.advanceWatermarks(c, chunk.watermarks(), chunk.overlaps(), runId);
                chunkListener.beforeCommit(chunk.number());
                c.commit();
                chunkListener.afterCommit(chunk.number());
                result.rowsChanged().forEach((t, n) -> totals.rowsChanged.merge(t, n, Long::sum));
                totals.unknownRows += chunk.unknownRows();
                totals.events += chunk.events();
                totals.overlapSkipped += chunk.overlapSkipped();
                totals.undecodable += chunk.undecodable();
                totals.ordersFolded += chunk.orders().size();
                totals.historyReads += chunk.historyReads();
                totals.merged += chunk.merged();
                if (chunk.unknownRows() > 0) {
                    LOG.warnf(
                            "shard %s chunk %d: %d fact rows point to the unknown member (-1)",
                            shard, chunk.number(), chunk.unknownRows());
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
                    // the connection is broken; the run fails
                }
            }
        } catch (Exception e) {
            throw new CompletionException(e);
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
