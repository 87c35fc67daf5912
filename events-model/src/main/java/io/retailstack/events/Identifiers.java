package io.retailstack.events;

import java.util.regex.Pattern;

/**
 * The one identifier rule of the contract, used for event ids, order ids, SKUs, location ids and
 * customer ids.
 *
 * <p>The rule is fixed rather than configurable because identifiers become Kafka keys, Cassandra
 * partition keys and Redis keys in every service; two services disagreeing on it would split one
 * aggregate in two. The charset deliberately excludes {@code /} and {@code @}, so a subject such as
 * {@code inventory/SKU-1@LOC-9} can be split without ambiguity.
 */
public final class Identifiers {

    /** Longest identifier accepted. */
    public static final int MAX_LENGTH = 64;

    /** Human-readable statement of the rule, for error messages. */
    public static final String RULE = "1.." + MAX_LENGTH + " characters from [A-Za-z0-9._:-]";

    private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    private Identifiers() {}

    /** Whether {@code value} is a non-null identifier that follows {@link #RULE}. */
    public static boolean isValid(String value) {
        return value != null && PATTERN.matcher(value).matches();
    }
}
