package io.retailstack.enricher.service;

import io.retailstack.events.store.EventBuckets;
import java.util.ArrayList;
import java.util.List;

/**
 * Which part of the event store one enricher process owns: enricher shard {@code index} of {@code count} reads the
 * event-store shards {@code s} (of {@link EventBuckets#SHARDS}) with {@code s % count == index}. Disjoint shards touch
 * disjoint aggregates, so they run in parallel without ever writing the same fact row.
 */
public record ShardSpec(int index, int count) {

    public ShardSpec {
        if (count < 1 || count > EventBuckets.SHARDS) {
            throw new IllegalArgumentException("shard count must be 1.." + EventBuckets.SHARDS + ", got " + count);
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("shard index must be 0.." + (count - 1) + ", got " + index);
        }
    }

    public static ShardSpec all() {
        return new ShardSpec(0, 1);
    }

    /** The key of this shard's watermark row, e.g. {@code 2/4}. */
    public String key() {
        return index + "/" + count;
    }

    /** The event-store shards this enricher shard reads. */
    public List<Integer> storeShards() {
        List<Integer> shards = new ArrayList<>();
        for (int s = 0; s < EventBuckets.SHARDS; s++) {
            if (s % count == index) {
                shards.add(s);
            }
        }
        return shards;
    }

    @Override
    public String toString() {
        return key();
    }
}
