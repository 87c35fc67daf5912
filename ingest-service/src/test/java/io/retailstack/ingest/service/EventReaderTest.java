package io.retailstack.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.validation.EventValidator;
import io.retailstack.events.validation.Violation;
import io.retailstack.ingest.service.RejectedEventsException.Reason;
import io.retailstack.ingest.support.TestEvents;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Batch decoding: every bad element reported with its index, exact bytes per element, limits. */
class EventReaderTest {

    private final EventReader reader = new EventReader(new EventCodec(), new EventValidator());

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldDecodeAValidBatchInOrderKeepingNumbersExact() {
        String body = " [ " + TestEvents.placed("E-1", "ORD-1") + " ,\n"
                + TestEvents.received("E-2", "SKU-1", "LOC-1", 3) + " ] ";
        List<CloudEvent> events = reader.readBatch(utf8(body), 10).stream()
                .map(ReceivedEvent::event)
                .toList();
        assertThat(events).extracting(CloudEvent::id).containsExactly("E-1", "E-2");
        io.retailstack.events.data.OrderPlaced placed =
                (io.retailstack.events.data.OrderPlaced) events.get(0).data();
        assertThat(placed.lines().get(0).unitPrice()).isEqualTo(new BigDecimal("12.50"));
    }

    @Test
    void shouldReportDecodingAndValidationErrorsOfAllElementsWithTheirIndex() {
        String body = TestEvents.batch(List.of(
                TestEvents.placed("E-1", "ORD-1"),
                TestEvents.placed("E-2", "ORD-2").replace("\"quantity\":2", "\"quantity\":\"2\""),
                "42",
                TestEvents.received("E-4", "SKU-1", "LOC-1", 0),
                TestEvents.placed("E-1", "ORD-5")));
        RejectedEventsException e =
                catchThrowableOfType(RejectedEventsException.class, () -> reader.readBatch(utf8(body), 10));
        assertThat(e.reason()).isEqualTo(Reason.WRONG_JSON_TYPE);
        assertThat(e.violations())
                .extracting(Violation::path)
                .containsExactly("[1].data.lines[0].quantity", "[2]", "[3].data.quantity", "[4].id");
        assertThat(e.getMessage()).startsWith("4 of 5 events are invalid");
        assertThat(e.eventCount()).isEqualTo(5);
    }

    @Test
    void shouldDetectDuplicateKeysInsideAnElement() {
        String element = TestEvents.received("E-1", "SKU-1", "LOC-1", 1)
                .replace("{\"specversion\"", "{\"id\":\"X\",\"specversion\"");
        RejectedEventsException e = catchThrowableOfType(
                RejectedEventsException.class, () -> reader.readBatch(utf8("[" + element + "]"), 10));
        assertThat(e.violations().get(0).path()).isEqualTo("[0]");
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JSON);
    }

    @Test
    void shouldRefuseMoreEventsThanTheLimitBeforeDecodingThem() {
        String body = "[" + "{},".repeat(3) + "{}]";
        RejectedEventsException e =
                catchThrowableOfType(RejectedEventsException.class, () -> reader.readBatch(utf8(body), 3));
        assertThat(e.tooLarge()).isTrue();
    }

    @Test
    void shouldRefuseMalformedAndNonArrayBatches() {
        assertThatThrownBy(() -> reader.readBatch(utf8("[{\"a\":1}"), 10))
                .isInstanceOfSatisfying(RejectedEventsException.class, e -> assertThat(e.reason())
                        .isEqualTo(Reason.MALFORMED_JSON));
        assertThatThrownBy(() -> reader.readBatch(utf8("[] []"), 10))
                .isInstanceOfSatisfying(RejectedEventsException.class, e -> assertThat(e.reason())
                        .isEqualTo(Reason.MALFORMED_JSON));
        assertThatThrownBy(() -> reader.readBatch(utf8("{}"), 10))
                .isInstanceOfSatisfying(RejectedEventsException.class, e -> assertThat(e.reason())
                        .isEqualTo(Reason.WRONG_JSON_TYPE));
        assertThatThrownBy(() -> reader.readBatch(utf8("[]"), 10))
                .isInstanceOfSatisfying(RejectedEventsException.class, e -> assertThat(e.reason())
                        .isEqualTo(Reason.EMPTY_BATCH));
    }

    @Test
    void shouldDecodeBinaryModeAndValidateIt() {
        Map<String, String> attributes = Map.of(
                "specversion", "1.0",
                "id", "E-9",
                "source", "/pos",
                "type", "retail.inventory.received.v1",
                "subject", "inventory/SKU-1@LOC-1",
                "time", TestEvents.now(),
                "datacontenttype", "application/json; charset=utf-8");
        assertThat(reader.readBinary(attributes, utf8("{\"quantity\":4}"))
                        .event()
                        .id())
                .isEqualTo("E-9");
        RejectedEventsException e = catchThrowableOfType(
                RejectedEventsException.class, () -> reader.readBinary(attributes, utf8("{\"quantity\":-4}")));
        assertThat(e.reason()).isEqualTo(Reason.VALIDATION);
        assertThat(e.violations()).extracting(Violation::path).containsExactly("data.quantity");
    }
}
