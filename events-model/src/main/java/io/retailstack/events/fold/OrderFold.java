package io.retailstack.events.fold;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.data.OrderCancelled;
import io.retailstack.events.data.OrderData;
import io.retailstack.events.data.OrderDelivered;
import io.retailstack.events.data.OrderLine;
import io.retailstack.events.data.OrderPaid;
import io.retailstack.events.data.OrderPlaced;
import io.retailstack.events.data.OrderShipped;
import java.math.BigDecimal;
import java.util.List;

/**
 * Folds order events into an {@link OrderState}. Pure: same state and event, same result.
 *
 * <p>Rules. An event that breaks one is <em>ignored</em>: recorded as such in the {@link FoldStep},
 * state and version unchanged. Ignoring rather than failing keeps one odd event from blocking an
 * aggregate's stream; the writer logs the reason.
 *
 * <ol>
 *   <li>An event for another aggregate (subject not {@code order/<orderId>}) is ignored.
 *   <li>An event whose id is among the state's recently applied ids is a duplicate and ignored.
 *   <li>Before {@code placed}, every other event is ignored; a second {@code placed} is ignored.
 *   <li>{@code paid} applies once, at any point after {@code placed} and before {@code cancelled}
 *       (cash on delivery pays after shipping). It sets {@code paidAt}; the status becomes PAID only
 *       from PLACED, since status never moves backwards.
 *   <li>{@code shipped} applies once, from PLACED or PAID.
 *   <li>{@code delivered} applies once, only from SHIPPED.
 *   <li>{@code cancelled} applies from PLACED, PAID or SHIPPED (a parcel can be recalled); it is ignored
 *       after DELIVERED and after a previous cancellation.
 *   <li>After CANCELLED, {@code paid}, {@code shipped} and {@code delivered} are ignored.
 * </ol>
 *
 * <p>So order matters: shipped-then-cancelled ends CANCELLED with a {@code shippedAt}, while
 * cancelled-then-shipped ends CANCELLED without one and one version lower. Every applied event
 * increments {@code version}, records its id, and sets {@code flagged} if it carries the fraud flag.
 * The fold trusts validated data (e.g. lines with prices); validate before folding.
 */
public final class OrderFold {

    private OrderFold() {}

    /** Folds {@code events}, in order, starting from {@link OrderState#initial}. */
    public static OrderState fold(String orderId, List<CloudEvent> events) {
        return fold(OrderState.initial(orderId), events);
    }

    /** Folds {@code events}, in order, starting from {@code state}, e.g. a stored snapshot. */
    public static OrderState fold(OrderState state, List<CloudEvent> events) {
        OrderState current = state;
        for (CloudEvent event : events) {
            current = apply(current, event).state();
        }
        return current;
    }

    /** Applies one event, or says why it was ignored. */
    public static FoldStep<OrderState> apply(OrderState state, CloudEvent event) {
        if (event.type() == null
                || event.type().aggregateType() != AggregateType.ORDER
                || !AggregateKey.order(state.orderId()).subject().equals(event.subject())) {
            return FoldStep.ignored(
                    state,
                    IgnoreReason.OTHER_AGGREGATE,
                    "event for " + event.subject() + ", not order " + state.orderId());
        }
        if (state.recentEventIds().contains(event.id())) {
            return FoldStep.ignored(state, IgnoreReason.DUPLICATE_EVENT, "event " + event.id() + " already applied");
        }
        OrderData data = (OrderData) event.data();
        if (data == null || (data instanceof OrderPlaced placed && !hasPricedLines(placed))) {
            return FoldStep.ignored(state, IgnoreReason.INVALID_DATA, "event has no usable data");
        }
        OrderStatus status = state.status();
        if (data instanceof OrderPlaced) {
            if (status != OrderStatus.NONE) {
                return FoldStep.ignored(state, IgnoreReason.ALREADY_PLACED, "order was placed before");
            }
        } else if (status == OrderStatus.NONE) {
            return FoldStep.ignored(state, IgnoreReason.NOT_PLACED, event.type().type() + " before placed");
        }

        OrderState.Builder next = state.toBuilder();
        if (data instanceof OrderPlaced placed) {
            next.status = OrderStatus.PLACED;
            next.customerId = placed.customerId();
            next.channel = placed.channel();
            next.orderType = placed.orderType();
            next.fromLocationId = placed.fromLocationId();
            next.toLocationId = placed.toLocationId();
            next.currency = placed.currency();
            next.lines = placed.lines();
            next.total = placed.lines().stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
            next.placedAt = event.time();
        } else if (data instanceof OrderPaid) {
            if (status == OrderStatus.CANCELLED || state.paidAt() != null) {
                return invalid(state, "paid", status == OrderStatus.CANCELLED ? "order is cancelled" : "already paid");
            }
            next.paidAt = event.time();
            if (status == OrderStatus.PLACED) {
                next.status = OrderStatus.PAID;
            }
        } else if (data instanceof OrderShipped) {
            if (status != OrderStatus.PLACED && status != OrderStatus.PAID) {
                return invalid(state, "shipped", "order is " + status);
            }
            next.status = OrderStatus.SHIPPED;
            next.shippedAt = event.time();
        } else if (data instanceof OrderDelivered) {
            if (status != OrderStatus.SHIPPED) {
                return invalid(state, "delivered", "order is " + status);
            }
            next.status = OrderStatus.DELIVERED;
            next.deliveredAt = event.time();
        } else if (data instanceof OrderCancelled) {
            if (status == OrderStatus.DELIVERED || status == OrderStatus.CANCELLED) {
                return invalid(state, "cancelled", "order is " + status);
            }
            next.status = OrderStatus.CANCELLED;
            next.cancelledAt = event.time();
        }
        next.flagged = state.flagged() || event.fraudFlagged();
        next.version = state.version() + 1;
        next.lastEventId = event.id();
        next.recentEventIds = RecentEventIds.append(state.recentEventIds(), event.id());
        return FoldStep.applied(next.build());
    }

    private static boolean hasPricedLines(OrderPlaced placed) {
        return placed.lines() != null
                && placed.lines().stream().allMatch(line -> line != null && line.unitPrice() != null);
    }

    private static FoldStep<OrderState> invalid(OrderState state, String event, String why) {
        return FoldStep.ignored(state, IgnoreReason.INVALID_TRANSITION, event + " ignored: " + why);
    }
}
