package io.retailstack.writer.messaging;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.events.fold.IgnoreReason;
import io.retailstack.events.state.StateCodec;
import io.retailstack.writer.service.AbandonedException;
import io.retailstack.writer.service.AggregatePlan;
import io.retailstack.writer.service.BatchProcessor;
import io.retailstack.writer.service.BatchToken;
import io.retailstack.writer.service.DecodedEvent;
import io.retailstack.writer.service.WriterMetrics;
import io.retailstack.writer.service.WriterStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The transport: a plain {@link KafkaConsumer} in its own thread, one poll = one batch, up to {@code pipelineDepth}
 * batches in flight.
 *
 * <p>Per poll: decode (records that can never be applied go to the DLQ), group by aggregate, load and plan with the
 * {@link BatchProcessor}, start the writes; the state messages are published once the batch's rows are stored and the
 * previous batch's messages are acknowledged (so a newer state is never overtaken by an older one), and the offsets
 * are committed, in poll order, only after every write, publish and dead letter of the batch succeeded. Auto-commit
 * is off.
 *
 * <p>Backpressure: when {@code pipelineDepth} batches are in flight, every partition is paused and the thread keeps
 * calling {@code poll}, which then returns nothing but keeps the group membership alive however long Cassandra takes.
 * At most {@code pipelineDepth × max.poll.records} records are ever held in memory.
 *
 * <p>A rebalance, lost partitions or any unexpected failure abandon every batch in flight: they stop retrying,
 * publish and commit nothing, the cached contexts are dropped, and the partitions still owned are sought back to the
 * first uncommitted offset. Whoever processes those records next writes exactly the same rows (see {@code
 * AggregatePlanner}), which is also what makes a crash at any point harmless.
 */
public final class EventWriterConsumer implements Runnable {

    private static final Logger LOG = Logger.getLogger(EventWriterConsumer.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(250);
    private static final Duration BUSY_POLL = Duration.ofMillis(5);

    /**
     * What the consumer needs besides its collaborators.
     *
     * @param topic source topic
     * @param stateTopic state topic
     * @param dlqTopic dead-letter topic
     * @param consumerProperties complete consumer configuration (deserializers, group, commits off)
     * @param pipelineDepth batches in flight at most
     * @param shutdownTimeout how long stop waits for the batches in flight
     */
    public record Settings(
            String topic,
            String stateTopic,
            String dlqTopic,
            Properties consumerProperties,
            int pipelineDepth,
            Duration shutdownTimeout) {}

    private final Settings settings;
    private final BatchProcessor processor;
    private final ReliablePublisher publisher;
    private final WriterMetrics metrics;
    private final WriterStatus status;
    private final RecordDecoder decoder = new RecordDecoder();
    private final StateCodec stateCodec = new StateCodec();
    private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
    /** The batch being decoded, loaded and planned (not yet in flight). */
    private Batch starting;

    private volatile boolean stopping;
    private volatile long stopDeadlineNanos;
    private KafkaConsumer<byte[], byte[]> consumer;

    public EventWriterConsumer(
            Settings settings,
            BatchProcessor processor,
            ReliablePublisher publisher,
            WriterMetrics metrics,
            WriterStatus status) {
        this.settings = settings;
        this.processor = processor;
        this.publisher = publisher;
        this.metrics = metrics;
        this.status = status;
    }

    /** Asks the loop to finish the batches in flight (within the shutdown timeout), commit and close. */
    public void stop() {
        stopDeadlineNanos = System.nanoTime() + settings.shutdownTimeout().toNanos();
        stopping = true;
    }

    @Override
    public void run() {
        status.running(true);
        try {
            while (!stopping) {
                try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(settings.consumerProperties())) {
                    consumer = c;
                    c.subscribe(List.of(settings.topic()), new Listener());
                    loop();
                } catch (WakeupException e) {
                    // stop() during a blocking call
                } catch (RuntimeException e) {
                    abandonAll("consumer failure");
                    if (stopping) {
                        break;
                    }
                    LOG.error("consumer loop failed; recreating the consumer in 5 s", e);
                    sleep(5000);
                } finally {
                    inFlight.clear();
                    consumer = null;
                }
            }
        } finally {
            status.running(false);
            LOG.infof("consumer of %s stopped", settings.topic());
        }
    }

