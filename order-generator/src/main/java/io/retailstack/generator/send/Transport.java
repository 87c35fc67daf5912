package io.retailstack.generator.send;

/**
 * Where records go. Implementations report every outcome into the {@link SendStats} they were
 * given; {@link #send} may return before the outcome is known.
 */
public interface Transport extends AutoCloseable {

    /** Checks that the target is reachable before anything is sent. */
    void checkReachable() throws TransportException;

    /** Sends (or buffers) one record, in order. */
    void send(Outgoing record) throws TransportException, InterruptedException;

    /** Called often by the sender; lets a buffering transport send a batch that has waited long enough. */
    default void poll() throws TransportException, InterruptedException {}

    /** Sends everything buffered and waits until every record's outcome is known. */
    void flush() throws TransportException, InterruptedException;

    @Override
    void close();

    /** For messages: the target, without credentials. */
    String describe();
}
