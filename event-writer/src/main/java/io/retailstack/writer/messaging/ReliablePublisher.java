package io.retailstack.writer.messaging;

import io.retailstack.writer.service.AbandonedException;
import io.retailstack.writer.service.Backoff;
import io.retailstack.writer.service.BatchToken;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Sends a record and completes once the broker acknowledged it (acks=all). The producer retries on its own until
 * {@code delivery.timeout.ms}; after that this class sends again with backoff, until acknowledged or the batch is
 * abandoned. The consumer commits only after every send of its batch completed, so nothing is lost; a resend may
 * duplicate a state message, which is harmless (same version) for readers that keep the highest version.
 */
public final class ReliablePublisher {

    private static final Logger LOG = Logger.getLogger(ReliablePublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;

    public ReliablePublisher(Producer<byte[], byte[]> producer, Backoff backoff, ScheduledExecutorService scheduler) {
        this.producer = producer;
        this.backoff = backoff;
        this.scheduler = scheduler;
    }

    public CompletableFuture<RecordMetadata> send(BatchToken token, ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        attempt(token, record, result, 1);
        return result;
    }

    private void attempt(
            BatchToken token, ProducerRecord<byte[], byte[]> record, CompletableFuture<RecordMetadata> result, int n) {
        if (token.abandoned()) {
            result.completeExceptionally(new AbandonedException());
            return;
        }
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    result.complete(metadata);
                    return;
                }
                long delay = backoff.delay(n, null).toMillis();
                if (n == 1 || n % 10 == 0) {
                    LOG.warnf(
                            "publish to %s failed (%s, attempt %d): %s; sending again in %d ms",
                            record.topic(),
                            error instanceof RetriableException ? "retriable" : "not retriable",
                            n,
                            error.toString(),
                            delay);
                }
                schedule(token, record, result, n + 1, delay);
            });
        } catch (RuntimeException e) { // e.g. metadata timeout thrown by send itself
            schedule(token, record, result, n + 1, backoff.delay(n, null).toMillis());
        }
    }

    private void schedule(
            BatchToken token,
            ProducerRecord<byte[], byte[]> record,
            CompletableFuture<RecordMetadata> result,
            int n,
            long delayMillis) {
        try {
            scheduler.schedule(() -> attempt(token, record, result, n), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) {
            result.completeExceptionally(rejected);
        }
    }
}
