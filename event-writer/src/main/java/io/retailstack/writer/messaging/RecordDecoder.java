package io.retailstack.writer.messaging;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.codec.EventDecodingException;
import io.retailstack.events.validation.EventValidator;
import io.retailstack.events.validation.ValidationLimits;
import io.retailstack.events.validation.Violation;
import io.retailstack.writer.service.DecodedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns a record of {@code retail.events} into a {@link DecodedEvent}, or says why it never can be. Deterministic, so
 * a replay sorts every record the same way.
 *
 * <p>Accepts both CloudEvents Kafka modes: structured (the value is the event's JSON) and binary ({@code ce_*}
 * headers, the value is only {@code data}). Rejects, for the DLQ: a record without value, one the strict codec cannot
 * decode, one that breaks the contract's rules (re-checked here because the store must only ever hold valid events),
 * and one whose key is not its subject: ordering per aggregate rests on that key.
 *
 * <p>The validator's "time not in the future" rule depends on the clock, and a replay years later must sort a record
 * as the first pass did; it is checked at intake (ingest-service), not here, by validating against a far-future clock.
 */
public final class RecordDecoder {

    private static final String CE_PREFIX = "ce_";
    private static final Clock FAR_FUTURE = Clock.fixed(Instant.parse("9999-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final EventCodec codec = new EventCodec();
    private final EventValidator validator = new EventValidator(ValidationLimits.defaults(), FAR_FUTURE);

    /** The decoded event; throws for a record that can never be applied. */
    public DecodedEvent decode(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            throw new UnprocessableRecordException("record has no value");
        }
        CloudEvent event;
        byte[] payload;
        Map<String, String> attributes = binaryAttributes(record);
        if (attributes.containsKey("specversion")) {
            event = codec.decodeBinary(attributes, value);
            payload = codec.encode(event);
        } else {
            event = codec.decode(value);
            payload = value;
        }
        List<Violation> violations = validator.validate(event);
        if (!violations.isEmpty()) {
            throw new UnprocessableRecordException("invalid event: "
                    + violations.stream().map(v -> v.path() + " " + v.message()).collect(Collectors.joining("; ")));
        }
        AggregateKey key = AggregateKey.fromSubject(event.subject());
        String recordKey = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (!key.kafkaKey().equals(recordKey)) {
            throw new UnprocessableRecordException(
                    "record key " + (recordKey == null ? "is missing" : "'" + recordKey + "'")
                            + " but must be the subject '" + key.kafkaKey() + "' (it orders the aggregate's events)");
        }
        return new DecodedEvent(event, key, payload, record.partition(), record.offset(), record.timestamp());
    }

    /** Whether an exception from {@link #decode} means "this record can never be applied". */
    public static boolean isPoison(RuntimeException e) {
        return e instanceof UnprocessableRecordException
                || e instanceof EventDecodingException
                || e instanceof IllegalArgumentException;
    }

    private static Map<String, String> binaryAttributes(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            String name = h.key().toLowerCase(Locale.ROOT);
            if (name.startsWith(CE_PREFIX) && h.value() != null) {
                attributes.put(name.substring(CE_PREFIX.length()), new String(h.value(), StandardCharsets.UTF_8));
            } else if (name.equals("content-type") && h.value() != null) {
                attributes.put("datacontenttype", new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return attributes;
    }
}
