package io.retailstack.events.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.EventArbitraries;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The streaming decoder is only a faster way to the tree decoder's answer: on any input it either declines (null) or
 * returns exactly the event the tree decoder returns, and it never accepts what the tree decoder rejects. Inputs are
 * encoded events with random byte edits and structural changes (data first, null or non-string attributes,
 * duplicate and unknown fields, trailing content).
 */
class CodecStreamingPropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EDIT_CHARS = "{}[]\",:0-.a\\ ";

    private final EventCodec codec = new EventCodec();

    @Property
    void streamingDecodesEveryEncodedEventAsTheTreeDecoderDoes(@ForAll("events") CloudEvent event) {
        byte[] json = codec.encode(event);

        assertThat(codec.decodeStreaming(json)).isEqualTo(event).isEqualTo(codec.decodeViaTree(json));
    }

    @Property(tries = 2000)
    void streamingNeverDisagreesWithTheTreeDecoder(@ForAll("mutated") String input) {
        byte[] json = input.getBytes(StandardCharsets.UTF_8);
        CloudEvent streamed = codec.decodeStreaming(json);
        CloudEvent reference;
        try {
            reference = codec.decodeViaTree(json);
        } catch (EventDecodingException e) {
            Statistics.label("outcome").collect(streamed == null ? "both reject" : "STREAMING ACCEPTED");
            assertThat(streamed)
                    .as("accepted what the tree decoder rejects: %s", e.getMessage())
                    .isNull();
            return;
        }
        Statistics.label("outcome").collect(streamed == null ? "streaming declined" : "both accept");
        if (streamed != null) {
            assertThat(streamed).isEqualTo(reference);
        }
    }

    @Property(tries = 300)
    void batchElementsAreTheEventsAndTheirExactBytes(@ForAll("mutatedBatches") String input) {
        byte[] json = input.getBytes(StandardCharsets.UTF_8);
        List<EventCodec.BatchElement> elements = codec.decodeBatchElements(json, 100);
        if (elements == null) {
            return; // declined: the caller decodes element by element
        }
        List<CloudEvent> reference = codec.decodeBatch(json);
        assertThat(elements).extracting(EventCodec.BatchElement::event).containsExactlyElementsOf(reference);
        for (EventCodec.BatchElement element : elements) {
            assertThat(codec.decodeViaTree(element.json())).isEqualTo(element.event());
        }
    }

    @Property(tries = 50)
    void batchesAboveTheLimitAreDeclined(@ForAll("events") CloudEvent a, @ForAll("events") CloudEvent b) {
        byte[] json = codec.encodeBatch(List.of(a, b));

        assertThat(codec.decodeBatchElements(json, 1)).isNull();
        assertThat(codec.decodeBatchElements(json, 2)).hasSize(2);
        assertThat(codec.decodeBatchElements("[]".getBytes(StandardCharsets.UTF_8), 2))
                .isNull();
    }

    @Provide
    Arbitrary<CloudEvent> events() {
        return EventArbitraries.events();
    }

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> encoded =
                EventArbitraries.events().map(e -> new String(codec.encode(e), StandardCharsets.UTF_8));
        return Arbitraries.oneOf(
                encoded,
                Combinators.combine(
                                encoded,
                                Arbitraries.integers().between(0, 10_000),
                                Arbitraries.integers().between(0, 12),
                                Arbitraries.integers().between(0, 7))
                        .as(CodecStreamingPropertiesTest::edit),
                Combinators.combine(encoded, Arbitraries.integers().between(0, 9))
                        .as(CodecStreamingPropertiesTest::reshape));
    }

    @Provide
    Arbitrary<String> mutatedBatches() {
        Arbitrary<String> element = mutated();
        return element.list().ofMinSize(0).ofMaxSize(4).map(list -> "[" + String.join(",", list) + "]");
    }

    /** A random byte-level edit: delete, insert or replace one character, or cut the text. */
    private static String edit(String json, int at, int charIndex, int kind) {
        int position = at % (json.length() + 1);
        char c = EDIT_CHARS.charAt(charIndex % EDIT_CHARS.length());
        return switch (kind % 4) {
            case 0 -> position < json.length() ? json.substring(0, position) + json.substring(position + 1) : json;
            case 1 -> json.substring(0, position) + c + json.substring(position);
            case 2 -> position < json.length() ? json.substring(0, position) + c + json.substring(position + 1) : json;
            default -> json.substring(0, position);
        };
    }

    /** A structural change that keeps the JSON well formed. */
    private static String reshape(String json, int kind) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            switch (kind) {
                case 0 -> { // data before every attribute
                    ObjectNode reordered = JSON.createObjectNode();
                    reordered.set("data", node.get("data"));
                    node.properties().forEach(f -> reordered.set(f.getKey(), f.getValue()));
                    node = reordered;
                }
                case 1 -> node.putNull("subject");
                case 2 -> node.put("id", 42);
                case 3 -> node.put("traceparent", true);
                case 4 -> node.put("Bad-Name", "x");
                case 5 -> node.remove("type");
                case 6 -> node.put("data_base64", "AAAA");
                case 7 -> ((ObjectNode) node.get("data")).put("unexpected", 1);
                case 8 -> {
                    return json.replaceFirst("\\{", "{\"id\":\"dup\",");
                }
                default -> {
                    return json + " {}";
                }
            }
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
