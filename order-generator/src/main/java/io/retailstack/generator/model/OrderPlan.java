package io.retailstack.generator.model;

import io.retailstack.events.data.Channel;
import io.retailstack.events.data.OrderLine;
import io.retailstack.events.data.OrderType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What the generator decided about one order before turning it into events.
 *
 * @param orderId order id
 * @param customerId customer id ({@code OPS-REPLENISHMENT} for internal transfers)
 * @param channel where it was placed
 * @param orderType customer order or internal transfer
 * @param fromLocationId the location that ships it and whose stock is reserved
 * @param toLocationId where it goes (the collecting store, or the store a transfer restocks)
 * @param clientIp the client address, null for store and internal orders
 * @param blocklisted whether {@code clientIp} is on the fraud list (ingest must flag the order)
 * @param currency ISO 4217 code
 * @param lines the lines, distinct SKUs
 * @param cashOnDelivery paid at the door: shipped before paid
 * @param fate how far its life gets
 * @param placedAt the placed event's time
 */
public record OrderPlan(
        String orderId,
        String customerId,
        Channel channel,
        OrderType orderType,
        String fromLocationId,
        String toLocationId,
        String clientIp,
        boolean blocklisted,
        String currency,
        List<OrderLine> lines,
        boolean cashOnDelivery,
        Fate fate,
        Instant placedAt) {

    public OrderPlan {
        lines = List.copyOf(lines);
    }

    /** Exact sum of quantity × unit price. */
    public BigDecimal total() {
        return lines.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
