package io.retailstack.ingest.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.retailstack.ingest.config.IngestConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Consumes the raw topic on a dedicated thread with a plain {@link KafkaConsumer} (transport only; routing is {@link
 * RawRecordHandler}'s).
 *
 * <p>At-least-once: after each poll every record's output is sent, and the offsets are committed only once all outputs
 * are acknowledged. If any output fails (broker unreachable), nothing is committed, the partitions are rewound to the
 * first record of the poll and retried after a pause; outputs that did get through become duplicates, which
 * downstream absorbs by event id. A bad record never fails the poll: it goes to the dead-letter topic.
 */
@ApplicationScoped
public class RawEventConsumer {

    private static final Logger LOG = Logger.getLogger(RawEventConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Function<ConsumerRecord<byte[], byte[]>, CompletableFuture<?>> handler;
    private final boolean enabled;
    private final String topic;
    private final String groupId;
    private final Duration ackTimeout;
    private final Duration retryBackoff;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running;
    private volatile Consumer<byte[], byte[]> consumer;
    private Thread thread;

    @Inject
    public RawEventConsumer(KafkaClientFactory clients, RawRecordHandler handler, IngestConfig config) {
        this(
                () -> clients.rawConsumer("ingest-service-raw"),
                handler::handle,
                config.raw().enabled(),
                config.topics().raw(),
                config.raw().groupId(),
                // Every output is acknowledged or failed within the delivery timeout; the margin covers max.block.
                config.producer().deliveryTimeout().plus(config.producer().maxBlock()),
                config.raw().retryBackoff());
    }

    /** The transport loop on its own, for tests: any consumer, any handler. */
    RawEventConsumer(
            Supplier<Consumer<byte[], byte[]>> consumers,
            Function<ConsumerRecord<byte[], byte[]>, CompletableFuture<?>> handler,
            boolean enabled,
            String topic,
            String groupId,
            Duration ackTimeout,
            Duration retryBackoff) {
        this.consumers = consumers;
        this.handler = handler;
        this.enabled = enabled;
        this.topic = topic;
        this.groupId = groupId;
        this.ackTimeout = ackTimeout;
        this.retryBackoff = retryBackoff;
    }

    /** Starts after the topics exist (see {@link TopicInitializer}, which observes with a lower priority). */
    void onStart(@Observes @Priority(3000) StartupEvent event) {
        start();
    }

    /** Starts the consumer thread. */
    void start() {
        if (!enabled) {
            LOG.info("raw-topic intake disabled (ingest.raw.enabled=false)");
            stopped.countDown();
            return;
        }
        running = true;
        thread = new Thread(this::run, "raw-event-consumer");
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Stops the consumer thread and waits (at most 15 s) for it to finish. */
    void stop() {
        running = false;
        stopRequested.countDown();
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            if (!stopped.await(15, TimeUnit.SECONDS)) {
                LOG.warn("raw-event consumer did not stop within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the intake is disabled, or its thread alive (it dies only on an unrecoverable error). */
    public boolean isHealthy() {
        return !enabled || (thread != null && thread.isAlive()) || !running;
    }

    private void run() {
        try (Consumer<byte[], byte[]> c = consumers.get()) {
            consumer = c;
            c.subscribe(List.of(topic));
            LOG.infof("consuming %s as group %s", topic, groupId);
            while (running) {
                ConsumerRecords<byte[], byte[]> records = c.poll(POLL_TIMEOUT);
                if (!records.isEmpty()) {
                    process(c, records);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("raw-event consumer woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("raw-event consumer stopped on an unrecoverable error", e);
        } finally {
            consumer = null;
            stopped.countDown();
        }
    }

    private void process(Consumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        List<CompletableFuture<?>> outputs = new ArrayList<>(records.count());
        // Where each partition of this poll starts and ends, for the rewind and the commit, whether or not the loop
        // below gets to every record.
        Map<TopicPartition, Long> first = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
            first.put(partition, inPartition.get(0).offset());
            next.put(
                    partition,
                    new OffsetAndMetadata(
                            inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            CompletableFuture<?> output = handler.apply(record);
            outputs.add(output);
            if (output.isCompletedExceptionally()) {
                // The broker is unreachable (a bad record never fails its output): stop sending, retry the poll.
                break;
            }
        }
        try {
            CompletableFuture.allOf(outputs.toArray(CompletableFuture[]::new))
                    .get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            rewind(c, first);
            return;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warnf(
                    "outputs of %d raw record(s) not acknowledged (%s); retrying in %s",
                    records.count(), cause.toString(), retryBackoff);
            rewind(c, first);
            pause();
            return;
        }
        try {
            c.commitSync(next);
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            // Outputs are durable; the records will be seen again (duplicates are harmless downstream).
            LOG.warnf("offset commit failed, records will be redelivered: %s", e.toString());
        }
    }

    private static void rewind(Consumer<byte[], byte[]> c, Map<TopicPartition, Long> first) {
        first.forEach((partition, offset) -> {
            if (c.assignment().contains(partition)) {
                c.seek(partition, offset);
            }
        });
    }

    private void pause() {
        try {
            stopRequested.await(retryBackoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
