package io.retailstack.cache.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.function.BinaryOperator;

/**
 * The per-instance tier in front of Redis: a bounded in-process map whose entries live a short, fixed time (default
 * 250 ms).
 *
 * <p>Why: a hot key read from Redis on every request costs a Redis round trip, which on the same cores caps the API at
 * about a third of what Redis itself serves (CacheBenchmark measures that ceiling). Holding the hot keys here for a
 * fraction of a second takes the round trip off nearly every request while staying within the freshness promise: an
 * entry is never older than {@code ttl} plus Redis' own lag, and the state consumer of this instance updates the
 * entries it holds at once. Across instances the bound is the same {@code ttl} (each instance consumes only its share
 * of retail.state partitions).
 *
 * <p>Entries only move forward: {@link #offer} keeps whichever of the held and the offered value is newer ({@code
 * newer}), so a slow reader that loaded an older version from Redis or Cassandra cannot replace one the consumer just
 * put. Caffeine does the bounding (size-based eviction) and expiry.
 *
 * @param <V> the cached value
 */
public final class NearCache<V> {
    private final Cache<String, V> cache;
    private final BinaryOperator<V> newer;

    /**
     * @param ttl lifetime of an entry after its last write; zero disables the tier
     * @param maxEntries most entries held (the hottest stay)
     * @param newer given (held, offered), the one to keep
     */
    public NearCache(Duration ttl, long maxEntries, BinaryOperator<V> newer) {
        this(ttl, maxEntries, newer, Ticker.systemTicker());
    }

    NearCache(Duration ttl, long maxEntries, BinaryOperator<V> newer, Ticker ticker) {
        this.cache = ttl.isZero() || maxEntries <= 0
                ? null
                : Caffeine.newBuilder()
                        .expireAfterWrite(ttl)
                        .maximumSize(maxEntries)
                        .ticker(ticker)
                        .executor(Runnable::run) // maintenance inline: no ForkJoinPool hand-off per eviction
                        .build();
        this.newer = newer;
    }

    /** The held value, or null. */
    public V get(String key) {
        return cache == null ? null : cache.getIfPresent(key);
    }

    /** Holds {@code value} unless a newer one is held. */
    public void offer(String key, V value) {
        if (cache != null) {
            cache.asMap().merge(key, value, newer);
        }
    }

    /** Updates an entry only if one is held: the consumer keeps hot keys current without filling the tier. */
    public void refresh(String key, V value) {
        if (cache != null) {
            cache.asMap().computeIfPresent(key, (k, held) -> newer.apply(held, value));
        }
    }
}
