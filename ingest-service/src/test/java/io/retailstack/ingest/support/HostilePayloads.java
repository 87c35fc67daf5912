package io.retailstack.ingest.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Invalid payloads made by breaking valid events in every way a producer could: a dropped attribute, a wrong JSON type,
 * a bad value, truncation, garbage. Deterministic (fixed seed), so a failure is reproducible. None of them is a valid
 * event; each carries a name saying what was broken.
 */
public final class HostilePayloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HostilePayloads() {}

    /** One broken payload. */
    public record Payload(String name, byte[] body) {}

    public static List<Payload> generate(String idPrefix) {
        List<Payload> out = new ArrayList<>();
        List<ObjectNode> bases = List.of(
                parse(TestEvents.placed(idPrefix + "-placed", "ORD-H1")),
                parse(TestEvents.received(idPrefix + "-received", "SKU-H", "LOC-H", 5)),
                parse(("{\"specversion\":\"1.0\",\"id\":\"%s-paid\",\"source\":\"/tests/hostile\","
                                + "\"type\":\"retail.order.paid.v1\",\"subject\":\"order/ORD-H1\",\"time\":\"%s\","
                                + "\"data\":{\"amount\":25.00,\"currency\":\"EUR\",\"paymentRef\":\"PAY-1\"}}")
                        .formatted(idPrefix, TestEvents.now())));
        String[] required = {"specversion", "id", "source", "type", "subject", "time", "data"};
        for (ObjectNode base : bases) {
            String type = base.get("type").asText();
            for (String attribute : required) {
                out.add(mutate(base, "drop " + attribute + " of " + type, e -> e.remove(attribute)));
                out.add(mutate(base, "number for " + attribute + " of " + type, e -> e.put(attribute, 42)));
            }
            String[][] badValues = {
                {"id", "has space"},
                {"id", ""},
                {"id", "x".repeat(65)},
                {"id", "slash/id"},
                {"source", ""},
                {"type", "retail.order.teleported.v1"},
                {"type", ""},
                {"subject", "order/"},
                {"subject", "nonsense"},
                {"subject", "warehouse/W-1"},
                {"time", "not-a-time"},
                {"time", "2999-01-01T00:00:00Z"},
                {"time", "1999-12-31T23:59:59Z"},
                {"time", "2025-03-01T10:00:00"},
                {"specversion", "0.3"},
                {"datacontenttype", "text/xml"},
                {"Bad-Name", "x"},
                {"data_base64", "AAAA"}
            };
            for (String[] bad : badValues) {
                out.add(mutate(base, bad[0] + "='" + abbreviate(bad[1]) + "' in " + type, e -> e.put(bad[0], bad[1])));
            }
            out.add(mutate(
                    base, "object extension in " + type, e -> e.putObject("ext").put("a", 1)));
            out.add(mutate(base, "long extension in " + type, e -> e.put("ext", "e".repeat(300))));
            out.add(mutate(base, "data is a string in " + type, e -> e.put("data", "text")));
            out.add(mutate(base, "data is an array in " + type, e -> e.putArray("data")));
            out.add(mutate(base, "unknown data field in " + type, e -> ((ObjectNode) e.get("data")).put("extra", 1)));
        }
        ObjectNode placed = bases.get(0);
        Object[][] dataValues = {
            {"customerId", null},
            {"customerId", ""},
            {"channel", "FAX"},
            {"channel", 3},
            {"orderType", "GIFT"},
            {"currency", "EURO"},
            {"currency", "eur"},
            {"clientIp", "999.1.1.1"},
            {"clientIp", "evil.example.com"},
            {"fromLocationId", "LOC 9"},
            {"lines", "none"}
        };
        for (Object[] value : dataValues) {
            out.add(mutate(placed, "data." + value[0] + "=" + value[1], e -> {
                ObjectNode data = (ObjectNode) e.get("data");
                if (value[1] == null) {
                    data.remove((String) value[0]);
                } else if (value[1] instanceof Integer i) {
                    data.put((String) value[0], i);
                } else {
                    data.put((String) value[0], (String) value[1]);
                }
            }));
        }
        out.add(mutate(placed, "no lines", e -> ((ObjectNode) e.get("data")).putArray("lines")));
        Object[] quantities = {0, -5, "2", 2.5, 10_000_001, null, 1e40};
        for (Object quantity : quantities) {
            out.add(mutate(placed, "quantity=" + quantity, e -> setLine(e, "quantity", quantity)));
        }
        Object[] prices = {-1, "12", new java.math.BigDecimal("1.123456"), new java.math.BigDecimal("1e12"), null};
        for (Object price : prices) {
            out.add(mutate(placed, "unitPrice=" + price, e -> setLine(e, "unitPrice", price)));
        }
        out.add(mutate(placed, "201 lines", e -> {
            ArrayNode lines = ((ObjectNode) e.get("data")).putArray("lines");
            for (int i = 0; i < 201; i++) {
                lines.addObject().put("sku", "SKU-" + i).put("quantity", 1).put("unitPrice", 1);
            }
        }));
        out.add(mutate(placed, "null line", e -> ((ArrayNode) e.get("data").get("lines")).addNull()));

        Random random = new Random(20261122);
        for (ObjectNode base : bases) {
            byte[] full = base.toString().getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 15; i++) {
                int cut = 1 + random.nextInt(full.length - 1);
                out.add(new Payload("truncated at " + cut, java.util.Arrays.copyOf(full, cut)));
            }
        }
        for (int i = 0; i < 25; i++) {
            byte[] garbage = new byte[1 + random.nextInt(200)];
            random.nextBytes(garbage);
            out.add(new Payload("random bytes " + i, garbage));
        }
        String[] oddJson = {
            "null",
            "true",
            "123",
            "\"event\"",
            "[]",
            "{}",
            "[{}]",
            "{\"data\":{}}",
            " ",
            "{\"id\":\"a\",\"id\":\"b\"}",
            "[".repeat(5000) + "]".repeat(5000),
            "{\"specversion\":\"1.0\"} trailing",
            "\uFEFF{}",
            "1e99999999"
        };
        for (String odd : oddJson) {
            out.add(new Payload("odd JSON " + abbreviate(odd), odd.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static void setLine(ObjectNode event, String field, Object value) {
        ObjectNode line = (ObjectNode) event.get("data").get("lines").get(0);
        if (value == null) {
            line.remove(field);
        } else {
            line.set(field, JSON.valueToTree(value));
        }
    }

    private static Payload mutate(ObjectNode base, String name, Consumer<ObjectNode> change) {
        ObjectNode copy = base.deepCopy();
        change.accept(copy);
        return new Payload(name, copy.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode parse(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return (ObjectNode) node;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 20 ? text.substring(0, 17) + "..." : text;
    }
}
