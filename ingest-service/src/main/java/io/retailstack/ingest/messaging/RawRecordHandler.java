package io.retailstack.ingest.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retailstack.events.validation.Violation;
import io.retailstack.ingest.config.IngestConfig;
import io.retailstack.ingest.service.EventReader;
import io.retailstack.ingest.service.IngestService;
import io.retailstack.ingest.service.IngestService.Prepared;
import io.retailstack.ingest.service.ReceivedEvent;
import io.retailstack.ingest.service.RejectedEventsException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

/**
 * Routes one raw record: a valid event to the events topic (screened, keyed by aggregate, structured JSON), anything
 * else to the dead-letter topic, unchanged, with the reason in headers. Never throws for a bad record: one poison
 * record must not stall its partition.
 *
 * <p>A record is in binary mode when it has a {@code ce_specversion} header (attributes in {@code ce_*} headers,
 * {@code content-type} as {@code datacontenttype}, the value is the data), otherwise in structured mode.
 */
@ApplicationScoped
public class RawRecordHandler {

    private static final Logger LOG = Logger.getLogger(RawRecordHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why the record was dead-lettered: a {@code RejectedEventsException.Reason} name or {@code UNEXPECTED}. */
    public static final String DLQ_ERROR_CLASS = "dlq-error-class";
    /** One sentence about the problem. */
    public static final String DLQ_ERROR_MESSAGE = "dlq-error-message";
    /** JSON array of {@code {path, message}}, as in the HTTP problem response. */
    public static final String DLQ_VIOLATIONS = "dlq-violations";

    public static final String DLQ_SOURCE_TOPIC = "dlq-source-topic";
    public static final String DLQ_SOURCE_PARTITION = "dlq-source-partition";
    public static final String DLQ_SOURCE_OFFSET = "dlq-source-offset";
    /** Present ({@code true}) when the original value was too large even for the dead-letter topic and is omitted. */
    public static final String DLQ_VALUE_OMITTED = "dlq-value-omitted";

    private static final String BINARY_PREFIX = "ce_";

    private final EventReader reader;
    private final IngestService ingest;
    private final EventPublisher publisher;
    private final String dlqTopic;

    @Inject
    public RawRecordHandler(EventReader reader, IngestService ingest, EventPublisher publisher, IngestConfig config) {
        this.reader = reader;
        this.ingest = ingest;
        this.publisher = publisher;
        this.dlqTopic = config.topics().dlq();
    }

    /**
     * Routes the record. The future completes once its output (event or dead letter) is acknowledged; it fails only
     * when the broker could not take the output (retriable: the caller retries the poll).
     */
    public CompletableFuture<RecordMetadata> handle(ConsumerRecord<byte[], byte[]> record) {
        Prepared prepared;
        try {
            prepared = ingest.prepare(List.of(read(record)), false).get(0);
        } catch (RejectedEventsException e) {
            ingest.rejected(IngestService.KAFKA, e.reason().tag(), 1);
            return deadLetter(record, e.reason().name(), e.getMessage(), e.violations());
        } catch (RuntimeException e) {
            LOG.warnf(e, "unexpected error on %s-%d@%d", record.topic(), record.partition(), record.offset());
            ingest.rejected(IngestService.KAFKA, "unexpected", 1);
            return deadLetter(record, "UNEXPECTED", e.toString(), List.of());
        }
        return publisher
                .publish(prepared.event(), prepared.value())
                .thenApply(metadata -> {
                    ingest.accepted(IngestService.KAFKA, 1);
                    return metadata;
                })
                .exceptionallyCompose(error -> {
                    Throwable cause = unwrap(error);
                    if (isPoison(cause)) {
                        ingest.rejected(IngestService.KAFKA, "unpublishable", 1);
                        return deadLetter(record, "UNPUBLISHABLE", cause.toString(), List.of());
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    private ReceivedEvent read(ConsumerRecord<byte[], byte[]> record) {
        Header specversion = record.headers().lastHeader(BINARY_PREFIX + "specversion");
        if (specversion == null) {
            return reader.readStructured(record.value());
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            String name = header.key().toLowerCase(Locale.ROOT);
            String value = header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
            if (name.startsWith(BINARY_PREFIX)) {
                String attribute = name.substring(BINARY_PREFIX.length());
                if (value == null) {
                    // Kafka allows a header without a value; an attribute without one is not an attribute
                    throw new RejectedEventsException(
                            RejectedEventsException.Reason.INVALID_ATTRIBUTE,
                            "Header " + header.key() + " has no value.",
                            List.of(new Violation(attribute, "has no value")),
                            1);
                }
                attributes.merge(attribute, value, (a, b) -> {
                    throw new RejectedEventsException(
                            RejectedEventsException.Reason.INVALID_ATTRIBUTE,
                            "Header " + header.key() + " appears more than once.",
                            List.of(new Violation(attribute, "given more than once")),
                            1);
                });
            } else if (name.equals("content-type") && value != null) {
                attributes.put("datacontenttype", value);
            }
        }
        return reader.readBinary(attributes, record.value());
    }

    /** The original key, value and headers, plus why and where from. */
    private CompletableFuture<RecordMetadata> deadLetter(
            ConsumerRecord<byte[], byte[]> record, String errorClass, String message, List<Violation> violations) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(DLQ_ERROR_CLASS, utf8(errorClass));
        headers.add(DLQ_ERROR_MESSAGE, utf8(abbreviate(message, 1000)));
        headers.add(DLQ_VIOLATIONS, violationsJson(violations));
        headers.add(DLQ_SOURCE_TOPIC, utf8(record.topic()));
        headers.add(DLQ_SOURCE_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(DLQ_SOURCE_OFFSET, utf8(Long.toString(record.offset())));
        ProducerRecord<byte[], byte[]> letter =
                new ProducerRecord<>(dlqTopic, null, record.key(), record.value(), headers);
        return publisher.send(letter).exceptionallyCompose(error -> {
            Throwable cause = unwrap(error);
            if (!isPoison(cause)) {
                return CompletableFuture.failedFuture(cause);
            }
            // The original is too large to forward: keep the evidence (key, headers, reason) without the value.
            LOG.warnf(
                    "dead letter of %s-%d@%d is unpublishable (%s); sending it without its value",
                    record.topic(), record.partition(), record.offset(), cause.toString());
            Headers slim = new RecordHeaders();
            for (Header header : headers) {
                if (header.key().startsWith("dlq-")) {
                    slim.add(header);
                }
            }
            slim.add(DLQ_VALUE_OMITTED, utf8("true"));
            return publisher.send(new ProducerRecord<>(dlqTopic, null, record.key(), null, slim));
        });
    }

    /** Failures that retrying the same record cannot fix. */
    static boolean isPoison(Throwable error) {
        return error instanceof RecordTooLargeException
                || error instanceof InvalidRecordException
                || error instanceof SerializationException;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static byte[] violationsJson(List<Violation> violations) {
        try {
            return JSON.writeValueAsBytes(violations.stream()
                    .map(v -> Map.of("path", v.path(), "message", v.message()))
                    .toList());
        } catch (JsonProcessingException e) {
            return utf8("[]");
        }
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
