package io.retailstack.writer.service;

import io.retailstack.events.fold.IgnoreReason;
import io.retailstack.events.state.StateMessage;
import java.util.List;
import java.util.Map;

/**
 * What one poll does to one aggregate: the event rows to append, the state row to write after them, the state to
 * publish after that, and the context the aggregate moves to once all of it succeeded. Computed by {@link
 * AggregatePlanner}, a pure function of the stored context and the records.
 *
 * @param context the aggregate before the poll
 * @param events rows to append, in seq order
 * @param stateRow the state row to write once every event row is stored; null when nothing changed
 * @param publish the state to publish once the state row is stored; null when there is nothing new to say
 * @param stateJson the state after the poll as {@code StateCodec} JSON, when there is a state row or a publish
 * @param appliedTimestamps record timestamps of the applied events whose effect {@code publish} carries (lag metric)
 * @param state the state after the poll
 * @param lastSeq seq of the last stored event after the poll
 * @param sourcePartition partition of the last record reflected
 * @param sourceOffset offset of the last record reflected
 * @param newIds ids stored by this plan, with their seq
 * @param applied events the fold applied
 * @param ignored events stored but ignored by the fold, by reason
 * @param duplicates records skipped because their event id was already stored
 * @param replayed records skipped because the stored state already reflects their offset
 */
public record AggregatePlan(
        AggregateContext context,
        List<EventRow> events,
        StateRow stateRow,
        StateMessage publish,
        String stateJson,
        long[] appliedTimestamps,
        Object state,
        long lastSeq,
        int sourcePartition,
        long sourceOffset,
        Map<String, Long> newIds,
        int applied,
        Map<IgnoreReason, Integer> ignored,
        int duplicates,
        int replayed) {}
