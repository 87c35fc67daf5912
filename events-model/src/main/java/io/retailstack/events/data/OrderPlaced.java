package io.retailstack.events.data;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An order was placed. Starts the order's life; every other order event needs it first.
 *
 * @param customerId who ordered
 * @param channel where it was ordered
 * @param orderType customer or internal order
 * @param fromLocationId the location that ships the goods (and whose stock gets reserved)
 * @param toLocationId where the goods go
 * @param clientIp IP address of the client, optional (absent for store and internal orders); ingest
 *     checks it against the blocklist
 * @param currency ISO 4217 code of every price in the lines
 * @param lines what was ordered, at least one line
 */
public record OrderPlaced(
        String customerId,
        Channel channel,
        OrderType orderType,
        String fromLocationId,
        String toLocationId,
        @JsonSetter(nulls = Nulls.SET) String clientIp,
        String currency,
        List<OrderLine> lines)
        implements OrderData {

    public OrderPlaced {
        // Unmodifiable copy that still admits nulls, so the validator can report them by index.
        lines = lines == null ? null : Collections.unmodifiableList(new ArrayList<>(lines));
    }
}
