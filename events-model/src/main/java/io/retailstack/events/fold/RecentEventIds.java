package io.retailstack.events.fold;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded window of applied event ids a state keeps for duplicate detection.
 *
 * <p>The durable guard against redelivery is the event store, which inserts by event id only once.
 * This window is the fold's own guard, so re-applying a replayed batch is harmless even without the
 * store. It is bounded so that long-lived inventory states do not grow without limit; an order
 * applies at most four events, so for orders the window holds every applied id.
 *
 * <p>Every applied event makes a new state with a new window, so appending must not copy the window:
 * copying 64 ids per event was a tenth of everything event-writer allocated. A {@link Window} is an
 * immutable view of a run of a shared array; appending writes the next free slot and returns a longer
 * view, and copies (at most the last {@code WINDOW - 1} ids) only when the array is full, or when that
 * slot was already taken by an append to the same view (a state folded twice two different ways). So an append
 * costs O(1) amortized, and no view ever sees its elements change.
 */
final class RecentEventIds {

    /** How many applied event ids a state remembers. */
    static final int WINDOW = 64;

    /**
     * Largest shared array: a full window copies its last {@code WINDOW - 1} ids once per {@code WINDOW} appends, and
     * holds at most as many ids again that no view sees any more. Arrays start small (an order's window never holds
     * more than a handful) and double up to this.
     */
    private static final int MAX_CAPACITY = 2 * WINDOW;

    private static final int MIN_CAPACITY = 8;

    private RecentEventIds() {}

    /** {@code ids} followed by {@code id}, keeping the last {@link #WINDOW}. */
    static List<String> append(List<String> ids, String id) {
        Objects.requireNonNull(id, "id");
        if (ids instanceof Window w && w.to < w.slots.ids.length && w.slots.used.compareAndSet(w.to, w.to + 1)) {
            w.slots.ids[w.to] = id;
            return new Window(w.slots, Math.max(w.from, w.to + 1 - WINDOW), w.to + 1);
        }
        int keep = Math.min(ids.size(), WINDOW - 1);
        Slots slots = new Slots(Math.min(MAX_CAPACITY, Math.max(MIN_CAPACITY, 2 * (keep + 1))));
        for (int i = 0; i < keep; i++) {
            slots.ids[i] = Objects.requireNonNull(ids.get(ids.size() - keep + i), "event id");
        }
        slots.ids[keep] = id;
        slots.used.set(keep + 1);
        return new Window(slots, 0, keep + 1);
    }

    /** The ids as an immutable list, as they are when already one (a window, or an unmodifiable copy). */
    static List<String> of(List<String> ids) {
        return ids instanceof Window ? ids : List.copyOf(ids);
    }

    /** A shared array and how many of its slots are taken. */
    private static final class Slots {
        final String[] ids;
        final AtomicInteger used = new AtomicInteger();

        Slots(int capacity) {
            ids = new String[capacity];
        }
    }

    /**
     * Slots {@code [from, to)} of a shared array: immutable, since slots below {@code used} are never written again.
     * Publishing a state to another thread happens through the consumer's own hand-offs (futures, queues), which
     * also publish the slots written before.
     */
    private static final class Window extends AbstractList<String> implements RandomAccess {
        private final Slots slots;
        private final int from;
        private final int to;

        Window(Slots slots, int from, int to) {
            this.slots = slots;
            this.from = from;
            this.to = to;
        }

        @Override
        public String get(int index) {
            Objects.checkIndex(index, to - from);
            return slots.ids[from + index];
        }

        @Override
        public int size() {
            return to - from;
        }

        /** Hash first: most ids differ from the one looked for, and a String keeps its hash once computed. */
        @Override
        public boolean contains(Object o) {
            if (!(o instanceof String s)) {
                return false;
            }
            int hash = s.hashCode();
            String[] ids = slots.ids;
            for (int i = from; i < to; i++) {
                if (ids[i].hashCode() == hash && ids[i].equals(s)) {
                    return true;
                }
            }
            return false;
        }
    }
}
