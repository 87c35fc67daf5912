package io.retailstack.cache.service;

/**
 * A value read for the API and where it came from.
 *
 * @param value the value; for orders a "not found" marker means unknown, for inventory an empty map does
 * @param source HIT (Redis), MISS (Cassandra, then cached) or BYPASS (Cassandra while Redis is unavailable, or a
 *     read the cache does not serve such as as-of reads)
 */
public record ReadResult<T>(T value, Source source) {
    public enum Source {
        HIT,
        MISS,
        BYPASS
    }
}
