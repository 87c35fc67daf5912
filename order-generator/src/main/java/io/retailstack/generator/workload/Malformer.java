package io.retailstack.generator.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** Turns a valid event into a malformed record with one {@link Mutation}. Pure given the random source. */
final class Malformer {

    private static final List<String> REQUIRED_ATTRIBUTES = List.of("id", "source", "type", "subject", "time");

    private final EventCodec codec;
    private final JsonMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    Malformer(EventCodec codec) {
        this.codec = codec;
    }

    WorkloadRecord.Malformed mutate(CloudEvent base, String newId, Mutation mutation, Random random) {
        if (!mutation.appliesTo(base.type())) {
            throw new IllegalArgumentException(mutation + " does not apply to " + base.type());
        }
        CloudEvent renamed = new CloudEvent(
                newId,
                base.source(),
                base.specversion(),
                base.type(),
                base.subject(),
                base.time(),
                base.datacontenttype(),
                base.dataschema(),
                base.data(),
                base.extensions());
        byte[] json = codec.encode(renamed);
        byte[] body;
        if (mutation == Mutation.BROKEN_JSON) {
            String text = new String(json, StandardCharsets.UTF_8);
            int cut = text.length() / 4 + random.nextInt(Math.max(1, text.length() / 2));
            body = text.substring(0, cut).getBytes(StandardCharsets.UTF_8);
        } else {
            ObjectNode node = read(json);
            apply(node, mutation, base, random);
            body = write(node);
        }
        return new WorkloadRecord.Malformed(newId, base.aggregateKey().kafkaKey(), body, mutation, base.id());
    }

    private void apply(ObjectNode event, Mutation mutation, CloudEvent base, Random random) {
        ObjectNode data = (ObjectNode) event.get("data");
        switch (mutation) {
            case MISSING_ATTRIBUTE -> event.remove(REQUIRED_ATTRIBUTES.get(random.nextInt(REQUIRED_ATTRIBUTES.size())));
            case UNKNOWN_TYPE ->
                event.put(
                        "type", base.type().type().replace(".v1", "").replaceFirst("\\.[a-z]+$", ".refunded") + ".v1");
            case BAD_SPECVERSION -> event.put("specversion", "0.3");
            case ANCIENT_TIME -> event.put("time", "1999-12-31T23:59:59Z");
            case SUBJECT_MISMATCH ->
                event.put(
                        "subject",
                        base.subject().startsWith("order/")
                                ? "inventory/UNKNOWN-SKU@UNKNOWN-LOC"
                                : "order/" + base.id());
            case UNKNOWN_FIELD -> data.put("discountCode", "WINTER" + (5 + random.nextInt(20)));
            case MISSING_FIELD -> data.remove(data.fieldNames().next());
            case INVALID_QUANTITY -> {
                ObjectNode holder = quantityHolder(data);
                holder.put("quantity", -random.nextInt(3));
            }
            case QUANTITY_AS_STRING -> {
                ObjectNode holder = quantityHolder(data);
                holder.put("quantity", holder.get("quantity").asText());
            }
            case NEGATIVE_PRICE -> {
                if (data.has("lines")) {
                    ObjectNode line = (ObjectNode) data.get("lines").get(0);
                    line.put(
                            "unitPrice",
                            line.get("unitPrice").decimalValue().negate().subtract(java.math.BigDecimal.ONE));
                } else {
                    data.put(
                            "amount", data.get("amount").decimalValue().negate().subtract(java.math.BigDecimal.ONE));
                }
            }
            case BAD_CURRENCY -> data.put("currency", random.nextBoolean() ? "EURO" : "usd");
            case BAD_CLIENT_IP -> data.put("clientIp", random.nextBoolean() ? "999.12.0.1" : "client.example.com");
            case EMPTY_LINES -> data.set("lines", mapper.createArrayNode());
            case BROKEN_JSON -> throw new IllegalStateException("handled on the bytes");
        }
    }

    private static ObjectNode quantityHolder(ObjectNode data) {
        if (data.has("lines")) {
            ArrayNode lines = (ArrayNode) data.get("lines");
            return (ObjectNode) lines.get(0);
        }
        return data;
    }

    private ObjectNode read(byte[] json) {
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] write(ObjectNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
