package io.retailstack.cache.api;

import io.retailstack.events.Identifiers;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Request parameter checks; every failure is a 400 problem. */
final class Ids {
    private Ids() {}

    static String require(String what, String value) {
        if (!Identifiers.isValid(value)) {
            throw ProblemException.badRequest(what + " must be " + Identifiers.RULE);
        }
        return value;
    }

    /** An ISO-8601 instant ({@code 2026-01-31T12:00:00Z}) or offset date-time; null if absent. */
    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e2) {
                throw ProblemException.badRequest(name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
        }
    }
}
