package io.retailstack.cache.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketRateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldAllowTheBurstThenRefillAtTheRate() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(2, 3, 100);
        assertThat(limiter.tryAcquire("a", 0)).isTrue();
        assertThat(limiter.tryAcquire("a", 0)).isTrue();
        assertThat(limiter.tryAcquire("a", 0)).isTrue();
        assertThat(limiter.tryAcquire("a", 0)).isFalse();
        assertThat(limiter.tryAcquire("a", SECOND / 2)).isTrue(); // one token back after 0.5 s at 2/s
        assertThat(limiter.tryAcquire("a", SECOND / 2)).isFalse();
        assertThat(limiter.tryAcquire("a", 10 * SECOND)).isTrue();
    }

    @Test
    void shouldKeepOneBucketPerClient() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(1, 1, 100);
        assertThat(limiter.tryAcquire("a", 0)).isTrue();
        assertThat(limiter.tryAcquire("a", 0)).isFalse();
        assertThat(limiter.tryAcquire("b", 0)).isTrue();
    }
}
