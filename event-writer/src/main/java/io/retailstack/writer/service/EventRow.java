package io.retailstack.writer.service;

import io.retailstack.events.AggregateKey;
import java.time.Instant;

/**
 * One stored event: a row of {@code events_by_aggregate}, {@code event_ids_by_aggregate} and {@code
 * events_by_bucket}. Every field is a function of the Kafka record and the aggregate's log prefix, so any writer that
 * processes the same record writes the same row.
 *
 * @param key the aggregate
 * @param seq gapless position in the aggregate's history, from 1
 * @param eventId the CloudEvents id
 * @param eventType e.g. {@code retail.order.placed.v1}
 * @param eventTime the event's {@code time}
 * @param recordedAt the Kafka record's timestamp (not the wall clock: replays must write the same row)
 * @param sourcePartition partition of the record in {@code retail.events}
 * @param sourceOffset offset of the record, also the write timestamp of every row it produces
 * @param flagged whether the event carries the fraud flag
 * @param applied whether the fold applied it
 * @param ignoreReason the fold's reason when it did not, else null
 * @param payload the event as structured CloudEvents JSON, UTF-8 (bound as is: no re-encoding per table)
 * @param bucket {@code events_by_bucket} bucket of {@code recordedAt}
 * @param shard {@code events_by_bucket} shard of the aggregate
 */
public record EventRow(
        AggregateKey key,
        long seq,
        String eventId,
        String eventType,
        Instant eventTime,
        Instant recordedAt,
        int sourcePartition,
        long sourceOffset,
        boolean flagged,
        boolean applied,
        String ignoreReason,
        byte[] payload,
        String bucket,
        int shard) {

    /** Rough size in a batch, for the batch byte limit. */
    public int approximateBytes() {
        return payload.length + 200;
    }
}
