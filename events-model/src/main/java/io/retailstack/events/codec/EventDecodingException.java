package io.retailstack.events.codec;

/**
 * Input could not be decoded into an event. Always names where ({@link #field()}) and what kind of
 * problem ({@link #kind()}), so intake can answer a producer precisely instead of dropping the event.
 *
 * <p>{@code field} is a path into the input: {@code type}, {@code data.lines[0].quantity}, or with a
 * batch index in front, {@code [3].data.lines[0].quantity}. It is empty when the whole document is
 * at fault, e.g. malformed JSON.
 */
public final class EventDecodingException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** Not JSON at all: syntax error, duplicate field, trailing content, empty input. */
        MALFORMED_JSON,
        /** A value has the wrong JSON type: {@code "2"} for an integer, {@code 2.5} for an integer, … */
        WRONG_JSON_TYPE,
        /** A required CloudEvents attribute (or {@code data}) is absent or null. */
        MISSING_ATTRIBUTE,
        /**
         * An attribute is present but unusable: unsupported spec version or content type, bad time,
         * badly named extension, {@code data_base64}.
         */
        INVALID_ATTRIBUTE,
        /** The {@code type} is not in the catalogue. */
        UNKNOWN_TYPE,
        /** A required data field is absent or null. */
        MISSING_FIELD,
        /** The data has a field its record does not know. */
        UNKNOWN_FIELD,
        /** The JSON type is right but the value is not: unknown enum constant, number out of range. */
        INVALID_VALUE
    }

    private final Kind kind;
    private final String field;
    private final String reason;

    public EventDecodingException(Kind kind, String field, String reason) {
        this(kind, field, reason, null);
    }

    public EventDecodingException(Kind kind, String field, String reason, Throwable cause) {
        super((field.isEmpty() ? "" : field + ": ") + reason + " (" + kind + ")", cause);
        this.kind = kind;
        this.field = field;
        this.reason = reason;
    }

    /** The kind of problem. */
    public Kind kind() {
        return kind;
    }

    /** Path of the offending value, e.g. {@code [3].data.lines[0].quantity}; empty for the document. */
    public String field() {
        return field;
    }

    /** What is wrong with it, for people. */
    public String reason() {
        return reason;
    }
}
