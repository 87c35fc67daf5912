package io.retailstack.ingest.service;

import io.retailstack.events.CloudEvent;

/**
 * A valid event as read, with its structured-mode JSON exactly as the producer sent it.
 *
 * <p>Ingest publishes those bytes as they are whenever it does not change the event (it changes only orders it flags
 * as fraud): the contract's codec decodes them to the very same event, and skipping the re-encoding saves about a
 * quarter of the per-event cost of intake (IngestBenchmark).
 *
 * @param event the decoded, validated event
 * @param structuredJson the event's JSON object as received; null in binary mode, where there is no such object
 */
public record ReceivedEvent(CloudEvent event, byte[] structuredJson) {}
