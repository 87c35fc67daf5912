package io.retailstack.writer.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.retailstack.events.AggregateType;
import io.retailstack.events.fold.IgnoreReason;
import io.retailstack.writer.persistence.CassandraErrors;
import io.retailstack.writer.persistence.ThrottlingRetryPolicy;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The writer's meters, named {@code event_writer.<noun>.<verb>} with low-cardinality tags. In Prometheus:
 * {@code event_writer_events_applied_total}, {@code event_writer_events_ignored_total{reason}}, {@code
 * event_writer_events_duplicate_total{kind}}, {@code event_writer_events_dlq_total{error}}, {@code
 * event_writer_batch_duration_seconds}, {@code event_writer_state_published_total}, {@code
 * event_writer_state_lag_seconds} (record timestamp to state published), {@code event_writer_consumer_lag_records},
 * {@code event_writer_store_retries_total{cause}}, {@code event_writer_store_throttled_total}.
 */
public final class WriterMetrics {

    private final MeterRegistry registry;
    private final Map<AggregateType, Counter> applied = new EnumMap<>(AggregateType.class);
    private final Map<IgnoreReason, Counter> ignored = new EnumMap<>(IgnoreReason.class);
    private final Map<CassandraErrors.Cause, Counter> retries = new EnumMap<>(CassandraErrors.Cause.class);
    private final Map<String, Counter> dlq = new ConcurrentHashMap<>();
    private final Counter duplicateIds;
    private final Counter replayed;
    private final Counter published;
    private final Timer batch;
    private final Timer lag;
    private final AtomicLong consumerLag = new AtomicLong();

    public WriterMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (AggregateType type : AggregateType.values()) {
            applied.put(
                    type,
                    Counter.builder("event_writer.events.applied")
                            .description("Events the fold applied and the writer stored")
                            .tag("aggregate", type.prefix())
                            .register(registry));
        }
        for (IgnoreReason reason : IgnoreReason.values()) {
            ignored.put(
                    reason,
                    Counter.builder("event_writer.events.ignored")
                            .description("Events stored but ignored by the fold (state unchanged)")
                            .tag("reason", reason.name())
                            .register(registry));
        }
        for (CassandraErrors.Cause cause : CassandraErrors.Cause.values()) {
            retries.put(
                    cause,
                    Counter.builder("event_writer.store.retries")
                            .description("Cassandra operations retried after a failure")
                            .tag("cause", cause.name())
                            .register(registry));
        }
        duplicateIds = Counter.builder("event_writer.events.duplicate")
                .description("Records skipped because their event id was already stored")
                .tag("kind", "event_id")
                .register(registry);
        replayed = Counter.builder("event_writer.events.duplicate")
                .description("Records skipped because the stored state already reflects their offset")
                .tag("kind", "offset")
                .register(registry);
        published = Counter.builder("event_writer.state.published")
                .description("State messages published to the state topic")
                .register(registry);
        batch = Timer.builder("event_writer.batch.duration")
                .description("One poll: decode, store, publish, commit")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        lag = Timer.builder("event_writer.state.lag")
                .description("From an applied event's record timestamp to its state being published")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        Gauge.builder("event_writer.consumer.lag", consumerLag, AtomicLong::get)
                .description("Records in the assigned partitions not yet consumed")
                .baseUnit("records")
                .register(registry);
        FunctionCounter.builder("event_writer.store.throttled", ThrottlingRetryPolicy.THROTTLED, a -> a.sum())
                .description("Throttled responses (Cosmos DB 429 / Overloaded) seen by the driver's retry policy")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void applied(AggregateType type, int n) {
        if (n > 0) {
            applied.get(type).increment(n);
        }
    }

    public void ignored(IgnoreReason reason, int n) {
        ignored.get(reason).increment(n);
    }

    public void duplicates(int byId, int byOffset) {
        if (byId > 0) {
            duplicateIds.increment(byId);
        }
        if (byOffset > 0) {
            replayed.increment(byOffset);
        }
    }

    public void deadLettered(String errorClass) {
        dlq.computeIfAbsent(errorClass, c -> Counter.builder("event_writer.events.dlq")
                        .description("Records sent to the dead-letter topic")
                        .tag("error", c)
                        .register(registry))
                .increment();
    }

    public void published(int n) {
        published.increment(n);
    }

    public void lag(long millis) {
        lag.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    public Timer lagTimer() {
        return lag;
    }

    public void batch(long nanos) {
        batch.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void storeRetry(CassandraErrors.Cause cause) {
        retries.get(cause).increment();
    }

    public void consumerLag(long records) {
        consumerLag.set(records);
    }
}
