package io.retailstack.ingest.messaging;

import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.ingest.config.IngestConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The one producer of this service (shared by the HTTP and the raw-topic intake, which lets it batch across both). A
 * returned future completes when the broker acknowledged the record with {@code acks=all}, or fails.
 */
@ApplicationScoped
public class EventPublisher {

    /** Header with the event id, so consumers can filter or deduplicate without parsing the value. */
    public static final String HEADER_ID = "ce_id";
    /** Header with the event type. */
    public static final String HEADER_TYPE = "ce_type";
    /** Content type of the value: structured mode. */
    public static final String HEADER_CONTENT_TYPE = "content-type";

    private final KafkaProducer<byte[], byte[]> producer;
    private final EventCodec codec;
    private final String eventsTopic;

    @Inject
    public EventPublisher(KafkaClientFactory clients, EventCodec codec, IngestConfig config) {
        this.producer = clients.producer("ingest-service-producer");
        this.codec = codec;
        this.eventsTopic = config.topics().events();
    }

    /** The structured-mode value of an event, as it goes to {@code retail.events}. */
    public byte[] encode(CloudEvent event) {
        return codec.encode(event);
    }

    /**
     * Sends a validated event to the events topic, keyed by its aggregate so one aggregate stays on one partition.
     *
     * @param value {@link #encode(CloudEvent) encode(event)}, passed in so the caller can check its size first
     */
    public CompletableFuture<RecordMetadata> publish(CloudEvent event, byte[] value) {
        Headers headers = new RecordHeaders();
        headers.add(HEADER_ID, utf8(event.id()));
        headers.add(HEADER_TYPE, utf8(event.type().type()));
        headers.add(HEADER_CONTENT_TYPE, utf8(CloudEvent.STRUCTURED_CONTENT_TYPE));
        return send(new ProducerRecord<>(
                eventsTopic, null, utf8(event.aggregateKey().kafkaKey()), value, headers));
    }

    /** Sends any record; the future fails instead of this method throwing. */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * Closed when the container is destroyed, which is after every {@code ShutdownEvent} observer ran: the raw consumer
     * has stopped by then, so its last outputs are still flushed.
     */
    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
