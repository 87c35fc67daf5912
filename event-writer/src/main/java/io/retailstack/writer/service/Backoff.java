package io.retailstack.writer.service;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of {@code min(max, initial·2^(n-1))},
 * and never less than a server's retry-after hint. Jitter keeps many writers (or many in-flight statements) from
 * retrying in lockstep against a throttled Cosmos DB account.
 */
public record Backoff(Duration initial, Duration max) {

    /** Delay before retry number {@code attempt} (1 = first retry). */
    public Duration delay(int attempt, Duration serverHint) {
        long cap = max.toMillis();
        long base = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        long exp = Math.min(cap, Math.max(1, base));
        long jittered = exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
        long hint = serverHint == null ? 0 : serverHint.toMillis();
        return Duration.ofMillis(Math.max(jittered, hint));
    }
}
