package io.retailstack.generator.workload;

import io.retailstack.events.EventType;
import java.util.EnumSet;
import java.util.Set;

/**
 * Ways a malformed record is broken. Each one makes the record fail {@code EventCodec} decoding or
 * {@code EventValidator} validation, so ingest must dead-letter it (Kafka) or answer 4xx (HTTP).
 */
public enum Mutation {
    /** JSON cut off in the middle. */
    BROKEN_JSON("JSON text truncated", all()),
    /** A required context attribute ({@code id}, {@code source}, {@code type}, …) removed. */
    MISSING_ATTRIBUTE("required attribute removed", all()),
    /** A {@code type} outside the catalogue. */
    UNKNOWN_TYPE("type not in the catalogue", all()),
    /** {@code specversion} other than 1.0. */
    BAD_SPECVERSION("specversion is not 1.0", all()),
    /** An event time before 2000-01-01. */
    ANCIENT_TIME("time before 2000-01-01", all()),
    /** A subject naming the wrong kind of aggregate for the type. */
    SUBJECT_MISMATCH("subject names the wrong aggregate type", all()),
    /** A data field the type does not define. */
    UNKNOWN_FIELD("unknown data field added", all()),
    /** A required data field removed. */
    MISSING_FIELD(
            "required data field removed",
            EnumSet.complementOf(EnumSet.of(EventType.ORDER_SHIPPED, EventType.ORDER_DELIVERED))),
    /** A quantity of zero or less. */
    INVALID_QUANTITY("quantity zero or negative", withQuantity()),
    /** A quantity written as a JSON string. */
    QUANTITY_AS_STRING("quantity written as a string", withQuantity()),
    /** A negative unit price or amount. */
    NEGATIVE_PRICE("negative price or amount", EnumSet.of(EventType.ORDER_PLACED, EventType.ORDER_PAID)),
    /** A currency that is not an ISO 4217 code. */
    BAD_CURRENCY("currency not ISO 4217", EnumSet.of(EventType.ORDER_PLACED, EventType.ORDER_PAID)),
    /** A client IP that is not an IP literal. */
    BAD_CLIENT_IP("clientIp not an IP address", EnumSet.of(EventType.ORDER_PLACED)),
    /** An order with no lines. */
    EMPTY_LINES("order without lines", EnumSet.of(EventType.ORDER_PLACED));

    private final String description;
    private final Set<EventType> appliesTo;

    Mutation(String description, Set<EventType> appliesTo) {
        this.description = description;
        this.appliesTo = appliesTo;
    }

    /** One line for humans. */
    public String description() {
        return description;
    }

    /** Whether this mutation can be applied to an event of {@code type}. */
    public boolean appliesTo(EventType type) {
        return appliesTo.contains(type);
    }

    private static Set<EventType> all() {
        return EnumSet.allOf(EventType.class);
    }

    private static Set<EventType> withQuantity() {
        return EnumSet.of(
                EventType.ORDER_PLACED,
                EventType.INVENTORY_RECEIVED,
                EventType.INVENTORY_RESERVED,
                EventType.INVENTORY_RELEASED,
                EventType.INVENTORY_SHIPPED);
    }
}
