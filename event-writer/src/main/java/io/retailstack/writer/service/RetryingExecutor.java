package io.retailstack.writer.service;

import io.retailstack.events.store.Throttling;
import io.retailstack.writer.persistence.CassandraErrors;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs asynchronous storage operations with a bound on how many are in flight, retrying each failure until it
 * succeeds or its batch is abandoned. Never gives up on its own: a write that cannot be done now is done later, so
 * storage trouble turns into backpressure (the consumer stays paused and the writer not ready), never into loss or a
 * dead letter.
 *
 * <p>A retry keeps its permit while it waits, so a throttled or failing Cassandra sees fewer requests, not more.
 */
public final class RetryingExecutor {

    private static final Logger LOG = Logger.getLogger(RetryingExecutor.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final int maxInFlight;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private final WriterMetrics metrics;
    private final WriterStatus status;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    /** Operations to start on this thread once the one it is starting returns (see {@link #runTrampolined}). */
    private final ThreadLocal<ArrayDeque<Runnable>> trampoline = new ThreadLocal<>();

    private int inFlight;
    private long lastLogNanos;

    public RetryingExecutor(
            int maxInFlight,
            Backoff backoff,
            ScheduledExecutorService scheduler,
            WriterMetrics metrics,
            WriterStatus status) {
        this.maxInFlight = maxInFlight;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.status = status;
    }

    /** Runs {@code operation} once a permit is free, again after each failure, until it succeeds. */
    public <T> CompletableFuture<T> submit(BatchToken token, Object what, Supplier<CompletionStage<T>> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> attempt(token, what, operation, result, 1);
        boolean runNow;
        synchronized (waiting) {
            runNow = inFlight < maxInFlight;
            if (runNow) {
                inFlight++;
            } else {
                waiting.addLast(start);
            }
        }
        if (runNow) {
            start.run();
        }
        return result;
    }

    public int inFlight() {
        synchronized (waiting) {
            return inFlight;
        }
    }

    private <T> void attempt(
            BatchToken token,
            Object what,
            Supplier<CompletionStage<T>> operation,
            CompletableFuture<T> result,
            int attempt) {
        if (token.abandoned()) {
            release();
            result.completeExceptionally(new AbandonedException());
            return;
        }
        CompletionStage<T> stage;
        try {
            stage = operation.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((value, error) -> {
            if (error == null) {
                status.storeSucceeded();
                release();
                result.complete(value);
                return;
            }
            Throwable cause = Throttling.unwrap(error);
            CassandraErrors.Cause kind = CassandraErrors.classify(cause);
            status.storeFailed(cause, kind);
            metrics.storeRetry(kind);
            Duration delay = backoff.delay(
                    attempt,
                    kind == CassandraErrors.Cause.THROTTLED
                            ? Throttling.retryAfter(cause).orElse(null)
                            : null);
            logFailure(what, kind, cause, attempt, delay);
            try {
                scheduler.schedule(
                        () -> attempt(token, what, operation, result, attempt + 1),
                        delay.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RuntimeException rejected) { // scheduler shut down
                release();
                result.completeExceptionally(cause);
            }
        });
    }

    private void release() {
        Runnable next;
        synchronized (waiting) {
            next = waiting.pollFirst();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            // the permit passes on to the next waiting operation, started right here (usually the driver's I/O thread
            // that completed the previous one: no hop through another thread); trampolined, so that a run of
            // operations that complete at once (abandoned ones) cannot recurse through this method
            runTrampolined(next);
        }
    }

    /** Runs {@code task} now, or right after the task this thread is already running through here. */
    private void runTrampolined(Runnable task) {
        ArrayDeque<Runnable> queue = trampoline.get();
        if (queue != null) {
            queue.addLast(task);
            return;
        }
        queue = new ArrayDeque<>();
        trampoline.set(queue);
        try {
            for (Runnable current = task; current != null; current = queue.pollFirst()) {
                try {
                    current.run();
                } catch (RuntimeException e) {
                    LOG.error("storage operation failed to start", e);
                }
            }
        } finally {
            trampoline.remove();
        }
    }

    private void logFailure(Object what, CassandraErrors.Cause kind, Throwable cause, int attempt, Duration delay) {
        long now = System.nanoTime();
        boolean log;
        synchronized (this) {
            log = now - lastLogNanos > LOG_EVERY_NANOS;
            if (log) {
                lastLogNanos = now;
            }
        }
        if (!log) {
            return;
        }
        String hint = CassandraErrors.operatorHint(kind);
        LOG.logf(
                hint == null ? Logger.Level.WARN : Logger.Level.ERROR,
                "%s failed (%s, attempt %d): %s%s; retrying in %d ms (further failures logged at most every 5 s)",
                what,
                kind,
                attempt,
                cause,
                hint == null ? "" : "; " + hint,
                delay.toMillis());
    }
}
