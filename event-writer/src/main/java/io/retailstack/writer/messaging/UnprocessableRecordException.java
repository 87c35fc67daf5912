package io.retailstack.writer.messaging;

/** A record of {@code retail.events} that can never be applied, whatever the retries: it goes to the DLQ. */
public final class UnprocessableRecordException extends RuntimeException {
    public UnprocessableRecordException(String message) {
        super(message, null, false, false);
    }
}
