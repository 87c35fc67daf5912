package io.retailstack.writer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retailstack.writer.persistence.CassandraErrors;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryingExecutorTest {

    private static final Node NODE =
            (Node) Proxy.newProxyInstance(Node.class.getClassLoader(), new Class<?>[] {Node.class}, (p, m, a) -> null);

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final WriterMetrics metrics = new WriterMetrics(new SimpleMeterRegistry());
    private final WriterStatus status = new WriterStatus();

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    @Test
    void shouldRetryThrottledWritesWithBackoffUntilTheySucceed() throws Exception {
        RetryingExecutor executor = new RetryingExecutor(
                4, new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)), scheduler, metrics, status);
        AtomicInteger calls = new AtomicInteger();
        List<Long> times = new ArrayList<>();
        CompletableFuture<String> result = executor.submit(new BatchToken(), "write", () -> {
            times.add(System.nanoTime());
            if (calls.incrementAndGet() <= 3) {
                return CompletableFuture.failedFuture(
                        new OverloadedException(NODE, "Request rate is large, RetryAfterMs=30"));
            }
            return CompletableFuture.completedFuture("ok");
        });
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(calls).hasValue(4);
        for (int i = 1; i < times.size(); i++) { // waited at least the server's hint each time
            assertThat(TimeUnit.NANOSECONDS.toMillis(times.get(i) - times.get(i - 1)))
                    .isGreaterThanOrEqualTo(29);
        }
        assertThat(status.storeFailingFor()).isNull();
        assertThat(metrics.registry()
                        .get("event_writer.store.retries")
                        .tag("cause", "THROTTLED")
                        .counter()
                        .count())
                .isEqualTo(3);
    }

    @Test
    void shouldKeepRetryingARefusedWriteAndSayThatItNeedsAnOperator() throws Exception {
        RetryingExecutor executor = new RetryingExecutor(
                4, new Backoff(Duration.ofMillis(5), Duration.ofMillis(10)), scheduler, metrics, status);
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Boolean> fixed = new CompletableFuture<>(); // the operator applies the schema
        CompletableFuture<String> result = executor.submit(new BatchToken(), "write", () -> {
            calls.incrementAndGet();
            return fixed.isDone()
                    ? CompletableFuture.completedFuture("ok")
                    : CompletableFuture.failedFuture(new InvalidQueryException(NODE, "unconfigured table orders"));
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 3);
        assertThat(result).isNotDone();
        assertThat(status.storeFailingFor()).isNotNull();
        assertThat(status.lastStoreCause()).isEqualTo(CassandraErrors.Cause.REJECTED);
        assertThat(status.lastStoreError()).contains("unconfigured table orders");
        fixed.complete(true);
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(status.storeFailingFor()).isNull();
        assertThat(metrics.registry()
                        .get("event_writer.store.retries")
                        .tag("cause", "REJECTED")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldNeverRunMoreThanTheLimitAtOnce() throws Exception {
        RetryingExecutor executor = new RetryingExecutor(
                3, new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)), scheduler, metrics, status);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(executor.submit(new BatchToken(), "op", () -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                return CompletableFuture.supplyAsync(
                        () -> {
                            running.decrementAndGet();
                            return 1;
                        },
                        CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS));
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(peak.get()).isLessThanOrEqualTo(3);
        assertThat(executor.inFlight()).isZero();
    }

    @Test
    void shouldStopRetryingOnceTheBatchIsAbandoned() {
        RetryingExecutor executor = new RetryingExecutor(
                2, new Backoff(Duration.ofMillis(5), Duration.ofMillis(10)), scheduler, metrics, status);
        BatchToken token = new BatchToken();
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Object> result = executor.submit(token, "write", () -> {
            if (calls.incrementAndGet() == 2) {
                token.abandon();
            }
            return CompletableFuture.failedFuture(new IllegalStateException("down"));
        });
        assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(AbandonedException.class);
        assertThat(calls.get()).isEqualTo(2);
        assertThat(status.storeFailingFor()).isNotNull();
        assertThat(executor.inFlight()).isZero();
    }

    @Test
    void shouldStartManyWaitingOperationsThatCompleteAtOnceWithoutRecursing() throws Exception {
        RetryingExecutor executor = new RetryingExecutor(
                1, new Backoff(Duration.ofMillis(5), Duration.ofMillis(10)), scheduler, metrics, status);
        CompletableFuture<Object> gate = new CompletableFuture<>();
        CompletableFuture<Object> first = executor.submit(new BatchToken(), "first", () -> gate);
        BatchToken abandoned = new BatchToken();
        abandoned.abandon();
        List<CompletableFuture<Object>> waiting = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) { // each completes at once when it gets the permit
            waiting.add(executor.submit(abandoned, "op", () -> CompletableFuture.completedFuture(1)));
        }
        CompletableFuture<Object> last =
                executor.submit(new BatchToken(), "last", () -> CompletableFuture.completedFuture(2));
        gate.complete(0);
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(0);
        assertThat(last.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(waiting).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(executor.inFlight()).isZero();
    }
}
