package io.retailstack.generator.send;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one send, updated from the sending thread and the transport's callback threads.
 *
 * <ul>
 *   <li>{@code sent}: records handed to the transport.
 *   <li>{@code acknowledged}: records the target took care of as intended: valid events the broker
 *       acknowledged or the API accepted, and malformed records the broker acknowledged (ingest
 *       dead-letters them later) or the API rejected with a 4xx.
 *   <li>{@code rejected}: the malformed records among {@code acknowledged} that the API rejected.
 *   <li>{@code failed}: records that were not taken care of: broker errors, 5xx or I/O errors after
 *       retries, valid events the API rejected, malformed records the API accepted.
 * </ul>
 */
public final class SendStats {

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public void sent(long n) {
        sent.addAndGet(n);
    }

    public void acknowledged(long n) {
        acknowledged.addAndGet(n);
    }

    /** A malformed record rejected as it should be; counts as acknowledged too. */
    public void rejectedAsExpected(long n) {
        rejected.addAndGet(n);
        acknowledged.addAndGet(n);
    }

    public void failed(long n) {
        failed.addAndGet(n);
    }

    public long sent() {
        return sent.get();
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    public long rejected() {
        return rejected.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Records handed over whose outcome is not known yet. */
    public long pending() {
        return Math.max(0, sent() - acknowledged() - failed());
    }
}
