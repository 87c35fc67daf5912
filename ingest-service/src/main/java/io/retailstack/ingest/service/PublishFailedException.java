package io.retailstack.ingest.service;

/**
 * The broker did not acknowledge every record in time. Nothing of the request is reported accepted; the client retries
 * (records that did reach the log before the failure become duplicates, absorbed downstream by event id).
 */
public final class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
