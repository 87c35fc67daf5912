package io.retailstack.events.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.events.fold.InventoryState;
import io.retailstack.events.fold.OrderState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * JSON form of folded state, shared by the writer (Cassandra {@code state} column, {@code retail.state} topic) and the
 * cache (Redis values, API bodies). Thread-safe; create once.
 *
 * <p>Wire shape: {@code {"aggregate":"order/ORD-1","version":3,"state":{...}}}. Instants are ISO-8601 strings and
 * money is an exact JSON number. Unknown fields are ignored on read, so a newer writer can add fields without breaking
 * older caches.
 */
public final class StateCodec {
    private final JsonMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // keep 30.00 as 30.00 through the tree model: money keeps its scale end to end
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    /** The message as JSON bytes. */
    public byte[] encode(StateMessage message) {
        ObjectNode root = mapper.createObjectNode();
        root.put("aggregate", message.aggregate().subject());
        root.put("version", message.version());
        root.set("state", mapper.valueToTree(message.order() != null ? message.order() : message.inventory()));
        try {
            return mapper.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("state is not serializable", e);
        }
    }

    /** Parses a message written by {@link #encode}; throws {@link IllegalArgumentException} on anything else. */
    public StateMessage decode(byte[] json) {
        try {
            JsonNode root = mapper.readTree(json);
            if (root == null || !root.isObject() || !root.hasNonNull("aggregate") || !root.hasNonNull("state")) {
                throw new IllegalArgumentException("not a state message: needs 'aggregate' and 'state'");
            }
            AggregateKey key = AggregateKey.fromSubject(root.get("aggregate").asText());
            JsonNode state = root.get("state");
            if (key.type() == AggregateType.ORDER) {
                return StateMessage.of(mapper.treeToValue(state, OrderState.class));
            }
            return StateMessage.of(mapper.treeToValue(state, InventoryState.class));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a state message: " + e.getMessage(), e);
        }
    }

    /** The inner state alone as JSON (the {@code state} column and API bodies). */
    public String stateJson(StateMessage message) {
        try {
            return mapper.writeValueAsString(message.order() != null ? message.order() : message.inventory());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fields of an order's state that only the back office sees, never a public API. */
    public static final List<String> PRIVATE_ORDER_FIELDS = List.of("flagged", "recentEventIds");

    /**
     * An order's state JSON ({@link #stateJson}) as a public API shows it: without {@link #PRIVATE_ORDER_FIELDS}. The
     * fraud flag would tell a fraudster the order was caught (ingest flags instead of rejecting for that reason), and
     * the recent event ids are the writer's deduplication window. Money keeps its scale.
     */
    public String publicOrderJson(String orderStateJson) {
        try {
            return publicJson(mapper.readTree(orderStateJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an order state: " + e.getOriginalMessage(), e);
        }
    }

    /** The same from the state itself, serialized once (no JSON written only to be parsed again). */
    public String publicOrderJson(OrderState state) {
        return publicJson(mapper.valueToTree(state));
    }

    private String publicJson(JsonNode state) {
        if (!(state instanceof ObjectNode o)) {
            throw new IllegalArgumentException("not an order state: " + state.getNodeType());
        }
        o.remove(PRIVATE_ORDER_FIELDS);
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public OrderState orderState(String json) {
        return read(json, OrderState.class);
    }

    public InventoryState inventoryState(String json) {
        return read(json, InventoryState.class);
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
