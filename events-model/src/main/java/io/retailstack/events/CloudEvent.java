package io.retailstack.events;

import io.retailstack.events.data.EventData;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A CloudEvents 1.0 event carrying one of the contract's data records.
 *
 * <p>The record holds what was received, not what is valid: a decoded event may still have an empty
 * id or an impossible time, and {@code EventValidator} says so. Only what would make the event
 * meaningless as an object is rejected here: a {@code data} record that does not belong to {@code
 * type}, and badly named extensions.
 *
 * @param id unique per event; producers use it for idempotency
 * @param source URI-reference of the producer, e.g. {@code /ingest-service/http}
 * @param specversion always {@value #SPEC_VERSION} for events built here
 * @param type the event type
 * @param subject the aggregate, see {@link AggregateKey}
 * @param time when it happened
 * @param datacontenttype media type of {@code data}; {@code null} means {@value #JSON}
 * @param dataschema optional URI of the data schema
 * @param data the payload
 * @param extensions extension attributes by name, values as strings; never null, sorted by name
 */
public record CloudEvent(
        String id,
        String source,
        String specversion,
        EventType type,
        String subject,
        Instant time,
        String datacontenttype,
        String dataschema,
        EventData data,
        Map<String, String> extensions) {

    /** The only CloudEvents version this contract speaks. */
    public static final String SPEC_VERSION = "1.0";

    /** Content type of {@code data}. */
    public static final String JSON = "application/json";

    /** Content type of one event in structured mode. */
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

    /** Content type of a JSON array of events in structured mode. */
    public static final String BATCH_CONTENT_TYPE = "application/cloudevents-batch+json";

    public CloudEvent {
        if (type != null && data != null && type.dataClass() != data.getClass()) {
            throw new IllegalArgumentException(
                    "data " + data.getClass().getSimpleName() + " does not belong to type " + type.type());
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        if (extensions != null) {
            extensions.forEach((name, value) -> {
                if (!Extensions.isValidName(name)) {
                    throw new IllegalArgumentException(
                            "extension name must be lowercase a-z0-9 and not a context attribute: " + name);
                }
                if (value == null) {
                    throw new IllegalArgumentException("extension " + name + " has no value");
                }
                sorted.put(name, value);
            });
        }
        extensions = Collections.unmodifiableMap(sorted);
    }

    /**
     * A new event with spec version 1.0, JSON data, no extensions, and the type that belongs to
     * {@code data}.
     */
    public static CloudEvent of(String id, String source, AggregateKey key, Instant time, EventData data) {
        return new CloudEvent(
                id, source, SPEC_VERSION, EventType.of(data), key.subject(), time, JSON, null, data, Map.of());
    }

    /** A copy with the extension {@code name} set to {@code value}. */
    public CloudEvent withExtension(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(extensions);
        copy.put(name, value);
        return new CloudEvent(id, source, specversion, type, subject, time, datacontenttype, dataschema, data, copy);
    }

    /** A copy with all of {@code more} added to the extensions (replacing same-named ones). */
    public CloudEvent withExtensions(Map<String, String> more) {
        Map<String, String> copy = new LinkedHashMap<>(extensions);
        copy.putAll(more);
        return new CloudEvent(id, source, specversion, type, subject, time, datacontenttype, dataschema, data, copy);
    }

    /** The value of extension {@code name}, if present. */
    public Optional<String> extension(String name) {
        return Optional.ofNullable(extensions.get(name));
    }

    /** Whether ingest flagged this event, see {@link Extensions#FRAUD_FLAG}. */
    public boolean fraudFlagged() {
        return Extensions.isFraudFlag(extensions.get(Extensions.FRAUD_FLAG));
    }

    /**
     * Whether a media type denotes JSON data: {@code application/json} or any {@code
     * application/*+json}, parameters such as {@code charset} ignored.
     */
    public static boolean isJsonContentType(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals(JSON) || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    /**
     * The aggregate named by the subject.
     *
     * @throws IllegalArgumentException if the subject is missing or malformed
     */
    public AggregateKey aggregateKey() {
        return AggregateKey.fromSubject(subject);
    }
}
