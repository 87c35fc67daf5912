package io.retailstack.enricher.service;

import java.time.Duration;
import org.jboss.logging.Logger;

/** Logs how far a run is: buckets and partitions done, events, rate and ETA, at most once per interval. */
final class Progress {
    private static final Logger LOG = Logger.getLogger(Progress.class);

    private final String shard;
    private final int totalPartitions;
    private final int totalBuckets;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long lastLog = start;
    private int partitions;
    private int buckets;
    private long events;

    Progress(String shard, int totalBuckets, int totalPartitions, Duration interval) {
        this.shard = shard;
        this.totalBuckets = totalBuckets;
        this.totalPartitions = totalPartitions;
        this.intervalNanos = interval.toNanos();
    }

    private final java.util.Set<String> bucketsSeen = new java.util.HashSet<>();

    /** A partition of {@code bucket} was read; buckets count distinct buckets seen (shards are read one by one). */
    void partitionDone(int rows, String bucket) {
        partitions++;
        events += rows;
        if (bucketsSeen.add(bucket)) {
            buckets = bucketsSeen.size();
        }
        long now = System.nanoTime();
        if (now - lastLog >= intervalNanos) {
            lastLog = now;
            log("reading");
        }
    }

    void log(String what) {
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        double rate = events / seconds;
        double done = totalPartitions == 0 ? 1 : (double) partitions / totalPartitions;
        long etaSeconds = done <= 0 ? -1 : Math.round(seconds / done - seconds);
        LOG.infof(
                "shard %s %s: buckets %d/%d, partitions %d/%d, %d events, %.0f events/s, ETA %s",
                shard,
                what,
                buckets,
                totalBuckets,
                partitions,
                totalPartitions,
                events,
                rate,
                etaSeconds < 0 ? "?" : etaSeconds + " s");
    }
}
