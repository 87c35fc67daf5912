package io.retailstack.enricher.service;

import com.datastax.oss.driver.shaded.guava.common.net.InetAddresses;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.data.InventoryAdjusted;
import io.retailstack.events.data.InventoryData;
import io.retailstack.events.data.InventoryReceived;
import io.retailstack.events.data.InventoryReleased;
import io.retailstack.events.data.InventoryReserved;
import io.retailstack.events.data.InventoryShipped;
import io.retailstack.events.data.OrderLine;
import io.retailstack.events.data.OrderPlaced;
import io.retailstack.events.fold.FoldStep;
import io.retailstack.events.fold.OrderFold;
import io.retailstack.events.fold.OrderState;
import io.retailstack.events.fold.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The rows the enricher writes, built from folded orders and recorded inventory events. Pure. */
public final class FactRows {

    private static final String INVENTORY_PREFIX = "inventory/";

    private FactRows() {}

    /** One bi.fact_order row (enriched_at aside). */
    public record OrderRow(
            String orderId,
            int srcShard,
            String status,
            String customerId,
            String channel,
            String orderType,
            String currency,
            String fromLocationId,
            String toLocationId,
            int fromLocationKey,
            int toLocationKey,
            int placedDateKey,
            int lineCount,
            int units,
            BigDecimal total,
            Instant placedAt,
            Instant paidAt,
            Instant shippedAt,
            Instant deliveredAt,
            Instant cancelledAt,
            String clientIp,
            boolean ipBlocklisted,
            boolean flagged,
            long version,
            long lastSeq,
            String lastEventId) {}

    /** One bi.fact_order_line row (enriched_at aside). */
    public record LineRow(
            String orderId,
            int lineNo,
            int srcShard,
            String sku,
            int productKey,
            int fromLocationKey,
            int toLocationKey,
            int placedDateKey,
            String currency,
            int quantity,
            BigDecimal unitPrice,
            BigDecimal lineTotal,
            BigDecimal listPrice,
            Instant placedAt) {}

    /** One bi.fact_inventory_movement row (enriched_at aside). */
    public record MovementRow(
            String eventId,
            int srcShard,
            String sku,
            String locationId,
            int productKey,
            int locationKey,
            int dateKey,
            String movementType,
            int quantity,
            int onHandDelta,
            int reservedDelta,
            String orderId,
            String reason,
            Instant eventTime,
            Instant recordedAt,
            long seq) {}

    /** A folded order: its state and the client IP of the placed event that started it (not part of the state). */
    public record FoldedOrder(OrderState state, String clientIp, long lastSeq) {}

    /**
     * Folds one order's events (in seq order) with the contract's {@link OrderFold}, remembering the client IP of the
     * placed event that was applied.
     */
    public static FoldedOrder fold(String orderId, List<CloudEvent> eventsBySeq, long lastSeq) {
        OrderState state = OrderState.initial(orderId);
        String clientIp = null;
        for (CloudEvent event : eventsBySeq) {
            FoldStep<OrderState> step = OrderFold.apply(state, event);
            if (step.applied() && event.data() instanceof OrderPlaced placed) {
                clientIp = placed.clientIp();
            }
            state = step.state();
        }
        return new FoldedOrder(state, clientIp, lastSeq);
    }

    /**
     * Folds events that follow a stored fact onto the state rebuilt from it ({@link #snapshot}); the same result as
     * folding the whole history, as long as the events continue the history without a gap (the caller checks).
     */
    public static FoldedOrder foldOnto(FoldedOrder stored, List<CloudEvent> newEventsBySeq, long lastSeq) {
        OrderState state = stored.state();
        String clientIp = stored.clientIp();
        for (CloudEvent event : newEventsBySeq) {
            FoldStep<OrderState> step = OrderFold.apply(state, event);
            if (step.applied() && event.data() instanceof OrderPlaced placed) {
                clientIp = placed.clientIp();
            }
            state = step.state();
        }
        return new FoldedOrder(state, clientIp, lastSeq);
    }

    /**
     * The fold state a stored fact row stands for. Everything the fold keeps is in the row and its lines, except the
     * window of recent event ids, of which only the last is kept: enough, since the event store stores an id once
     * and a merge only ever adds events with higher seqs.
     */
    public static FoldedOrder snapshot(
            String orderId,
            String status,
            String customerId,
            String channel,
            String orderType,
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
            String clientIp,
            long lastSeq) {
        OrderState state = new OrderState(
                orderId,
                OrderStatus.valueOf(status),
                customerId,
                channel == null ? null : io.retailstack.events.data.Channel.valueOf(channel),
                orderType == null ? null : io.retailstack.events.data.OrderType.valueOf(orderType),
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
                lastEventId == null ? List.of() : List.of(lastEventId));
        return new FoldedOrder(state, clientIp, lastSeq);
    }

    /** The fact row of a folded order; null if it was never placed (nothing to report yet). */
    public static OrderRow orderRow(FoldedOrder folded, int srcShard, Dimensions dims) {
        OrderState s = folded.state();
        if (s.status() == OrderStatus.NONE) {
            return null;
        }
        int units = s.lines().stream().mapToInt(OrderLine::quantity).sum();
        String ip = validIp(folded.clientIp());
        return new OrderRow(
                s.orderId(),
                srcShard,
                s.status().name(),
                s.customerId(),
                s.channel() == null ? null : s.channel().name(),
                s.orderType() == null ? null : s.orderType().name(),
                s.currency(),
                s.fromLocationId(),
                s.toLocationId(),
                dims.location(s.fromLocationId()),
                dims.location(s.toLocationId()),
                dateKey(s.placedAt()),
                s.lines().size(),
                units,
                s.total(),
                s.placedAt(),
                s.paidAt(),
                s.shippedAt(),
                s.deliveredAt(),
                s.cancelledAt(),
                ip,
                dims.blocklisted(ip),
                s.flagged(),
                s.version(),
                folded.lastSeq(),
                s.lastEventId());
    }

