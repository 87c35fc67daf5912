package io.retailstack.events.fold;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** Availability across locations, computed from per-location inventory states. */
public final class Availability {

    private Availability() {}

    /** Units of {@code sku} available over all given states (states of other SKUs are skipped). */
    public static long acrossLocations(String sku, Collection<InventoryState> states) {
        return states.stream()
                .filter(state -> state.sku().equals(sku))
                .mapToLong(InventoryState::available)
                .sum();
    }

    /** Units available per SKU over all given states, sorted by SKU. */
    public static Map<String, Long> bySku(Collection<InventoryState> states) {
        Map<String, Long> totals = new TreeMap<>();
        states.forEach(state -> totals.merge(state.sku(), state.available(), Long::sum));
        return totals;
    }
}
