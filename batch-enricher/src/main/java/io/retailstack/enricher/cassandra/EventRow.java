package io.retailstack.enricher.cassandra;

import java.time.Instant;

/**
 * One row of {@code events_by_bucket} (or {@code events_by_aggregate}): the event as stored, payload still JSON.
 *
 * @param shard the event-store shard of the aggregate
 * @param recordedAt when the writer stored it
 * @param eventId the CloudEvents id
 * @param aggregateType {@code order} or {@code inventory}
 * @param aggregateId order id, or {@code sku@location}
 * @param seq gapless per aggregate
 * @param eventType the CloudEvents type
 * @param payload the CloudEvent JSON (EventCodec.encode) as stored: UTF-8 bytes, never turned into a String
 */
public record EventRow(
        int shard,
        Instant recordedAt,
        String eventId,
        String aggregateType,
        String aggregateId,
        long seq,
        String eventType,
        byte[] payload) {}
