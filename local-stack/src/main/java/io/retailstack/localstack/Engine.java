package io.retailstack.localstack;

import java.util.Locale;

/** The four engines of the local stack. */
public enum Engine {
    KAFKA,
    CASSANDRA,
    POSTGRES,
    REDIS;

    /** Lower-case name used in files, stack.json and the CLI. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Engine fromId(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
