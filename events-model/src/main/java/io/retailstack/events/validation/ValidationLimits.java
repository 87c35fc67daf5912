package io.retailstack.events.validation;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The bounds {@link EventValidator} checks against. They exist so one bad producer cannot push huge
 * orders or strings through the pipeline into every store; the defaults are generous for retail.
 *
 * <p>Identifiers are not configurable here: their rule ({@code Identifiers.RULE}) is part of the
 * key contract between services.
 *
 * @param maxLines most lines in one order
 * @param maxQuantity largest quantity (or absolute adjustment delta) in one event
 * @param maxAmount largest unit price or paid amount
 * @param maxScale most decimal places of a price or amount
 * @param maxReferenceLength longest payment reference, carrier or tracking id
 * @param maxTextLength longest free text (reasons)
 * @param maxSourceLength longest {@code source} or {@code dataschema}
 * @param maxExtensionLength longest extension value
 * @param maxFutureSkew how far in the future an event time may be, for producer clock drift
 * @param earliestTime events before this are rejected as absurd
 */
public record ValidationLimits(
        int maxLines,
        int maxQuantity,
        BigDecimal maxAmount,
        int maxScale,
        int maxReferenceLength,
        int maxTextLength,
        int maxSourceLength,
        int maxExtensionLength,
        Duration maxFutureSkew,
        Instant earliestTime) {

    public ValidationLimits {
        requirePositive(maxLines, "maxLines");
        requirePositive(maxQuantity, "maxQuantity");
        Objects.requireNonNull(maxAmount, "maxAmount");
        if (maxScale < 0) {
            throw new IllegalArgumentException("maxScale must be >= 0");
        }
        requirePositive(maxReferenceLength, "maxReferenceLength");
        requirePositive(maxTextLength, "maxTextLength");
        requirePositive(maxSourceLength, "maxSourceLength");
        requirePositive(maxExtensionLength, "maxExtensionLength");
        if (maxFutureSkew == null || maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("maxFutureSkew must be >= 0");
        }
        Objects.requireNonNull(earliestTime, "earliestTime");
    }

    /**
     * 200 lines, 1,000,000 units, amounts up to 1,000,000,000 with 4 decimals, 128-char references,
     * 500-char texts, 512-char sources, 256-char extensions, 5 minutes of clock skew, nothing before
     * 2000-01-01.
     */
    public static ValidationLimits defaults() {
        return new ValidationLimits(
                200,
                1_000_000,
                new BigDecimal("1000000000"),
                4,
                128,
                500,
                512,
                256,
                Duration.ofMinutes(5),
                Instant.parse("2000-01-01T00:00:00Z"));
    }

    /** A copy with another line limit. */
    public ValidationLimits withMaxLines(int maxLines) {
        return new ValidationLimits(
                maxLines,
                maxQuantity,
                maxAmount,
                maxScale,
                maxReferenceLength,
                maxTextLength,
                maxSourceLength,
                maxExtensionLength,
                maxFutureSkew,
                earliestTime);
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0");
        }
    }
}
