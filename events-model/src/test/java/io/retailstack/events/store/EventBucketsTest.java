package io.retailstack.events.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.retailstack.events.AggregateKey;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventBucketsTest {

    @Test
    void shouldBucketByUtcHour() {
        assertThat(EventBuckets.bucketOf(Instant.parse("2026-11-22T19:59:59.999Z")))
                .isEqualTo("2026-11-22T19");
        assertThat(EventBuckets.startOf("2026-11-22T19")).isEqualTo(Instant.parse("2026-11-22T19:00:00Z"));
    }

    @Test
    void shouldListEveryOverlappingBucketInOrder() {
        assertThat(EventBuckets.bucketsBetween(
                        Instant.parse("2026-11-22T22:30:00Z"), Instant.parse("2026-11-23T01:00:00Z")))
                .containsExactly("2026-11-22T22", "2026-11-22T23", "2026-11-23T00", "2026-11-23T01");
    }

    @Test
    void shouldGiveStableShardsSpreadOverAllShards() {
        // pinned value: changing the hash would silently move partitions that readers look for
        assertThat(EventBuckets.shardOf(AggregateKey.order("ORD-1")))
                .isEqualTo(EventBuckets.shardOf(AggregateKey.fromSubject("order/ORD-1")));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            int shard = EventBuckets.shardOf(AggregateKey.order("ORD-" + i));
            assertThat(shard).isBetween(0, EventBuckets.SHARDS - 1);
            seen.add(shard);
        }
        assertThat(seen).hasSize(EventBuckets.SHARDS);
    }
}
