package io.retailstack.events;

import io.retailstack.events.data.Channel;
import io.retailstack.events.data.EventData;
import io.retailstack.events.data.OrderLine;
import io.retailstack.events.data.OrderPlaced;
import io.retailstack.events.data.OrderType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Hand-written events for example-based tests. */
public final class Fixtures {

    public static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    public static final String SOURCE = "/ingest-service/http";

    private Fixtures() {}

    public static OrderPlaced placedData() {
        return new OrderPlaced(
                "CUST-1",
                Channel.WEB,
                OrderType.EXTERNAL,
                "LOC-9",
                "ADDR-1",
                "203.0.113.7",
                "EUR",
                List.of(
                        new OrderLine("SKU-1", 2, new BigDecimal("12.50")),
                        new OrderLine("SKU-2", 1, new BigDecimal("5.00"))));
    }

    public static CloudEvent order(String eventId, String orderId, int minutes, EventData data) {
        return CloudEvent.of(eventId, SOURCE, AggregateKey.order(orderId), T0.plusSeconds(60L * minutes), data);
    }

    public static CloudEvent inventory(String eventId, String sku, String location, EventData data) {
        return CloudEvent.of(eventId, SOURCE, AggregateKey.inventory(sku, location), T0, data);
    }

    /** A valid structured order-placed event as JSON, for tests that break it on purpose. */
    public static String placedJson() {
        return """
                {
                  "specversion": "1.0",
                  "id": "EVT-1",
                  "source": "/ingest-service/http",
                  "type": "retail.order.placed.v1",
                  "subject": "order/ORD-1",
                  "time": "2025-03-01T10:00:00Z",
                  "datacontenttype": "application/json",
                  "data": {
                    "customerId": "CUST-1",
                    "channel": "WEB",
                    "orderType": "EXTERNAL",
                    "fromLocationId": "LOC-9",
                    "toLocationId": "ADDR-1",
                    "clientIp": "203.0.113.7",
                    "currency": "EUR",
                    "lines": [{"sku": "SKU-1", "quantity": 2, "unitPrice": 12.50}]
                  }
                }
                """;
    }
}
