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

    /** The rule as a regular expression, for schemas and documentation; {@link #isValid} checks it directly. */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    private Identifiers() {}

    /**
     * Whether {@code value} is a non-null identifier that follows {@link #RULE}. A character loop rather than {@link
     * #PATTERN}: it runs for several fields of every event and every API read, where the regex engine showed up in
     * profiles.
     */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == ':'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
