package io.retailstack.events.codec;

import static io.retailstack.events.codec.EventDecodingException.Kind.INVALID_ATTRIBUTE;
import static io.retailstack.events.codec.EventDecodingException.Kind.MALFORMED_JSON;
import static io.retailstack.events.codec.EventDecodingException.Kind.MISSING_ATTRIBUTE;
import static io.retailstack.events.codec.EventDecodingException.Kind.WRONG_JSON_TYPE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import io.retailstack.events.CloudEvent;
import io.retailstack.events.EventType;
import io.retailstack.events.Extensions;
import io.retailstack.events.Fixtures;
import io.retailstack.events.data.Channel;
import io.retailstack.events.data.InventoryAdjusted;
import io.retailstack.events.data.OrderDelivered;
import io.retailstack.events.data.OrderPlaced;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventCodecTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void decodesAStructuredEvent() {
        CloudEvent event = codec.decode(Fixtures.placedJson().getBytes(UTF_8));

        assertThat(event.type()).isEqualTo(EventType.ORDER_PLACED);
        assertThat(event.time()).isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
        assertThat(event.aggregateKey().id()).isEqualTo("ORD-1");
        OrderPlaced placed = (OrderPlaced) event.data();
        assertThat(placed.channel()).isEqualTo(Channel.WEB);
        assertThat(placed.lines().get(0).unitPrice()).isEqualTo(new BigDecimal("12.50"));
        assertThat(event.extensions()).isEmpty();
    }

    @Test
    void timeWithOffsetIsReadAsTheSameInstant() {
        CloudEvent event = decode(Fixtures.placedJson().replace("2025-03-01T10:00:00Z", "2025-03-01T12:00:00+02:00"));

        assertThat(event.time()).isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
    }

    @Test
    void keepsExtensionsAndTheFraudFlag() {
        String json = Fixtures.placedJson()
                .replace(
                        "\"specversion\"",
                        "\"fraudflag\": \"blocklisted ip\", \"traceparent\": \"00-abc-01\", \"retries\": 2, \"specversion\"");

        CloudEvent event = decode(json);

        assertThat(event.extensions())
                .containsOnly(
                        entry("fraudflag", "blocklisted ip"), entry("retries", "2"), entry("traceparent", "00-abc-01"));
        assertThat(event.fraudFlagged()).isTrue();
        assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
    }

    @Test
    void fraudFlagFalseMeansNotFlagged() {
        CloudEvent event =
                codec.decode(Fixtures.placedJson().getBytes(UTF_8)).withExtension(Extensions.FRAUD_FLAG, "false");

        assertThat(event.fraudFlagged()).isFalse();
    }

    @Test
    void decodesBinaryModeWithHeaderStyleNames() {
        Map<String, String> headers = new HashMap<>();
        headers.put("SpecVersion", "1.0");
        headers.put("id", "EVT-9");
        headers.put("source", "/ingest-service/kafka");
        headers.put("type", "retail.inventory.adjusted.v1");
        headers.put("subject", "inventory/SKU-1@LOC-9");
        headers.put("time", "2025-03-01T10:00:00Z");
        headers.put("datacontenttype", "application/json; charset=utf-8");
        headers.put("fraudflag", "true");

        CloudEvent event = codec.decodeBinary(headers, "{\"delta\": -3, \"reason\": \"count\"}".getBytes(UTF_8));

        assertThat(event.data()).isEqualTo(new InventoryAdjusted(-3, "count"));
        assertThat(event.aggregateKey().sku()).isEqualTo("SKU-1");
        assertThat(event.extensions()).containsEntry("fraudflag", "true");
    }

    @Test
    void emptyDataRecordRoundTrips() {
        CloudEvent event = Fixtures.order("EVT-5", "ORD-1", 5, new OrderDelivered());

        assertThat(new String(codec.encodeData(event), UTF_8)).isEqualTo("{}");
        assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
    }

    @Test
    void encodesAttributesAsStrings() {
        CloudEvent event = Fixtures.order("EVT-1", "ORD-1", 0, Fixtures.placedData());

        assertThat(codec.binaryAttributes(event))
                .containsEntry("specversion", "1.0")
                .containsEntry("type", "retail.order.placed.v1")
                .containsEntry("subject", "order/ORD-1")
                .containsEntry("time", "2025-03-01T10:00:00Z");
        assertThat(new String(codec.encode(event), UTF_8)).contains("\"unitPrice\":12.50");
    }

    @Test
    void refusesToEncodeAnEventWithoutId() {
        CloudEvent event = Fixtures.order("EVT-1", "ORD-1", 0, Fixtures.placedData());
        CloudEvent noId = new CloudEvent(
                null,
                event.source(),
                "1.0",
                event.type(),
                event.subject(),
                event.time(),
                null,
                null,
                event.data(),
                Map.of());

        assertThatThrownBy(() -> codec.encode(noId))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id");
    }

    // ---------------------------------------------------------------- one test per error kind, with its path

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // what                        | from                              | to
                // | kind              | field
                "quantity as string            | \"quantity\": 2                   | \"quantity\": \"2\"                 | WRONG_JSON_TYPE   | data.lines[0].quantity",
                "quantity as decimal           | \"quantity\": 2                   | \"quantity\": 2.5                   | WRONG_JSON_TYPE   | data.lines[0].quantity",
                "price as string               | \"unitPrice\": 12.50              | \"unitPrice\": \"12.50\"            | WRONG_JSON_TYPE   | data.lines[0].unitPrice",
                "sku as number                 | \"sku\": \"SKU-1\"                | \"sku\": 1                          | WRONG_JSON_TYPE   | data.lines[0].sku",
                "lines as object | \"lines\": [{\"sku\": \"SKU-1\", \"quantity\": 2, \"unitPrice\": 12.50}] | \"lines\": {} | WRONG_JSON_TYPE | data.lines",
                "id as number                  | \"id\": \"EVT-1\"                 | \"id\": 1                           | WRONG_JSON_TYPE   | id",
                "extension as object           | \"specversion\"                   | \"ext\": {}, \"specversion\"        | WRONG_JSON_TYPE   | ext",
                "missing id                    | \"id\": \"EVT-1\",                |                                     | MISSING_ATTRIBUTE | id",
                "null subject                  | \"subject\": \"order/ORD-1\"      | \"subject\": null                   | MISSING_ATTRIBUTE | subject",
                "missing time                  | \"time\": \"2025-03-01T10:00:00Z\",|                                    | MISSING_ATTRIBUTE | time",
                "unknown type                  | retail.order.placed.v1            | retail.order.teleported.v1          | UNKNOWN_TYPE      | type",
                "old spec version              | \"1.0\"                           | \"0.3\"                             | INVALID_ATTRIBUTE | specversion",
                "time without offset           | 10:00:00Z                         | 10:00:00                            | INVALID_ATTRIBUTE | time",
                "xml content type              | application/json                  | application/xml                     | INVALID_ATTRIBUTE | datacontenttype",
                "upper-case extension          | \"specversion\"                   | \"Trace\": \"x\", \"specversion\"   | INVALID_ATTRIBUTE | Trace",
                "data_base64                   | \"specversion\"                   | \"data_base64\": \"AA==\", \"specversion\" | INVALID_ATTRIBUTE | data_base64",
                "missing customerId            | \"customerId\": \"CUST-1\",       |                                     | MISSING_FIELD     | data.customerId",
                "null quantity                 | \"quantity\": 2                   | \"quantity\": null                  | MISSING_FIELD     | data.lines[0].quantity",
                "null line                     | \"lines\": [                      | \"lines\": [null,                   | MISSING_FIELD     | data.lines[0]",
                "unknown data field            | \"quantity\": 2                   | \"quantity\": 2, \"color\": \"red\" | UNKNOWN_FIELD     | data.lines[0].color",
                "unknown channel               | \"WEB\"                           | \"FAX\"                             | INVALID_VALUE     | data.channel",
                "channel as number             | \"WEB\"                           | 1                                   | WRONG_JSON_TYPE   | data.channel",
                "quantity out of range         | \"quantity\": 2                   | \"quantity\": 99999999999           | INVALID_VALUE     | data.lines[0].quantity",
                "duplicate field               | \"id\": \"EVT-1\"                 | \"id\": \"EVT-1\", \"id\": \"EVT-2\"| MALFORMED_JSON    | ''",
                "syntax error                  | \"data\": {                       | \"data\": {{                        | MALFORMED_JSON    | ''",
            })
    void namesTheFieldForEachErrorKind(
            String what, String from, String to, EventDecodingException.Kind kind, String field) {
        String json = Fixtures.placedJson().replace(from, to == null ? "" : to);
        assertThat(json).as("fixture edit for " + what).isNotEqualTo(Fixtures.placedJson());

        EventDecodingException error = decodeError(json);

        assertThat(error.kind()).as(error.getMessage()).isEqualTo(kind);
        assertThat(error.field()).as(error.getMessage()).isEqualTo(field);
    }

    @Test
    void missingDataIsAMissingAttribute() {
        String json = Fixtures.placedJson();
        String withoutData = json.substring(0, json.indexOf(",\n  \"data\"")) + "}";

        EventDecodingException error = decodeError(withoutData);

        assertThat(error.kind()).isEqualTo(MISSING_ATTRIBUTE);
        assertThat(error.field()).isEqualTo("data");
    }

    @Test
    void dataMustBeAnObject() {
        String json = Fixtures.placedJson();
        String stringData = json.substring(0, json.indexOf("\"data\"")) + "\"data\": \"x\"}";

        EventDecodingException error = decodeError(stringData);

        assertThat(error.kind()).isEqualTo(WRONG_JSON_TYPE);
        assertThat(error.field()).isEqualTo("data");
    }

    @Test
    void rejectsTrailingGarbageEmptyInputAndNonObjects() {
        assertThat(decodeError(Fixtures.placedJson() + " {}").kind()).isEqualTo(MALFORMED_JSON);
        assertThat(decodeError("").kind()).isEqualTo(MALFORMED_JSON);
        EventDecodingException array = decodeError("[]");
        assertThat(array.kind()).isEqualTo(WRONG_JSON_TYPE);
        assertThat(array.field()).isEmpty();
    }

    @Test
    void batchErrorsNameTheIndex() {
        String good = Fixtures.placedJson();
        String bad = good.replace("\"quantity\": 2", "\"quantity\": \"2\"");
        String batch = "[" + good + "," + good + "," + good + "," + bad + "]";

        EventDecodingException error =
                catchThrowableOfType(EventDecodingException.class, () -> codec.decodeBatch(batch.getBytes(UTF_8)));

        assertThat(error.kind()).isEqualTo(WRONG_JSON_TYPE);
        assertThat(error.field()).isEqualTo("[3].data.lines[0].quantity");
        assertThat(error.getMessage())
                .contains("[3].data.lines[0].quantity")
                .contains("expected an integer, got a string");
    }

    @Test
    void batchMustBeAnArrayAndElementsObjects() {
        assertThat(catchThrowableOfType(EventDecodingException.class, () -> codec.decodeBatch("{}".getBytes(UTF_8)))
                        .kind())
                .isEqualTo(WRONG_JSON_TYPE);
        EventDecodingException element =
                catchThrowableOfType(EventDecodingException.class, () -> codec.decodeBatch("[1]".getBytes(UTF_8)));
        assertThat(element.field()).isEqualTo("[0]");
        assertThat(codec.decodeBatch("[]".getBytes(UTF_8))).isEqualTo(List.of());
    }

    @Test
    void binaryModeErrorsNameTheAttributeOrField() {
        Map<String, String> headers = new HashMap<>(Map.of(
                "specversion", "1.0",
                "id", "EVT-1",
                "source", "/x",
                "type", "retail.inventory.received.v1",
                "subject", "inventory/SKU-1@LOC-9",
                "time", "2025-03-01T10:00:00Z"));

        EventDecodingException emptyBody =
                catchThrowableOfType(EventDecodingException.class, () -> codec.decodeBinary(headers, new byte[0]));
        assertThat(emptyBody.kind()).isEqualTo(MISSING_ATTRIBUTE);
        assertThat(emptyBody.field()).isEqualTo("data");

        EventDecodingException badBody = catchThrowableOfType(
                EventDecodingException.class, () -> codec.decodeBinary(headers, "{\"quantity\": 2.5}".getBytes(UTF_8)));
        assertThat(badBody.field()).isEqualTo("data.quantity");
        assertThat(badBody.kind()).isEqualTo(WRONG_JSON_TYPE);

        EventDecodingException notJson = catchThrowableOfType(
                EventDecodingException.class, () -> codec.decodeBinary(headers, "{quantity".getBytes(UTF_8)));
        assertThat(notJson.kind()).isEqualTo(MALFORMED_JSON);
        assertThat(notJson.field()).isEqualTo("data");

        headers.remove("type");
        EventDecodingException noType = catchThrowableOfType(
                EventDecodingException.class, () -> codec.decodeBinary(headers, "{\"quantity\": 2}".getBytes(UTF_8)));
        assertThat(noType.kind()).isEqualTo(MISSING_ATTRIBUTE);
        assertThat(noType.field()).isEqualTo("type");

        headers.put("type", "retail.inventory.received.v1");
        headers.put("ID", "EVT-2");
        EventDecodingException twice = catchThrowableOfType(
                EventDecodingException.class, () -> codec.decodeBinary(headers, "{\"quantity\": 2}".getBytes(UTF_8)));
        assertThat(twice.kind()).isEqualTo(INVALID_ATTRIBUTE);
        assertThat(twice.field()).isEqualTo("id");
    }

    private CloudEvent decode(String json) {
        return codec.decode(json.getBytes(UTF_8));
    }

    private EventDecodingException decodeError(String json) {
        EventDecodingException error = catchThrowableOfType(EventDecodingException.class, () -> decode(json));
        assertThat(error).as("expected a decoding error for " + json).isNotNull();
        return error;
    }
}
