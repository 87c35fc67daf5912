package io.retailstack.writer.service;

import io.retailstack.events.fold.FoldStep;
import io.retailstack.events.fold.IgnoreReason;
import io.retailstack.events.state.StateCodec;
import io.retailstack.events.state.StateMessage;
import io.retailstack.events.store.EventBuckets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Turns one aggregate's records of one poll into an {@link AggregatePlan}. Pure and deterministic: the same stored
 * context and the same records give the same rows, whoever computes them and however the log was cut into polls.
 *
 * <p>Per record, in log order:
 *
 * <ol>
 *   <li><b>Already reflected</b>: the stored state carries the record's partition and an offset at or after it, so
 *       the record was applied before (restart, rebalance, replay from 0): skipped.
 *   <li><b>Duplicate</b>: its event id is stored with a seq at or below the current last seq: the same event delivered
 *       again at another offset: skipped, stored once. An id stored with a <em>higher</em> seq is this very record
 *       written by an earlier attempt whose state write never happened (crash between the two): it is processed again
 *       and gets that same seq, so the rewrite is identical.
 *   <li>Otherwise it gets {@code seq = lastSeq + 1} and goes through the fold. Applied or ignored, it is stored (the
 *       history is complete, {@code applied}/{@code ignore_reason} say which); only applied events change the state
 *       and its version.
 * </ol>
 *
 * <p>One state row and at most one state message per aggregate and poll, carrying the final version (per-poll
 * coalescing). A freshly loaded aggregate whose poll re-delivers records it already reflects republishes its stored
 * state: that covers a crash between the state write and its publish, and is never older than anything published,
 * since a state is published only after it is stored.
 */
public final class AggregatePlanner {

    private static final Logger LOG = Logger.getLogger(AggregatePlanner.class);

    private final StateCodec stateCodec = new StateCodec();

    /**
     * @param context the stored context
     * @param records the aggregate's records of this poll, in offset order
     * @param lookedUp stored seq of the records' event ids, when the context holds no complete id index; else empty
     */
    public AggregatePlan plan(AggregateContext context, List<DecodedEvent> records, Map<String, Long> lookedUp) {
        Object state = context.state();
        long lastSeq = context.lastSeq();
        int partition = context.sourcePartition();
        long offset = context.sourceOffset();
        long versionBefore = context.version();
        Map<String, Long> newIds = new HashMap<>();
        List<EventRow> rows = new ArrayList<>(records.size());
        Map<IgnoreReason, Integer> ignored = new EnumMap<>(IgnoreReason.class);
        long[] appliedTs = new long[records.size()];
        int applied = 0;
        int duplicates = 0;
        int replayed = 0;
        long lastTimestamp = -1;
        int shard = EventBuckets.shardOf(context.key());

        for (DecodedEvent r : records) {
            if (r.partition() == context.sourcePartition() && r.offset() <= context.sourceOffset()) {
                replayed++;
                continue;
            }
            String id = r.event().id();
            Long known = newIds.get(id);
            if (known == null) {
                known = context.knownSeq(id);
            }
            if (known == null) {
                known = lookedUp.get(id);
            }
            partition = r.partition();
            offset = r.offset();
            lastTimestamp = r.timestamp();
            if (known != null && known <= lastSeq) {
                duplicates++;
                continue;
            }
            long seq = lastSeq + 1;
            if (known != null && known != seq) {
                LOG.warnf(
                        "event %s of %s was stored at seq %d by an earlier attempt but now lands at %d; rewriting",
                        id, context.key(), known, seq);
            }
            FoldStep<?> step = AggregateContext.apply(state, r.event());
            Instant recordedAt = Instant.ofEpochMilli(r.timestamp());
            rows.add(new EventRow(
                    context.key(),
                    seq,
                    id,
                    r.event().type().type(),
                    r.event().time(),
                    recordedAt,
                    r.partition(),
                    r.offset(),
                    r.event().fraudFlagged(),
                    step.applied(),
                    step.applied() ? null : step.ignoreReason().name(),
                    r.payload(),
                    EventBuckets.bucketOf(recordedAt),
                    shard));
            newIds.put(id, seq);
            lastSeq = seq;
            if (step.applied()) {
                state = step.state();
                appliedTs[applied++] = r.timestamp();
            } else {
                ignored.merge(step.ignoreReason(), 1, Integer::sum);
                LOG.debugf("%s ignored %s (%s): %s", context.key(), id, step.ignoreReason(), step.detail());
            }
        }

        long version = AggregateContext.versionOf(state);
        boolean moved = offset != context.sourceOffset() || partition != context.sourcePartition();
        StateRow stateRow = null;
        StateMessage publish = null;
        String stateJson = null;
        if (version > 0) {
            StateMessage message = AggregateContext.message(state);
            boolean publishes = version > versionBefore || (context.fresh() && replayed > 0);
            if (moved || publishes) {
                // serialized once, for the state row and the published message alike
                stateJson = stateCodec.stateJson(message);
            }
            if (moved) {
                stateRow = new StateRow(
                        context.key(),
                        state,
                        stateJson,
                        version,
                        lastSeq,
                        partition,
                        offset,
                        Instant.ofEpochMilli(lastTimestamp));
            }
            if (publishes) {
                publish = message;
            }
        }
        return new AggregatePlan(
                context,
                rows,
                stateRow,
                publish,
                stateJson,
                java.util.Arrays.copyOf(appliedTs, applied),
                state,
                lastSeq,
                partition,
                offset,
                newIds,
                applied,
                ignored,
                duplicates,
                replayed);
    }
}
