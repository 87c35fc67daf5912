package io.retailstack.ingest.service;

import io.retailstack.events.validation.Violation;
import java.util.List;
import java.util.Locale;

/**
 * Input that will not be published, with everything wrong with it. The HTTP intake answers it as a problem (400 or
 * 413), the raw-topic intake sends the record to the dead-letter topic.
 */
public final class RejectedEventsException extends RuntimeException {

    /** Why, coarsely: the {@code reason} tag of the rejection metric and the kind of problem reported. */
    public enum Reason {
        MALFORMED_JSON,
        WRONG_JSON_TYPE,
        MISSING_ATTRIBUTE,
        INVALID_ATTRIBUTE,
        UNKNOWN_TYPE,
        MISSING_FIELD,
        UNKNOWN_FIELD,
        INVALID_VALUE,
        /** Decoded, but {@code EventValidator} found violations. */
        VALIDATION,
        /** Two events of one batch share an id. */
        DUPLICATE_ID,
        /** An empty batch. */
        EMPTY_BATCH,
        /** Too many events, or too many bytes. */
        TOO_LARGE;

        /** Lower-case tag value. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;
    private final List<Violation> violations;
    private final int eventCount;

    /**
     * @param reason the first (or only) reason
     * @param detail a sentence for people
     * @param violations every violation found, with paths
     * @param eventCount how many events the rejected input held (1 when unknown)
     */
    public RejectedEventsException(Reason reason, String detail, List<Violation> violations, int eventCount) {
        super(detail);
        this.reason = reason;
        this.violations = List.copyOf(violations);
        this.eventCount = eventCount;
    }

    public Reason reason() {
        return reason;
    }

    public List<Violation> violations() {
        return violations;
    }

    public int eventCount() {
        return eventCount;
    }

    /** Whether the input was refused for its size rather than its content. */
    public boolean tooLarge() {
        return reason == Reason.TOO_LARGE;
    }
}
