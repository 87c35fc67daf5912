package io.retailstack.events;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CloudEvents extension attributes: the names this contract defines, and the naming rule every
 * extension must follow. Extensions the contract does not know are kept and passed on untouched.
 */
public final class Extensions {

    /**
     * Set by ingest-service on orders from blocklisted client IPs. The value is {@code "true"} or a
     * short reason; any value except {@code "false"} means flagged. Downstream keeps flagged orders
     * out of availability and BI counts them, so the flag travels with the event instead of the
     * event being dropped at intake.
     */
    public static final String FRAUD_FLAG = "fraudflag";

    /** The CloudEvents context attributes; an extension may not reuse these names. */
    public static final Set<String> CONTEXT_ATTRIBUTES =
            Set.of("id", "source", "specversion", "type", "subject", "time", "datacontenttype", "dataschema");

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+");

    private Extensions() {}

    /**
     * Whether {@code name} may name an extension: lowercase ASCII letters and digits (the CloudEvents
     * rule) and not a context attribute or {@code data}.
     */
    public static boolean isValidName(String name) {
        return name != null
                && NAME.matcher(name).matches()
                && !CONTEXT_ATTRIBUTES.contains(name)
                && !name.equals("data");
    }

    /** Whether a {@value #FRAUD_FLAG} value means flagged: present and not {@code "false"}. */
    public static boolean isFraudFlag(String value) {
        return value != null
                && !value.isBlank()
                && !value.trim().toLowerCase(Locale.ROOT).equals("false");
    }
}
