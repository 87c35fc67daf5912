package io.retailstack.generator.send;

/** The target cannot be used at all (unreachable, unauthorised, …): the run stops. */
public class TransportException extends Exception {

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
