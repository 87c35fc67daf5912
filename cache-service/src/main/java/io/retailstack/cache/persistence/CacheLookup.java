package io.retailstack.cache.persistence;

/**
 * Outcome of a Redis read.
 *
 * @param status HIT (value set; may be a "not found" marker), MISS (nothing cached) or UNAVAILABLE (Redis failed)
 * @param value the cached value on a HIT
 */
public record CacheLookup<T>(Status status, T value) {
    public enum Status {
        HIT,
        MISS,
        UNAVAILABLE
    }

    private static final CacheLookup<?> MISS = new CacheLookup<>(Status.MISS, null);
    private static final CacheLookup<?> UNAVAILABLE = new CacheLookup<>(Status.UNAVAILABLE, null);

    public static <T> CacheLookup<T> hit(T value) {
        return new CacheLookup<>(Status.HIT, value);
    }

    @SuppressWarnings("unchecked")
    public static <T> CacheLookup<T> miss() {
        return (CacheLookup<T>) MISS;
    }

    @SuppressWarnings("unchecked")
    public static <T> CacheLookup<T> unavailable() {
        return (CacheLookup<T>) UNAVAILABLE;
    }

    public boolean isHit() {
        return status == Status.HIT;
    }
}