    public static List<LineRow> lineRows(OrderRow order, OrderState state, Dimensions dims) {
        List<LineRow> rows = new ArrayList<>(state.lines().size());
        int lineNo = 1;
        for (OrderLine line : state.lines()) {
            Dimensions.Product product = dims.product(line.sku());
            rows.add(new LineRow(
                    order.orderId(),
                    lineNo++,
                    order.srcShard(),
                    line.sku(),
                    product.key(),
                    order.fromLocationKey(),
                    order.toLocationKey(),
                    order.placedDateKey(),
                    order.currency(),
                    line.quantity(),
                    line.unitPrice(),
                    line.lineTotal(),
                    product.listPrice(),
                    order.placedAt()));
        }
        return rows;
    }

    /** The movement row of one inventory event, as recorded (whether the stock fold applied it or not). */
    public static MovementRow movementRow(
            CloudEvent event, int srcShard, Instant recordedAt, long seq, Dimensions dims) {
        // sku and location from the subject (inventory/<sku>@<location>); the ids were validated by ingest, so the
        // contract's AggregateKey (a regex per id) is only needed for anything else, where it throws as before
        String subject = event.subject();
        String sku;
        String locationId;
        int at = subject == null ? -1 : subject.indexOf('@');
        if (at > INVENTORY_PREFIX.length()
                && at < subject.length() - 1
                && subject.startsWith(INVENTORY_PREFIX)
                && subject.indexOf('@', at + 1) < 0) {
            sku = subject.substring(INVENTORY_PREFIX.length(), at);
            locationId = subject.substring(at + 1);
        } else {
            AggregateKey key = event.aggregateKey();
            sku = key.sku();
            locationId = key.locationId();
        }
        InventoryData data = (InventoryData) event.data();
        String type;
        int quantity;
        int onHand;
        int reserved;
        String orderId = null;
        String reason = null;
        if (data instanceof InventoryReceived d) {
            type = "RECEIVED";
            quantity = d.quantity();
            onHand = d.quantity();
            reserved = 0;
        } else if (data instanceof InventoryAdjusted d) {
            type = "ADJUSTED";
            quantity = d.delta();
            onHand = d.delta();
            reserved = 0;
            reason = d.reason();
        } else if (data instanceof InventoryReserved d) {
            type = "RESERVED";
            quantity = d.quantity();
            onHand = 0;
            reserved = d.quantity();
            orderId = d.orderId();
        } else if (data instanceof InventoryReleased d) {
            type = "RELEASED";
            quantity = d.quantity();
            onHand = 0;
            reserved = -d.quantity();
            orderId = d.orderId();
        } else if (data instanceof InventoryShipped d) {
            type = "SHIPPED";
            quantity = d.quantity();
            onHand = -d.quantity();
            reserved = -d.quantity();
            orderId = d.orderId();
        } else {
            throw new IllegalArgumentException("not an inventory event: " + event.type());
        }
        return new MovementRow(
                event.id(),
                srcShard,
                sku,
                locationId,
                dims.product(sku).key(),
                dims.location(locationId),
                dateKey(event.time()),
                type,
                quantity,
                onHand,
                reserved,
                orderId,
                reason,
                event.time(),
                recordedAt,
                seq);
    }

    /**
     * Whether an order's contribution to the hourly series (its group: hour of placement and destination; units,
     * total, cancelled or not, flagged) differs between the state a fact row stood for and the new row. A merge that
     * only moves an order from PAID to SHIPPED changes none of them, so its group needs no recompute.
     */
    public static boolean hourlyFiguresDiffer(FoldedOrder before, OrderRow after) {
        OrderState s = before.state();
        if (s.status() == OrderStatus.NONE) {
            return true; // it counted nowhere
        }
        int units = s.lines().stream().mapToInt(OrderLine::quantity).sum();
        boolean wasCancelled = s.status() == OrderStatus.CANCELLED;
        boolean isCancelled = OrderStatus.CANCELLED.name().equals(after.status());
        return wasCancelled != isCancelled
                || units != after.units()
                || s.flagged() != after.flagged()
                || !java.util.Objects.equals(s.placedAt(), after.placedAt())
                || !java.util.Objects.equals(s.toLocationId(), after.toLocationId())
                || (s.total() == null
                        ? after.total() != null
                        : after.total() == null || s.total().compareTo(after.total()) != 0);
    }

    /** yyyymmdd of the UTC date, or -1 (the unknown date) outside the date dimension's 2000..2040. */
    public static int dateKey(Instant time) {
        if (time == null) {
            return -1;
        }
        LocalDate d = LocalDate.ofInstant(time, ZoneOffset.UTC);
        if (d.getYear() < 2000 || d.getYear() > 2040) {
            return -1;
        }
        return d.getYear() * 10000 + d.getMonthValue() * 100 + d.getDayOfMonth();
    }

    private static String validIp(String ip) {
        return ip != null && InetAddresses.isInetAddress(ip) ? ip : null;
    }
}
