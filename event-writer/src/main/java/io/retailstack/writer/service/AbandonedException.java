package io.retailstack.writer.service;

/** A batch's work was cut short because the batch was abandoned. */
public final class AbandonedException extends RuntimeException {
    public AbandonedException() {
        super("batch abandoned", null, false, false);
    }
}
