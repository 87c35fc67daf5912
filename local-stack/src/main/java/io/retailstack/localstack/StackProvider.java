package io.retailstack.localstack;

import java.util.Locale;

/**
 * Where the test integrations get their engines from. {@link #LOCAL} (the default) is this module's own processes;
 * {@link #TESTCONTAINERS} is an opt-in for machines that have a Docker engine and prefer containers.
 *
 * <p>Chosen by the system property {@code retail.stack.provider}, else the environment variable
 * {@code RETAIL_STACK_PROVIDER}.
 */
public enum StackProvider {
    LOCAL,
    TESTCONTAINERS;

    public static final String PROPERTY = "retail.stack.provider";

    public static StackProvider fromEnvironment() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv("RETAIL_STACK_PROVIDER");
        }
        return parse(value);
    }

    static StackProvider parse(String value) {
        if (value == null || value.isBlank()) {
            return LOCAL;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    PROPERTY + "=" + value + " is not a provider: use 'local' (default) or 'testcontainers'", e);
        }
    }
}
