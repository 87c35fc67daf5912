package io.retailstack.enricher.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.EventType;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.codec.RfcTimestamps;
import io.retailstack.events.data.EventData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes the payloads of the event store fast. They were validated by ingest and written by {@link EventCodec}, so
 * the enricher does not need the contract codec's strictness on every read, only its result: one streaming pass binds
 * {@code data} straight to its record once {@code type} is known (the codec writes the attributes first), with no
 * intermediate tree. Anything unexpected (type after data, an unknown type, malformed JSON) falls back to the strict
 * {@link EventCodec}, so the result is always what the contract codec would return, or its exception.
 */
public final class StoredEventDecoder {
    private final EventCodec strict = new EventCodec();
    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final Map<EventType, ObjectReader> readers = new EnumMap<>(EventType.class);

    public StoredEventDecoder() {
        for (EventType type : EventType.values()) {
            readers.put(type, mapper.readerFor(type.dataClass()));
        }
    }

    /** The event, as {@link EventCodec#decode} would return it; throws what it would throw. */
    public CloudEvent decode(String payload) {
        return decode(payload.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The event of UTF-8 JSON (as stored), as {@link EventCodec#decode} would return it; throws what it would throw.
     * Parsing the bytes directly skips a String per event and uses Jackson's byte-oriented parser.
     */
    public CloudEvent decode(byte[] payload) {
        try {
            CloudEvent fast = fast(payload);
            if (fast != null) {
                return fast;
            }
        } catch (IOException | RuntimeException e) {
            // not the shape the codec writes: let the strict codec decide (and name the problem)
        }
        return strict.decode(payload);
    }

    private CloudEvent fast(byte[] payload) throws IOException {
        String id = null;
        String source = null;
        String specversion = null;
        EventType type = null;
        String subject = null;
        Instant time = null;
        String datacontenttype = null;
        String dataschema = null;
        EventData data = null;
        Map<String, String> extensions = null;
        try (JsonParser p = mapper.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("data")) {
                    if (type == null || value != JsonToken.START_OBJECT) {
                        return null;
                    }
                    data = readers.get(type).readValue(p);
                    continue;
                }
                if (!value.isScalarValue() || value == JsonToken.VALUE_NULL) {
                    return null;
                }
                String text = p.getText();
                switch (name) {
                    case "id" -> id = text;
                    case "source" -> source = text;
                    case "specversion" -> specversion = text;
                    case "type" -> {
                        type = EventType.fromType(text).orElse(null);
                        if (type == null) {
                            return null;
                        }
                    }
                    case "subject" -> subject = text;
                    case "time" -> time = instant(text);
                    case "datacontenttype" -> datacontenttype = text;
                    case "dataschema" -> dataschema = text;
                    default -> {
                        if (extensions == null) {
                            extensions = new LinkedHashMap<>(4);
                        }
                        extensions.put(name, text);
                    }
                }
            }
            if (p.nextToken() != null) {
                return null;
            }
        }
        if (id == null || source == null || specversion == null || subject == null || time == null || data == null) {
            return null;
        }
        return new CloudEvent(
                id,
                source,
                specversion,
                type,
                subject,
                time,
                datacontenttype,
                dataschema,
                data,
                extensions == null ? Map.of() : extensions);
    }

    /** {@link Instant#parse}, with the contract's fast path for the common RFC 3339 layout the codec writes. */
    public static Instant instant(String s) {
        Instant common = RfcTimestamps.parseCommon(s);
        return common != null ? common : Instant.parse(s);
    }
}
