package io.retailstack.events.fold;

import java.util.ArrayList;
import java.util.List;

/**
 * The bounded window of applied event ids a state keeps for duplicate detection.
 *
 * <p>The durable guard against redelivery is the event store, which inserts by event id only once.
 * This window is the fold's own guard, so re-applying a replayed batch is harmless even without the
 * store. It is bounded so that long-lived inventory states do not grow without limit; an order
 * applies at most four events, so for orders the window holds every applied id.
 */
final class RecentEventIds {

    /** How many applied event ids a state remembers. */
    static final int WINDOW = 64;

    private RecentEventIds() {}

    static List<String> append(List<String> ids, String id) {
        List<String> next = new ArrayList<>(ids.size() + 1);
        int from = Math.max(0, ids.size() + 1 - WINDOW);
        next.addAll(ids.subList(from, ids.size()));
        next.add(id);
        return List.copyOf(next);
    }
}
