package io.retailstack.writer.service;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.fold.FoldStep;
import io.retailstack.events.fold.InventoryFold;
import io.retailstack.events.fold.InventoryState;
import io.retailstack.events.fold.OrderFold;
import io.retailstack.events.fold.OrderState;
import io.retailstack.events.state.StateMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the writer knows of one aggregate: its current state, the seq of its last stored event, the log position that
 * state reflects, and (for aggregates with few events) every stored event id with its seq.
 *
 * <p>Loaded from Cassandra, then replaced by the successor each planned poll leads to (see {@link #successor}); a
 * successor may run ahead of what is stored while its batch is in flight. If any batch is abandoned, every context is
 * dropped and reloaded from the store, the only truth. Confined to the consumer thread.
 */
public final class AggregateContext {

    private final AggregateKey key;
    private final Object state;
    private final long lastSeq;
    private final int sourcePartition;
    private final long sourceOffset;
    /** Every stored event id of the aggregate with its seq, or null when there are too many to keep. */
    private final Map<String, Long> ids;
    /** Loaded from the store and not yet carried through a batch: the stored state may never have been published. */
    private final boolean fresh;

    AggregateContext(
            AggregateKey key,
            Object state,
            long lastSeq,
            int sourcePartition,
            long sourceOffset,
            Map<String, Long> ids,
            boolean fresh) {
        this.key = Objects.requireNonNull(key, "key");
        this.state = Objects.requireNonNull(state, "state");
        this.lastSeq = lastSeq;
        this.sourcePartition = sourcePartition;
        this.sourceOffset = sourceOffset;
        this.ids = ids;
        this.fresh = fresh;
    }

    /** An aggregate nothing is stored for. */
    static AggregateContext empty(AggregateKey key, boolean fresh) {
        return new AggregateContext(key, initialState(key), 0, -1, -1, new HashMap<>(), fresh);
    }

    static Object initialState(AggregateKey key) {
        return key.type() == AggregateType.ORDER
                ? OrderState.initial(key.id())
                : InventoryState.initial(key.sku(), key.locationId());
    }

    static long versionOf(Object state) {
        return state instanceof OrderState o ? o.version() : ((InventoryState) state).version();
    }

    static FoldStep<?> apply(Object state, CloudEvent event) {
        return state instanceof OrderState o
                ? OrderFold.apply(o, event)
                : InventoryFold.apply((InventoryState) state, event);
    }

    static StateMessage message(Object state) {
        return state instanceof OrderState o ? StateMessage.of(o) : StateMessage.of((InventoryState) state);
    }

    public AggregateKey key() {
        return key;
    }

    public Object state() {
        return state;
    }

    public long version() {
        return versionOf(state);
    }

    public long lastSeq() {
        return lastSeq;
    }

    public int sourcePartition() {
        return sourcePartition;
    }

    public long sourceOffset() {
        return sourceOffset;
    }

    /** The stored seq of an event id when the complete index is held; null when unknown or not held. */
    Long knownSeq(String eventId) {
        return ids == null ? null : ids.get(eventId);
    }

    /** Whether every stored event id is held in memory (else the ids of each poll are looked up). */
    public boolean hasCompleteIdIndex() {
        return ids != null;
    }

    public boolean fresh() {
        return fresh;
    }

    /**
     * The context after {@code plan}, for planning the next poll before this one is stored. The id index is shared
     * and grows in place: if the plan's batch is abandoned, the whole cache is dropped, so nothing unstored survives.
     */
    AggregateContext successor(AggregatePlan plan, int idIndexLimit) {
        Map<String, Long> next = ids;
        if (next != null) {
            next.putAll(plan.newIds());
            if (next.size() > 2 * idIndexLimit) {
                next = null; // grown large: from now on look ids up per poll
            }
        }
        return new AggregateContext(
                key, plan.state(), plan.lastSeq(), plan.sourcePartition(), plan.sourceOffset(), next, false);
    }
}
