package io.retailstack.writer.service;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.fold.InventoryState;
import io.retailstack.events.fold.OrderState;
import java.time.Instant;

/**
 * A row of {@code order_state_by_aggregate} or {@code inventory_state}: the fold of the aggregate's stored events up to {@code
 * lastSeq}, reflecting the log up to {@code sourceOffset}. Written with {@code USING TIMESTAMP sourceOffset}, so a late
 * write of an older state (a zombie writer) can never replace a newer one.
 *
 * @param key the aggregate
 * @param state an {@link OrderState} or an {@link InventoryState}
 * @param stateJson {@code state} as StateCodec JSON
 * @param version the state's version (applied events)
 * @param lastSeq seq of the last stored event (applied or not)
 * @param sourcePartition partition of the last record reflected
 * @param sourceOffset offset of the last record reflected
 * @param updatedAt timestamp of that record
 */
public record StateRow(
        AggregateKey key,
        Object state,
        String stateJson,
        long version,
        long lastSeq,
        int sourcePartition,
        long sourceOffset,
        Instant updatedAt) {}
