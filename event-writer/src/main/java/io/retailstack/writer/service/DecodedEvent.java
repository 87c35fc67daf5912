package io.retailstack.writer.service;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.CloudEvent;

/**
 * A record of {@code retail.events} that decoded and validated into an event.
 *
 * @param event the event
 * @param key its aggregate (the record key and the subject agree)
 * @param payload the event as structured JSON (UTF-8), as stored: the record's own bytes in structured mode
 * @param partition the record's partition
 * @param offset the record's offset
 * @param timestamp the record's timestamp (ms), the event's recording time
 */
public record DecodedEvent(
        CloudEvent event, AggregateKey key, byte[] payload, int partition, long offset, long timestamp) {}
