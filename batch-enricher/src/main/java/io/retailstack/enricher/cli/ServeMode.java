package io.retailstack.enricher.cli;

/** Whether the process was started with {@code serve}: only then does the schedule run enrichment. */
public final class ServeMode {
    private static volatile boolean active;

    private ServeMode() {}

    public static void activate() {
        active = true;
    }

    public static boolean isActive() {
        return active;
    }
}