    private void loop() {
        while (true) {
            status.loopTurned();
            completeFinished();
            if (stopping) {
                if (inFlight.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > stopDeadlineNanos) {
                    abandonAll("shutdown timeout");
                    return;
                }
            }
            boolean accept = !stopping && inFlight.size() < settings.pipelineDepth();
            Set<TopicPartition> assigned = consumer.assignment();
            if (accept) {
                consumer.resume(assigned);
            } else {
                consumer.pause(assigned);
            }
            ConsumerRecords<byte[], byte[]> records = consumer.poll(inFlight.isEmpty() ? IDLE_POLL : BUSY_POLL);
            updateLag();
            if (records.isEmpty()) {
                continue;
            }
            if (!accept) { // partitions were paused; never lose what a poll returned anyway
                rewind(records);
                continue;
            }
            start(records);
        }
    }

    // ------------------------------------------------------------------ one batch

    private void start(ConsumerRecords<byte[], byte[]> records) {
        Batch batch = new Batch(records);
        starting = batch;
        try {
            start(batch, records);
        } finally {
            starting = null;
        }
    }

    private void start(Batch batch, ConsumerRecords<byte[], byte[]> records) {
        if (inFlight.isEmpty()) {
            status.batchStarted(batch.startedNanos);
        }
        Map<AggregateKey, List<DecodedEvent>> groups = new LinkedHashMap<>();
        List<CompletableFuture<?>> deadLetters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                DecodedEvent event = decoder.decode(record);
                groups.computeIfAbsent(event.key(), k -> new ArrayList<>()).add(event);
            } catch (RuntimeException e) {
                LOG.warnf(
                        "%s-%d@%d cannot be applied, sent to %s: %s",
                        record.topic(), record.partition(), record.offset(), settings.dlqTopic(), e.toString());
                metrics.deadLettered(e.getClass().getSimpleName());
                deadLetters.add(publisher.send(batch.token, DeadLetters.of(settings.dlqTopic(), record, e)));
            }
        }
        // contexts: cached (possibly planned by a batch still in flight) or read from Cassandra
        Map<AggregateKey, BatchProcessor.Loaded> loaded = awaitLoad(batch, processor.load(batch.token, groups));
        if (loaded == null || batch.token.abandoned()) {
            abandonAll("abandoned while loading");
            return;
        }
        Batch previous = inFlight.peekLast();
        batch.plans = processor.plan(groups, loaded);
        CompletableFuture<Void> written = processor.write(batch.token, batch.plans);
        CompletableFuture<?> previousPublished =
                previous == null ? CompletableFuture.completedFuture(null) : previous.published;
        batch.published = written.thenCombine(previousPublished, (a, b) -> b).thenCompose(v -> publish(batch));
        deadLetters.add(batch.published);
        batch.done = CompletableFuture.allOf(deadLetters.toArray(CompletableFuture[]::new));
        inFlight.addLast(batch);
    }

    private CompletableFuture<Void> publish(Batch batch) {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (AggregatePlan plan : batch.plans) {
            if (plan.publish() != null) {
                sends.add(publisher.send(batch.token, stateRecord(plan)).thenAccept(meta -> recordLag(plan)));
            }
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    /** Commits finished batches, oldest first; a failed one abandons everything in flight. */
    private void completeFinished() {
        while (!inFlight.isEmpty() && inFlight.peekFirst().done.isDone()) {
            Batch batch = inFlight.peekFirst();
            if (batch.done.isCompletedExceptionally() || batch.token.abandoned()) {
                Throwable cause = cause(batch.done);
                if (!(cause instanceof AbandonedException)) {
                    LOG.error("batch failed unexpectedly; its records will be processed again", cause);
                }
                abandonAll("failed batch");
                return;
            }
            inFlight.removeFirst();
            commit(batch.offsets);
            count(batch.plans);
            metrics.batch(System.nanoTime() - batch.startedNanos);
            if (inFlight.isEmpty()) {
                status.batchEnded();
            } else {
                status.batchStarted(inFlight.peekFirst().startedNanos);
            }
        }
    }

    /**
     * Waits for the loads while polling (partitions paused), so the group membership stays alive and rebalance
     * callbacks run. Null once abandoned.
     */
    private <T> T awaitLoad(Batch batch, CompletableFuture<T> stage) {
        consumer.pause(consumer.assignment());
        while (true) {
            if (batch.token.abandoned()) {
                return null;
            }
            try {
                return stage.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                ConsumerRecords<byte[], byte[]> unexpected = consumer.poll(Duration.ofMillis(5));
                if (!unexpected.isEmpty()) {
                    rewind(unexpected);
                }
                status.loopTurned();
                if (stopping && System.nanoTime() > stopDeadlineNanos) {
                    batch.token.abandon();
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof AbandonedException)) {
                    LOG.error("loading contexts failed unexpectedly", e.getCause());
                }
                batch.token.abandon();
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                batch.token.abandon();
                return null;
            }
        }
    }

    /**
     * Abandons every batch in flight and the one being started: no more retries, publishes or commits; cached
     * contexts dropped; owned partitions sought back to their first uncommitted offset.
     */
    private void abandonAll(String why) {
        Map<TopicPartition, Long> rewindTo = new HashMap<>();
        for (Batch b : inFlight) {
            b.token.abandon();
            b.firstOffsets.forEach(rewindTo::putIfAbsent); // oldest batch first: its offsets win
        }
        if (starting != null) {
            starting.token.abandon();
            starting.firstOffsets.forEach(rewindTo::putIfAbsent);
        }
        if (!inFlight.isEmpty()) {
            LOG.infof(
                    "%s: abandoning %d batch(es) in flight (nothing more published or committed)",
                    why, inFlight.size());
        }
        inFlight.clear();
        processor.forgetInFlight();
        status.batchEnded();
        if (consumer != null) {
            Set<TopicPartition> assigned = consumer.assignment();
            rewindTo.forEach((tp, offset) -> {
                if (assigned.contains(tp)) {
                    consumer.seek(tp, offset);
                }
            });
        }
    }

    private ProducerRecord<byte[], byte[]> stateRecord(AggregatePlan plan) {
        return new ProducerRecord<>(
                settings.stateTopic(),
                plan.publish().aggregate().kafkaKey().getBytes(StandardCharsets.UTF_8),
                plan.stateJson() != null
                        ? StateRecords.encode(plan.publish(), plan.stateJson())
                        : stateCodec.encode(plan.publish()));
    }

    private void recordLag(AggregatePlan plan) {
        long now = System.currentTimeMillis();
        for (long ts : plan.appliedTimestamps()) {
            metrics.lag(now - ts);
        }
        metrics.published(1);
    }

    /** The batch's counts, summed first: one counter update per kind and batch, not per aggregate. */
    private void count(List<AggregatePlan> plans) {
        Map<AggregateType, Integer> applied = new EnumMap<>(AggregateType.class);
        Map<IgnoreReason, Integer> ignored = new EnumMap<>(IgnoreReason.class);
        int duplicates = 0;
        int replayed = 0;
        for (AggregatePlan plan : plans) {
            applied.merge(plan.context().key().type(), plan.applied(), Integer::sum);
            plan.ignored().forEach((reason, n) -> ignored.merge(reason, n, Integer::sum));
            duplicates += plan.duplicates();
            replayed += plan.replayed();
        }
        applied.forEach(metrics::applied);
        ignored.forEach(metrics::ignored);
        metrics.duplicates(duplicates, replayed);
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, OffsetAndMetadata> owned = new HashMap<>(offsets);
        owned.keySet().retainAll(consumer.assignment());
        if (owned.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(owned, Duration.ofSeconds(30));
        } catch (KafkaException e) {
            // lost the partitions meanwhile, or the broker is unreachable: whoever consumes these records next
            // (this writer after rejoining, or another) finds them already stored and skips them
            LOG.warnf("offset commit failed (%s); the records will be seen again and skipped as already stored", e);
        }
    }

    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
        }
    }

    private void updateLag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent()) {
                total += lag.getAsLong();
            }
        }
        metrics.consumerLag(total);
    }

    private static Throwable cause(CompletableFuture<?> f) {
        try {
            f.getNow(null);
            return null;
        } catch (RuntimeException e) {
            Throwable c = e;
            while ((c instanceof java.util.concurrent.CompletionException || c instanceof ExecutionException)
                    && c.getCause() != null) {
                c = c.getCause();
            }
            return c;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A poll in flight: its token, plans, stages, the offsets to commit and where it started. */
    private static final class Batch {
        final BatchToken token = new BatchToken();
        final long startedNanos = System.nanoTime();
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        List<AggregatePlan> plans = List.of();
        CompletableFuture<?> published;
        CompletableFuture<?> done;

        Batch(ConsumerRecords<byte[], byte[]> records) {
            for (TopicPartition tp : records.partitions()) {
                List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
                firstOffsets.put(tp, list.get(0).offset());
                offsets.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
            }
        }
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.infof("revoked %s", partitions);
                abandonAll("partitions revoked");
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            LOG.infof("lost %s", partitions);
            abandonAll("partitions lost");
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.infof("assigned %s", partitions);
        }
    }
}
