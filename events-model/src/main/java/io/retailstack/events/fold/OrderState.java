package io.retailstack.events.fold;

import io.retailstack.events.data.Channel;
import io.retailstack.events.data.OrderLine;
import io.retailstack.events.data.OrderType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The current state of one order, as folded from its events by {@link OrderFold}. Immutable.
 *
 * @param orderId the order
 * @param status where the order is in its life
 * @param customerId from {@code placed}
 * @param channel from {@code placed}
 * @param orderType from {@code placed}
 * @param fromLocationId from {@code placed}
 * @param toLocationId from {@code placed}
 * @param currency from {@code placed}; the currency of {@code total}
 * @param lines from {@code placed}
 * @param total sum of quantity × unit price over the lines, exact
 * @param placedAt event time of {@code placed}
 * @param paidAt event time of {@code paid}, or null
 * @param shippedAt event time of {@code shipped}, or null
 * @param deliveredAt event time of {@code delivered}, or null
 * @param cancelledAt event time of {@code cancelled}, or null
 * @param flagged whether any applied event carried the {@code fraudflag} extension
 * @param version number of applied events; ignored events do not count
 * @param lastEventId id of the last applied event, or null
 * @param recentEventIds ids of the last applied events, oldest first, for duplicate detection
 */
public record OrderState(
        String orderId,
        OrderStatus status,
        String customerId,
        Channel channel,
        OrderType orderType,
        String fromLocationId,
        String toLocationId,
        String currency,
        List<OrderLine> lines,
        BigDecimal total,
        Instant placedAt,
        Instant paidAt,
        Instant shippedAt,
        Instant deliveredAt,
        Instant cancelledAt,
        boolean flagged,
        long version,
        String lastEventId,
        List<String> recentEventIds) {

    public OrderState {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(status, "status");
        lines = List.copyOf(lines);
        recentEventIds = RecentEventIds.of(recentEventIds); // not copied again when the fold built it
    }

    /** The state of an order nothing is known about yet: status {@link OrderStatus#NONE}, version 0. */
    public static OrderState initial(String orderId) {
        return new OrderState(
                orderId,
                OrderStatus.NONE,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                BigDecimal.ZERO,
                null,
                null,
                null,
                null,
                null,
                false,
                0,
                null,
                List.of());
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable copy used by the fold to change a few fields without repeating all nineteen. */
    static final class Builder {
        String orderId;
        OrderStatus status;
        String customerId;
        Channel channel;
        OrderType orderType;
        String fromLocationId;
        String toLocationId;
        String currency;
        List<OrderLine> lines;
        BigDecimal total;
        Instant placedAt;
        Instant paidAt;
        Instant shippedAt;
        Instant deliveredAt;
        Instant cancelledAt;
        boolean flagged;
        long version;
        String lastEventId;
        List<String> recentEventIds;

        private Builder(OrderState s) {
            orderId = s.orderId;
            status = s.status;
            customerId = s.customerId;
            channel = s.channel;
            orderType = s.orderType;
            fromLocationId = s.fromLocationId;
            toLocationId = s.toLocationId;
            currency = s.currency;
            lines = s.lines;
            total = s.total;
            placedAt = s.placedAt;
            paidAt = s.paidAt;
            shippedAt = s.shippedAt;
            deliveredAt = s.deliveredAt;
            cancelledAt = s.cancelledAt;
            flagged = s.flagged;
            version = s.version;
            lastEventId = s.lastEventId;
            recentEventIds = s.recentEventIds;
        }

        OrderState build() {
            return new OrderState(
                    orderId,
                    status,
                    customerId,
                    channel,
                    orderType,
                    fromLocationId,
                    toLocationId,
                    currency,
                    lines,
                    total,
                    placedAt,
                    paidAt,
                    shippedAt,
                    deliveredAt,
                    cancelledAt,
                    flagged,
                    version,
                    lastEventId,
                    recentEventIds);
        }
    }
}
