package io.retailstack.ingest.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.codec.EventDecodingException;
import io.retailstack.events.validation.EventValidator;
import io.retailstack.events.validation.Violation;
import io.retailstack.ingest.service.RejectedEventsException.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns what a producer sent into valid events, or says everything that is wrong with it. Decoding is the contract's
 * {@link EventCodec}, validation its {@link EventValidator}; this class only adds what is specific to intake: batches
 * report every bad element (not only the first) and may not repeat an event id.
 */
@ApplicationScoped
public class EventReader {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final EventCodec codec;
    private final EventValidator validator;

    @Inject
    public EventReader(EventCodec codec, EventValidator validator) {
        this.codec = codec;
        this.validator = validator;
    }

    /** One event in structured mode. */
    public ReceivedEvent readStructured(byte[] json) {
        CloudEvent event;
        try {
            event = codec.decode(json);
        } catch (EventDecodingException e) {
            throw rejected(e, "");
        }
        return new ReceivedEvent(requireValid(event), json);
    }

    /**
     * One event in binary mode.
     *
     * @param attributes attributes without the transport prefix ({@code ce-} / {@code ce_}); {@code datacontenttype}
     *     taken from the content type
     * @param data the body: only the event's data
     */
    public ReceivedEvent readBinary(Map<String, String> attributes, byte[] data) {
        CloudEvent event;
        try {
            event = codec.decodeBinary(attributes, data);
        } catch (EventDecodingException e) {
            throw rejected(e, "");
        }
        return new ReceivedEvent(requireValid(event), null);
    }

    /**
     * A JSON array of structured events, all or nothing: every element is decoded and validated, and if any is bad
     * the whole batch is rejected with the violations of all of them, each path prefixed with the element's index
     * ({@code [3].data.lines[0].quantity}). Duplicate ids within the batch are violations too.
     *
     * @param maxEvents more elements than this is {@link Reason#TOO_LARGE}
     */
    public List<ReceivedEvent> readBatch(byte[] json, int maxEvents) {
        // The common case, a batch of decodable events, in one pass; anything else element by element, which names
        // every problem.
        List<EventCodec.BatchElement> decoded = codec.decodeBatchElements(json, maxEvents);
        List<Element> elements = decoded != null
                ? decoded.stream()
                        .map(d -> new Element(d.json(), d.event(), null))
                        .toList()
                : split(json, maxEvents);
        if (elements.isEmpty()) {
            throw new RejectedEventsException(
                    Reason.EMPTY_BATCH, "The batch holds no events.", List.of(new Violation("", "is empty")), 0);
        }
        List<ReceivedEvent> events = new ArrayList<>(elements.size());
        List<Violation> violations = new ArrayList<>();
        Reason first = null;
        Map<String, Integer> firstIndexById = new HashMap<>();
        for (int i = 0; i < elements.size(); i++) {
            String prefix = "[" + i + "]";
            Element element = elements.get(i);
            if (element.notAnObject() != null) {
                violations.add(new Violation(prefix, element.notAnObject()));
                first = first == null ? Reason.WRONG_JSON_TYPE : first;
                continue;
            }
            CloudEvent event = element.event();
            if (event == null) {
                try {
                    event = codec.decode(element.json());
                } catch (EventDecodingException e) {
                    violations.add(new Violation(join(prefix, e.field()), e.reason()));
                    first = first == null ? reason(e) : first;
                    continue;
                }
            }
            List<Violation> found = validator.validate(event);
            if (!found.isEmpty()) {
                found.forEach(v -> violations.add(new Violation(join(prefix, v.path()), v.message())));
                first = first == null ? Reason.VALIDATION : first;
                continue;
            }
            Integer earlier = firstIndexById.putIfAbsent(event.id(), i);
            if (earlier != null) {
                violations.add(new Violation(
                        prefix + ".id", "duplicates the id of [" + earlier + "]; ids must be unique in a batch"));
                first = first == null ? Reason.DUPLICATE_ID : first;
                continue;
            }
            events.add(new ReceivedEvent(event, element.json()));
        }
        if (!violations.isEmpty()) {
            int bad = (int) violations.stream()
                    .map(v -> v.path().substring(0, v.path().indexOf(']') + 1))
                    .distinct()
                    .count();
            throw new RejectedEventsException(
                    first,
                    bad + " of " + elements.size()
                            + " events are invalid; the batch is all or nothing, so none was published.",
                    violations,
                    elements.size());
        }
        return List.copyOf(events);
    }

    private CloudEvent requireValid(CloudEvent event) {
        List<Violation> violations = validator.validate(event);
        if (!violations.isEmpty()) {
            throw new RejectedEventsException(
                    Reason.VALIDATION,
                    "The event is well formed but breaks " + violations.size() + " rule(s).",
                    violations,
                    1);
        }
        return event;
    }

    private static RejectedEventsException rejected(EventDecodingException e, String prefix) {
        return new RejectedEventsException(
                reason(e),
                "The event cannot be decoded: " + e.reason(),
                List.of(new Violation(join(prefix, e.field()), e.reason())),
                1);
    }

    /** The rejection reason of a decoding error: one-to-one with the codec's kinds. */
    public static Reason reason(EventDecodingException e) {
        return Reason.valueOf(e.kind().name());
    }

    private static String join(String prefix, String path) {
        if (path.isEmpty()) {
            return prefix;
        }
        if (prefix.isEmpty()) {
            return path;
        }
        return path.startsWith("[") ? prefix + path : prefix + "." + path;
    }

    /** One element of the batch array: its exact bytes and, once decoded, its event; or why it is not an object. */
    private record Element(byte[] json, CloudEvent event, String notAnObject) {}

    /**
     * Splits the top-level array into the exact bytes of each element, so each is decoded by the codec as sent
     * (numbers keep their scale, duplicate keys are still detected). Elements that are not objects are reported
     * without decoding.
     */
    private static List<Element> split(byte[] json, int maxEvents) {
        if (json == null || json.length == 0) {
            throw malformed("no input");
        }
        List<Element> elements = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(json)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw malformed("no JSON value in input");
            }
            if (token != JsonToken.START_ARRAY) {
                throw new RejectedEventsException(
                        Reason.WRONG_JSON_TYPE,
                        "A batch is a JSON array of events.",
                        List.of(new Violation("", "expected a JSON array of events, got " + describe(token))),
                        1);
            }
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw malformed("unexpected end of input");
                }
                if (elements.size() == maxEvents) {
                    throw new RejectedEventsException(
                            Reason.TOO_LARGE,
                            "A batch may hold at most " + maxEvents + " events.",
                            List.of(new Violation("", "more than " + maxEvents + " events")),
                            maxEvents + 1);
                }
                if (token == JsonToken.START_OBJECT) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    int end = (int) parser.currentLocation().getByteOffset();
                    elements.add(new Element(Arrays.copyOfRange(json, start, end), null, null));
                } else {
                    parser.skipChildren();
                    elements.add(new Element(null, null, "expected a JSON object (one event), got " + describe(token)));
                }
            }
            if (parser.nextToken() != null) {
                throw malformed("trailing content after the array");
            }
        } catch (StreamReadException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw malformed(e.getOriginalMessage() + where);
        } catch (IOException e) {
            throw malformed(e.getMessage());
        }
        return elements;
    }

    private static RejectedEventsException malformed(String message) {
        return new RejectedEventsException(
                Reason.MALFORMED_JSON, "The body is not valid JSON.", List.of(new Violation("", message)), 1);
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase(Locale.ROOT);
        };
    }
}
