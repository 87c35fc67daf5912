package io.retailstack.events.codec;

import static io.retailstack.events.codec.EventDecodingException.Kind.INVALID_ATTRIBUTE;
import static io.retailstack.events.codec.EventDecodingException.Kind.INVALID_VALUE;
import static io.retailstack.events.codec.EventDecodingException.Kind.MALFORMED_JSON;
import static io.retailstack.events.codec.EventDecodingException.Kind.MISSING_ATTRIBUTE;
import static io.retailstack.events.codec.EventDecodingException.Kind.MISSING_FIELD;
import static io.retailstack.events.codec.EventDecodingException.Kind.UNKNOWN_FIELD;
import static io.retailstack.events.codec.EventDecodingException.Kind.UNKNOWN_TYPE;
import static io.retailstack.events.codec.EventDecodingException.Kind.WRONG_JSON_TYPE;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.EventType;
import io.retailstack.events.Extensions;
import io.retailstack.events.data.EventData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reads and writes {@link CloudEvent}s as JSON, strictly.
 *
 * <p>Strict means a producer's mistake is an {@link EventDecodingException} naming the field, never a
 * guess: unknown data fields, {@code "2"} or {@code 2.5} for an integer, a string for a price, numbers
 * for enums and duplicate JSON fields are all errors. Decoding never returns null and never drops
 * anything silently. Business rules (positive quantities, currency codes, …) are {@code
 * EventValidator}'s job: the codec answers "is this the shape of an event", the validator "does it
 * make sense".
 *
 * <p>Both CloudEvents content modes are supported. Structured: the whole event is one JSON object
 * ({@link #decode}, {@link #encode}) or an array of them ({@link #decodeBatch}). Binary: attributes
 * travel as transport headers and the body is only {@code data} ({@link #decodeBinary}, {@link
 * #binaryAttributes}, {@link #encodeData}); the caller strips the {@code ce-} (HTTP) or {@code ce_}
 * (Kafka) prefix and passes {@code Content-Type} as {@code datacontenttype}.
 *
 * <p>Extension values are strings in this model because binary mode can only carry strings; a JSON
 * boolean or number extension in structured mode is read as its text.
 *
 * <p>Thread-safe and immutable; create one and share it.
 */
public final class EventCodec {

    private static final String DATA = "data";

    private final JsonMapper mapper;
    private final Map<EventType, ObjectReader> readers = new EnumMap<>(EventType.class);
    /** The same readers for data inside an event being streamed: the event goes on after it. */
    private final Map<EventType, ObjectReader> embeddedReaders = new EnumMap<>(EventType.class);

    public EventCodec() {
        this.mapper = strictMapper();
        for (EventType type : EventType.values()) {
            readers.put(type, mapper.readerFor(type.dataClass()));
            embeddedReaders.put(type, readers.get(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
        }
    }

    /**
     * The mapper behind the codec. Each setting closes one way a malformed event could slip through as
     * a plausible value.
     */
    private static JsonMapper strictMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Prices stay exact from the first byte: floats are read as BigDecimal, with their scale.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // Numbers and booleans are not silently turned into strings either.
                .withCoercionConfig(LogicalType.Textual, config -> config.setCoercion(
                                CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                // Every data field is required and non-null unless its record component says otherwise
                // with @JsonSetter(nulls = Nulls.SET); absent counts as null. Same for list elements.
                .defaultSetterInfo(JsonSetter.Value.construct(Nulls.FAIL, Nulls.FAIL))
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes one event in structured mode ({@value CloudEvent#STRUCTURED_CONTENT_TYPE}).
     *
     * @throws EventDecodingException naming the first offending field
     */
    public CloudEvent decode(byte[] json) {
        CloudEvent streamed = decodeStreaming(json);
        return streamed != null ? streamed : decodeViaTree(json);
    }

    /**
     * The reference decoder: the whole input as a tree first, then attribute by attribute. Slower, but it is the one
     * that names what is wrong, so every input the streaming path declines ends here.
     */
    CloudEvent decodeViaTree(byte[] json) {
        return decodeEvent(parse(json, ""), "");
    }

    /** One element of a structured batch: the event and the exact bytes of its JSON object. */
    public record BatchElement(CloudEvent event, byte[] json) {}

    /**
     * Decodes a structured batch in one pass, keeping each element's exact bytes (so it can be passed on as
     * received), or returns null when the batch is anything but a JSON array of 1 to {@code maxElements} events that
     * {@link #decode} accepts. A caller that gets null decodes the elements one by one to report every error.
     *
     * <p>Why: a batch of valid events is the common case, and this costs one parse instead of a split pass, a tree
     * per element and a bind from that tree.
     */
    public List<BatchElement> decodeBatchElements(byte[] json, int maxElements) {
        if (json == null || json.length == 0) {
            return null;
        }
        try (JsonParser parser = mapper.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            List<BatchElement> elements = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
                if (elements.size() == maxElements) {
                    return null;
                }
                int start = (int) parser.currentTokenLocation().getByteOffset();
                CloudEvent event = readStreaming(parser);
                if (event == null) {
                    return null;
                }
                int end = (int) parser.currentLocation().getByteOffset();
                elements.add(new BatchElement(event, Arrays.copyOfRange(json, start, end)));
            }
            if (token != JsonToken.END_ARRAY || parser.nextToken() != null || elements.isEmpty()) {
                return null;
            }
            return elements;
        } catch (IOException | RuntimeException e) {
            return null; // the element-by-element path names the problem
        }
    }

    /**
     * Single-pass decoding without a tree, for the common case only: an object whose attributes are all strings and
     * whose {@code data} object comes after {@code type}, so it can be bound straight from the parser. Anything else
     * (null or non-string attributes, {@code data} first, any error at all) returns null and is left to {@link
     * #decodeViaTree}. So this path is never more lenient than the reference, only faster: attributes go through the
     * same {@link #build} checks, data through the same reader, and {@code CodecStreamingPropertiesTest} compares both
     * on mutated input.
     */
    CloudEvent decodeStreaming(byte[] json) {
        if (json == null || json.length == 0) {
            return null;
        }
        try (JsonParser parser = mapper.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            CloudEvent event = readStreaming(parser);
            return event != null && parser.nextToken() == null ? event : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** From the START_OBJECT of an event to its END_OBJECT; null if the input is not the common case. */
    private CloudEvent readStreaming(JsonParser parser) throws IOException {
        Map<String, String> attrs = new LinkedHashMap<>();
        EventData data = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals(DATA)) {
                String typeName = attrs.get("type");
                EventType type =
                        typeName == null ? null : EventType.fromType(typeName).orElse(null);
                if (type == null || value != JsonToken.START_OBJECT) {
                    return null;
                }
                data = embeddedReaders.get(type).readValue(parser);
            } else if (value == JsonToken.VALUE_STRING && !name.equals("data_base64")) {
                attrs.put(name, parser.getText());
            } else {
                return null;
            }
        }
        if (token != JsonToken.END_OBJECT || data == null) {
            return null;
        }
        EventData bound = data;
        // the type attribute cannot change after data was bound: duplicate fields fail the parser
        return build(attrs, (type, path) -> bound, "");
    }

    /**
     * Decodes a JSON array of structured events ({@value CloudEvent#BATCH_CONTENT_TYPE}). All or
     * nothing: the first bad element fails the batch, and the error's field starts with its index,
     * e.g. {@code [3].data.lines[0].quantity}.
     */
    public List<CloudEvent> decodeBatch(byte[] json) {
        JsonNode root = parse(json, "");
        if (!root.isArray()) {
            throw new EventDecodingException(
                    WRONG_JSON_TYPE, "", "expected a JSON array of events, got " + describe(root));
        }
        List<CloudEvent> events = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            events.add(decodeEvent(root.get(i), "[" + i + "]"));
        }
        return List.copyOf(events);
    }

    /**
     * Decodes one event in binary mode.
     *
     * @param attributes CloudEvents attributes and extensions by name, without the transport prefix
     *     (names are matched case-insensitively, since HTTP headers are); null values count as absent
     * @param data the JSON body, which is only the event's {@code data}
     */
    public CloudEvent decodeBinary(Map<String, String> attributes, byte[] data) {
        Objects.requireNonNull(attributes, "attributes");
        Map<String, String> attrs = new LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (value != null && attrs.put(lower, value) != null) {
                throw new EventDecodingException(INVALID_ATTRIBUTE, lower, "attribute given more than once");
            }
        });
        return build(
                attrs,
                fromTree(() -> {
                    if (data == null || data.length == 0) {
                        throw new EventDecodingException(MISSING_ATTRIBUTE, DATA, "the body (data) is empty");
                    }
                    return parse(data, DATA);
                }),
                "");
    }

    private CloudEvent decodeEvent(JsonNode node, String prefix) {
        if (!node.isObject()) {
            throw new EventDecodingException(
                    WRONG_JSON_TYPE, prefix, "expected a JSON object (one event), got " + describe(node));
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        JsonNode[] data = {MissingNode.getInstance()};
        node.properties().forEach(field -> {
            String name = field.getKey();
            JsonNode value = field.getValue();
            String path = join(prefix, name);
            if (name.equals(DATA)) {
                data[0] = value;
            } else if (name.equals("data_base64")) {
                throw new EventDecodingException(
                        INVALID_ATTRIBUTE, path, "data_base64 is not supported; events carry JSON in data");
            } else if (value.isNull()) {
                return; // The JSON format treats a null attribute as an absent one.
            } else if (Extensions.CONTEXT_ATTRIBUTES.contains(name)) {
                if (!value.isTextual()) {
                    throw new EventDecodingException(
                            WRONG_JSON_TYPE, path, "expected a string, got " + describe(value));
                }
                attrs.put(name, value.textValue());
            } else {
                if (!value.isValueNode()) {
                    throw new EventDecodingException(
                            WRONG_JSON_TYPE,
                            path,
                            "an extension must be a string, number or boolean, got " + describe(value));
                }
                attrs.put(name, value.asText());
            }
        });
        return build(attrs, fromTree(() -> data[0]), prefix);
    }

    /** How {@link #build} gets {@code data}, once the attributes passed: bound from a tree, or already bound. */
    @FunctionalInterface
    private interface DataSource {
        EventData bind(EventType type, String path);
    }

    /** Data bound from a lazily parsed node, after the attribute checks. */
    private DataSource fromTree(Supplier<JsonNode> dataNode) {
        return (type, path) -> {
            JsonNode node = dataNode.get();
            if (node.isMissingNode() || node.isNull()) {
                throw new EventDecodingException(MISSING_ATTRIBUTE, path, "required attribute is missing");
            }
            return bind(type, node, path);
        };
    }

    /** Builds the event from attributes (every decoder) and its data, asked for only once the attributes passed. */
    private CloudEvent build(Map<String, String> attrs, DataSource dataSource, String prefix) {
        Map<String, String> extensions = new TreeMap<>();
        attrs.forEach((name, value) -> {
            if (Extensions.CONTEXT_ATTRIBUTES.contains(name)) {
                return;
            }
            if (!Extensions.isValidName(name)) {
                throw new EventDecodingException(
                        INVALID_ATTRIBUTE,
                        join(prefix, name),
                        "not a CloudEvents attribute: extension names are lowercase letters and digits");
            }
            extensions.put(name, value);
        });

        String specversion = required(attrs, "specversion", prefix);
        if (!CloudEvent.SPEC_VERSION.equals(specversion)) {
            throw new EventDecodingException(
                    INVALID_ATTRIBUTE,
                    join(prefix, "specversion"),
                    "unsupported spec version '" + specversion + "', expected " + CloudEvent.SPEC_VERSION);
        }
        String id = required(attrs, "id", prefix);
        String source = required(attrs, "source", prefix);
        String typeName = required(attrs, "type", prefix);
        EventType type = EventType.fromType(typeName)
                .orElseThrow(() -> new EventDecodingException(
                        UNKNOWN_TYPE, join(prefix, "type"), "unknown event type '" + typeName + "'"));
        String subject = required(attrs, "subject", prefix);
        Instant time = parseTime(required(attrs, "time", prefix), join(prefix, "time"));
        String contentType = attrs.get("datacontenttype");
        if (contentType != null && !CloudEvent.isJsonContentType(contentType)) {
            throw new EventDecodingException(
                    INVALID_ATTRIBUTE,
                    join(prefix, "datacontenttype"),
                    "data must be JSON, got content type '" + contentType + "'");
        }
        String dataschema = attrs.get("dataschema");

        EventData data = dataSource.bind(type, join(prefix, DATA));
        return new CloudEvent(id, source, specversion, type, subject, time, contentType, dataschema, data, extensions);
    }

    private EventData bind(EventType type, JsonNode node, String path) {
        if (!node.isObject()) {
            throw new EventDecodingException(WRONG_JSON_TYPE, path, "expected an object, got " + describe(node));
        }
        try {
            return readers.get(type).readValue(node);
        } catch (JsonMappingException e) {
            throw dataError(e, node, path);
        } catch (IOException e) {
            throw new EventDecodingException(INVALID_VALUE, path, "cannot read data: " + e.getMessage(), e);
        }
    }

    /** Turns Jackson's binding error into our kinds, with a path relative to the event. */
    private static EventDecodingException dataError(JsonMappingException e, JsonNode data, String dataPath) {
        List<JsonMappingException.Reference> refs = e.getPath();
        StringBuilder path = new StringBuilder(dataPath);
        JsonNode value = data;
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                path.append('.').append(ref.getFieldName());
                value = value.path(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
                value = value.path(ref.getIndex());
            }
        }
        String at = path.toString();
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new EventDecodingException(
                    UNKNOWN_FIELD, at, "unknown field '" + unknown.getPropertyName() + "'", e);
        }
        if (e instanceof InvalidNullException) {
            return new EventDecodingException(MISSING_FIELD, at, "required field is missing or null", e);
        }
        if (e.getCause() instanceof InputCoercionException) {
            return new EventDecodingException(INVALID_VALUE, at, "number out of range", e);
        }
        if (e instanceof MismatchedInputException mismatch) {
            Class<?> target = mismatch.getTargetType();
            if (e instanceof InvalidFormatException && target != null && target.isEnum() && value.isTextual()) {
                return new EventDecodingException(
                        INVALID_VALUE,
                        at,
                        "'" + value.textValue() + "' is not one of " + Arrays.toString(target.getEnumConstants()),
                        e);
            }
            return new EventDecodingException(
                    WRONG_JSON_TYPE, at, "expected " + expected(target) + ", got " + describe(value), e);
        }
        return new EventDecodingException(INVALID_VALUE, at, e.getOriginalMessage(), e);
    }

    private JsonNode parse(byte[] json, String field) {
        if (json == null || json.length == 0) {
            throw new EventDecodingException(MALFORMED_JSON, field, "no input");
        }
        try {
            JsonNode node = mapper.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new EventDecodingException(MALFORMED_JSON, field, "no JSON value in input");
            }
            return node;
        } catch (JacksonException e) {
            JsonLocation where = e.getLocation();
            String location = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
            throw new EventDecodingException(MALFORMED_JSON, field, e.getOriginalMessage() + location, e);
        } catch (IOException e) {
            throw new EventDecodingException(MALFORMED_JSON, field, e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> attrs, String name, String prefix) {
        String value = attrs.get(name);
        if (value == null) {
            throw new EventDecodingException(MISSING_ATTRIBUTE, join(prefix, name), "required attribute is missing");
        }
        return value;
    }

    private static Instant parseTime(String text, String path) {
        Instant fast = RfcTimestamps.parseCommon(text);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new EventDecodingException(
                    INVALID_ATTRIBUTE, path, "not an RFC 3339 timestamp with offset: '" + text + "'", e);
        }
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> node.isIntegralNumber() ? "an integer" : "a decimal number";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "another JSON type";
        }
        if (target == String.class) {
            return "a string";
        }
        if (target == int.class
                || target == Integer.class
                || target == long.class
                || target == Long.class
                || target == BigInteger.class) {
            return "an integer";
        }
        if (target == BigDecimal.class) {
            return "a number";
        }
        if (target.isEnum()) {
            return "one of " + Arrays.toString(target.getEnumConstants());
        }
        if (Collection.class.isAssignableFrom(target)) {
            return "an array";
        }
        return "an object";
    }

    // ---------------------------------------------------------------- encoding

    /** Encodes one event in structured mode. */
    public byte[] encode(CloudEvent event) {
        return write(toNode(event));
    }

    /** Encodes events as a structured-mode batch: a JSON array. */
    public byte[] encodeBatch(List<CloudEvent> events) {
        ArrayNode array = mapper.createArrayNode();
        events.forEach(event -> array.add(toNode(event)));
        return write(array);
    }

    /** Encodes only {@code data}: the body of a binary-mode message. */
    public byte[] encodeData(CloudEvent event) {
        requireEncodable(event);
        return write(mapper.valueToTree(event.data()));
    }

    /**
     * The attributes and extensions of a binary-mode message, as strings, without transport prefix.
     * The caller adds {@code ce-} or {@code ce_}; {@code datacontenttype} goes into the
     * {@code Content-Type} header instead.
     */
    public Map<String, String> binaryAttributes(CloudEvent event) {
        requireEncodable(event);
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("specversion", event.specversion());
        attrs.put("id", event.id());
        attrs.put("source", event.source());
        attrs.put("type", event.type().type());
        attrs.put("subject", event.subject());
        attrs.put("time", DateTimeFormatter.ISO_INSTANT.format(event.time()));
        if (event.datacontenttype() != null) {
            attrs.put("datacontenttype", event.datacontenttype());
        }
        if (event.dataschema() != null) {
            attrs.put("dataschema", event.dataschema());
        }
        attrs.putAll(event.extensions());
        return attrs;
    }

    private ObjectNode toNode(CloudEvent event) {
        ObjectNode node = mapper.createObjectNode();
        binaryAttributes(event).forEach(node::put);
        node.set(DATA, mapper.valueToTree(event.data()));
        return node;
    }

    /** Refuses to write an event no decoder would read back; business validity is not checked. */
    private static void requireEncodable(CloudEvent event) {
        Objects.requireNonNull(event, "event");
        requirePresent(event.id(), "id");
        requirePresent(event.source(), "source");
        requirePresent(event.specversion(), "specversion");
        requirePresent(event.type(), "type");
        requirePresent(event.subject(), "subject");
        requirePresent(event.time(), "time");
        requirePresent(event.data(), "data");
    }

    private static void requirePresent(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("cannot encode an event without " + name);
        }
    }

    private byte[] write(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
