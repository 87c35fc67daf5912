package io.retailstack.events.fold;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The current stock of one SKU at one location, as folded by {@link InventoryFold}. Immutable.
 *
 * <p>Invariant kept by the fold: {@code 0 <= reserved <= onHand}, so {@link #available()} is never
 * negative, and {@code reserved} is the sum of {@code reservations}.
 *
 * @param sku the article
 * @param locationId the location
 * @param onHand units physically at the location
 * @param reserved units set aside for orders, still on hand
 * @param reservations reserved units per order id; orders with nothing reserved are absent
 * @param version number of applied events; ignored events do not count
 * @param lastEventId id of the last applied event, or null
 * @param recentEventIds ids of the last applied events, oldest first, for duplicate detection
 */
public record InventoryState(
        String sku,
        String locationId,
        long onHand,
        long reserved,
        Map<String, Long> reservations,
        long version,
        String lastEventId,
        List<String> recentEventIds) {

    public InventoryState {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(locationId, "locationId");
        // immutable and sorted; not copied again when the fold built it (see Reservations)
        reservations = Reservations.of(reservations);
        recentEventIds = RecentEventIds.of(recentEventIds); // not copied again when the fold built it
    }

    /** Nothing on hand, nothing reserved, version 0. */
    public static InventoryState initial(String sku, String locationId) {
        return new InventoryState(sku, locationId, 0, 0, Map.of(), 0, null, List.of());
    }

    /** Units that can still be promised: {@code onHand - reserved}, never negative. */
    public long available() {
        return onHand - reserved;
    }

    /** Units reserved here for {@code orderId}. */
    public long reservedFor(String orderId) {
        return reservations.getOrDefault(orderId, 0L);
    }
}
