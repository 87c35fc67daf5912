package io.retailstack.cache.api;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client: {@code burst} tokens, refilled at {@code ratePerSecond}. Per instance: behind a load
 * balancer with N instances a client gets up to N times the rate, which is what a simple website protection needs.
 */
public final class TokenBucketRateLimiter {
    private final double ratePerNano;
    private final double burst;
    private final int maxClients;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBucketRateLimiter(double ratePerSecond, int burst, int maxClients) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = Math.max(1, burst);
        this.maxClients = maxClients;
    }

    /** Takes one token for {@code client}; false if its bucket is empty. */
    public boolean tryAcquire(String client, long nowNanos) {
        if (buckets.size() >= maxClients && !buckets.containsKey(client)) {
            buckets.clear(); // crude but bounded: a flood of distinct clients only resets everyone's bucket
        }
        return buckets.computeIfAbsent(client, c -> new Bucket(burst, nowNanos)).take(nowNanos, ratePerNano, burst);
    }

    /** Seconds until a token is back for an empty bucket (for Retry-After). */
    public long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1 / (ratePerNano * 1e9)));
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }

        synchronized boolean take(long now, double ratePerNano, double burst) {
            tokens = Math.min(burst, tokens + Math.max(0, now - last) * ratePerNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
