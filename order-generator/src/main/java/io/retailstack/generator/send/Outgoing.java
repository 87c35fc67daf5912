package io.retailstack.generator.send;

/**
 * One record on its way out: the Kafka key and the structured-mode JSON body.
 *
 * @param id event id (for logs); the {@code BAD-…} id for malformed records
 * @param key Kafka key: the aggregate's subject
 * @param body the bytes to send
 * @param valid false for malformed records, which the target must refuse
 */
public record Outgoing(String id, String key, byte[] body, boolean valid) {}
