package io.retailstack.cache.persistence;

/** A backing store (Redis or Cassandra) could not answer in time. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
