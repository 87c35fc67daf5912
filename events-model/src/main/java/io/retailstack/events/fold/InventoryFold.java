package io.retailstack.events.fold;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.data.InventoryAdjusted;
import io.retailstack.events.data.InventoryData;
import io.retailstack.events.data.InventoryReceived;
import io.retailstack.events.data.InventoryReleased;
import io.retailstack.events.data.InventoryReserved;
import io.retailstack.events.data.InventoryShipped;
import java.util.List;
import java.util.Map;

/**
 * Folds inventory events into an {@link InventoryState}. Pure: same state and event, same result.
 *
 * <p>One rule covers every odd case: <b>an event that would make availability negative is ignored
 * whole, never clamped.</b> An applied event is thus always applied exactly as stated, so on-hand is
 * the exact sum of applied receipts, adjustments and shipments, and re-folding is deterministic.
 *
 * <ol>
 *   <li>An event for another aggregate (subject not {@code inventory/<sku>@<location>}) or whose id
 *       is among the recently applied ids (a duplicate) is ignored.
 *   <li>{@code received}: on-hand grows by the quantity.
 *   <li>{@code adjusted}: on-hand changes by the delta; ignored if it would leave on-hand below
 *       reserved (count shrinkage against reserved stock must release reservations first).
 *   <li>{@code reserved}: the order's reservation grows; ignored if the quantity exceeds available.
 *   <li>{@code released}: the order's reservation shrinks; ignored if it exceeds that order's
 *       reservation here.
 *   <li>{@code shipped}: consumes the order's reservation, so on-hand and reserved both shrink; ignored
 *       if it exceeds that order's reservation. Stock leaving without a reservation is an adjustment.
 *   <li>Non-positive quantities, a zero delta or a missing order id are ignored as invalid data.
 * </ol>
 */
public final class InventoryFold {

    private InventoryFold() {}

    /** Folds {@code events}, in order, starting from {@link InventoryState#initial}. */
    public static InventoryState fold(String sku, String locationId, List<CloudEvent> events) {
        return fold(InventoryState.initial(sku, locationId), events);
    }

    /** Folds {@code events}, in order, starting from {@code state}, e.g. a stored snapshot. */
    public static InventoryState fold(InventoryState state, List<CloudEvent> events) {
        InventoryState current = state;
        for (CloudEvent event : events) {
            current = apply(current, event).state();
        }
        return current;
    }

    /** Applies one event, or says why it was ignored. */
    public static FoldStep<InventoryState> apply(InventoryState state, CloudEvent event) {
        String subject = AggregateKey.inventory(state.sku(), state.locationId()).subject();
        if (event.type() == null
                || event.type().aggregateType() != AggregateType.INVENTORY
                || !subject.equals(event.subject())) {
            return FoldStep.ignored(
                    state, IgnoreReason.OTHER_AGGREGATE, "event for " + event.subject() + ", not " + subject);
        }
        if (state.recentEventIds().contains(event.id())) {
            return FoldStep.ignored(state, IgnoreReason.DUPLICATE_EVENT, "event " + event.id() + " already applied");
        }
        InventoryData data = (InventoryData) event.data();
        long onHand = state.onHand();
        long reserved = state.reserved();
        // shared with the state unless this event changes it; then copied once (two arrays)
        Map<String, Long> reservations = state.reservations();

        if (data instanceof InventoryReceived received) {
            if (received.quantity() <= 0) {
                return invalidData(state, "quantity must be positive");
            }
            onHand += received.quantity();
        } else if (data instanceof InventoryAdjusted adjusted) {
            if (adjusted.delta() == 0) {
                return invalidData(state, "delta must not be 0");
            }
            if (onHand + adjusted.delta() < reserved) {
                return FoldStep.ignored(
                        state,
                        IgnoreReason.INSUFFICIENT_ON_HAND,
                        "delta " + adjusted.delta() + " would leave " + (onHand + adjusted.delta()) + " on hand with "
                                + reserved + " reserved");
            }
            onHand += adjusted.delta();
        } else if (data instanceof InventoryReserved reservation) {
            if (reservation.quantity() <= 0 || reservation.orderId() == null) {
                return invalidData(state, "needs an order id and a positive quantity");
            }
            if (reservation.quantity() > state.available()) {
                return FoldStep.ignored(
                        state,
                        IgnoreReason.INSUFFICIENT_AVAILABLE,
                        "reserving " + reservation.quantity() + " with " + state.available() + " available");
            }
            reserved += reservation.quantity();
            reservations = Reservations.plus(reservations, reservation.orderId(), reservation.quantity());
        } else if (data instanceof InventoryReleased release) {
            Map<String, Long> after = consumeReservation(reservations, release.orderId(), release.quantity());
            if (after == null) {
                return notReserved(state, "releasing", release.orderId(), release.quantity());
            }
            reservations = after;
            reserved -= release.quantity();
        } else if (data instanceof InventoryShipped shipment) {
            Map<String, Long> after = consumeReservation(reservations, shipment.orderId(), shipment.quantity());
            if (after == null) {
                return notReserved(state, "shipping", shipment.orderId(), shipment.quantity());
            }
            reservations = after;
            reserved -= shipment.quantity();
            onHand -= shipment.quantity();
        } else {
            return invalidData(state, "event has no data");
        }
        return FoldStep.applied(new InventoryState(
                state.sku(),
                state.locationId(),
                onHand,
                reserved,
                reservations,
                state.version() + 1,
                event.id(),
                RecentEventIds.append(state.recentEventIds(), event.id())));
    }

    /** The reservations with {@code quantity} taken from the order's; null (and no copy) if it has less. */
    private static Map<String, Long> consumeReservation(Map<String, Long> reservations, String orderId, int quantity) {
        if (orderId == null || quantity <= 0) {
            return null;
        }
        long held = reservations.getOrDefault(orderId, 0L);
        if (quantity > held) {
            return null;
        }
        return Reservations.minus(reservations, orderId, quantity);
    }

    private static FoldStep<InventoryState> notReserved(
            InventoryState state, String what, String orderId, int quantity) {
        if (orderId == null || quantity <= 0) {
            return invalidData(state, "needs an order id and a positive quantity");
        }
        return FoldStep.ignored(
                state,
                IgnoreReason.INSUFFICIENT_RESERVED,
                what + " " + quantity + " for order " + orderId + " with " + state.reservedFor(orderId) + " reserved");
    }

    private static FoldStep<InventoryState> invalidData(InventoryState state, String why) {
        return FoldStep.ignored(state, IgnoreReason.INVALID_DATA, why);
    }
}
