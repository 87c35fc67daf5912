package io.retailstack.writer.messaging;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter record for a record that can never be applied: the original key, value and headers, plus why and
 * where from. Headers: {@code dlq-error-class}, {@code dlq-error-message}, {@code dlq-source-topic}, {@code
 * dlq-source-partition}, {@code dlq-source-offset}.
 *
 * <p>Only records go here, never storage failures: a Cassandra outage is waited out, not dead-lettered. Replaying the
 * source partition dead-letters the same record again (at-least-once); the source coordinates identify duplicates.
 */
public final class DeadLetters {

    public static final String ERROR_CLASS = "dlq-error-class";
    public static final String ERROR_MESSAGE = "dlq-error-message";
    public static final String SOURCE_TOPIC = "dlq-source-topic";
    public static final String SOURCE_PARTITION = "dlq-source-partition";
    public static final String SOURCE_OFFSET = "dlq-source-offset";

    private static final int MAX_MESSAGE = 2000;

    private DeadLetters() {}

    public static ProducerRecord<byte[], byte[]> of(
            String dlqTopic, ConsumerRecord<byte[], byte[]> source, Throwable error) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : source.headers()) {
            headers.add(h.key(), h.value());
        }
        String message = String.valueOf(error.getMessage());
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        headers.add(ERROR_CLASS, bytes(error.getClass().getName()));
        headers.add(ERROR_MESSAGE, bytes(message));
        headers.add(SOURCE_TOPIC, bytes(source.topic()));
        headers.add(SOURCE_PARTITION, bytes(Integer.toString(source.partition())));
        headers.add(SOURCE_OFFSET, bytes(Long.toString(source.offset())));
        return new ProducerRecord<>(dlqTopic, null, null, source.key(), source.value(), headers);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
