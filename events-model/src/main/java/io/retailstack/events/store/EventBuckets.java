package io.retailstack.events.store;

import io.retailstack.events.AggregateKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The partitioning rule of {@code events_by_bucket}: which (bucket, shard) partition an event lands in. The writer
 * uses it to write, the batch readers to enumerate partitions; both must agree, so it lives in the contract.
 *
 * <p>A bucket is the UTC hour of the recording time ({@code yyyy-MM-ddTHH}): small enough that a run reads only new
 * partitions, large enough that partitions stay well under Cassandra's and Cosmos DB's comfortable sizes at thousands
 * of events per second when split into {@link #SHARDS} shards. The shard is a CRC32 of the aggregate key, stable
 * across JVMs and languages (never {@code String.hashCode}, which is not a published contract).
 */
public final class EventBuckets {
    /** Number of shards per bucket. Changing it is a data migration: readers would miss old partitions. */
    public static final int SHARDS = 16;

    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    private EventBuckets() {}

    /** The bucket of a recording time. */
    public static String bucketOf(Instant recordedAt) {
        return HOUR.format(recordedAt);
    }

    /** The first instant of a bucket. */
    public static Instant startOf(String bucket) {
        return Instant.parse(bucket + ":00:00Z");
    }

    /** The shard of an aggregate, in {@code [0, SHARDS)}. */
    public static int shardOf(AggregateKey key) {
        CRC32 crc = new CRC32();
        crc.update(key.kafkaKey().getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % SHARDS);
    }

    /** Every bucket whose hour overlaps {@code [from, to]}, oldest first. */
    public static List<String> bucketsBetween(Instant from, Instant to) {
        List<String> buckets = new ArrayList<>();
        for (Instant t = from.truncatedTo(ChronoUnit.HOURS); !t.isAfter(to); t = t.plus(1, ChronoUnit.HOURS)) {
            buckets.add(bucketOf(t));
        }
        return buckets;
    }
}
