package io.retailstack.writer.service;

import io.retailstack.writer.persistence.CassandraErrors;
import java.time.Duration;

/**
 * What the health checks read: whether the store answers, and whether the poll loop turns and its batches finish.
 * Written by the consumer thread and the storage callbacks; read by the probes.
 */
public final class WriterStatus {

    private volatile boolean sessionReady;
    private volatile long loopNanos = System.nanoTime();
    private volatile long batchStartedNanos; // 0 when no batch is in flight
    private volatile long firstBatchNanos;
    private volatile long storeFailingSinceNanos; // 0 when the last storage operation succeeded
    private volatile String lastStoreError;
    private volatile CassandraErrors.Cause lastStoreCause;
    private volatile String connectError; // why the last try to connect and prepare failed; null once connected
    private volatile boolean running;

    public void sessionReady(boolean ready) {
        this.sessionReady = ready;
    }

    public boolean sessionReady() {
        return sessionReady;
    }

    public void running(boolean running) {
        this.running = running;
    }

    public boolean running() {
        return running;
    }

    public void loopTurned() {
        loopNanos = System.nanoTime();
    }

    /** The oldest batch in flight started at {@code startedNanos} ({@link System#nanoTime()}). */
    public void batchStarted(long startedNanos) {
        batchStartedNanos = startedNanos;
        if (firstBatchNanos == 0) {
            firstBatchNanos = startedNanos;
        }
    }

    /** {@link System#nanoTime()} when the first batch started, 0 before (benchmarks time from here). */
    public long firstBatchNanos() {
        return firstBatchNanos;
    }

    public void batchEnded() {
        batchStartedNanos = 0;
    }

    public void storeSucceeded() {
        if (storeFailingSinceNanos != 0) {
            storeFailingSinceNanos = 0;
        }
    }

    public void storeFailed(Throwable error, CassandraErrors.Cause cause) {
        if (storeFailingSinceNanos == 0) {
            storeFailingSinceNanos = System.nanoTime();
        }
        lastStoreError = error.toString();
        lastStoreCause = cause;
    }

    /** Connecting, applying the schema or preparing the statements failed; it is tried again. */
    public void connectFailed(Throwable error) {
        connectError = error.toString();
    }

    /** Why the writer is not connected yet, or null when nothing failed (yet). */
    public String connectError() {
        return sessionReady ? null : connectError;
    }

    /** Since when storage operations keep failing, or null when the last one succeeded. */
    public Duration storeFailingFor() {
        long since = storeFailingSinceNanos;
        return since == 0 ? null : Duration.ofNanos(System.nanoTime() - since);
    }

    public String lastStoreError() {
        return lastStoreError;
    }

    /** How the last failed storage operation was classified (meaningful while {@link #storeFailingFor()} is set). */
    public CassandraErrors.Cause lastStoreCause() {
        return lastStoreCause;
    }

    /** Why the consumer counts as stuck, or null when it is not. */
    public String stuckReason(Duration stuckAfter) {
        if (!running) {
            return null;
        }
        long now = System.nanoTime();
        long sinceLoop = now - loopNanos;
        if (sinceLoop > stuckAfter.toNanos()) {
            return "poll loop has not turned for " + Duration.ofNanos(sinceLoop).toSeconds() + " s";
        }
        long started = batchStartedNanos;
        if (started != 0 && now - started > stuckAfter.toNanos()) {
            return "current batch in flight for "
                    + Duration.ofNanos(now - started).toSeconds() + " s";
        }
        return null;
    }
}
