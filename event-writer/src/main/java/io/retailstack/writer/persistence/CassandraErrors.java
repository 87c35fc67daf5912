package io.retailstack.writer.persistence;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import io.retailstack.events.store.Throttling;

/**
 * Sorts Cassandra failures for the retry loop and the metrics. The writer never drops a write over any of them (no
 * DLQ for storage errors): what differs is only how long it waits before the next try and what it counts.
 *
 * <p>Throttling is recognised as the contract's {@link Throttling} says; the writer waits at least the server's
 * {@code RetryAfterMs} hint.
 */
public final class CassandraErrors {

    /** Why a write failed, as a low-cardinality metric tag. */
    public enum Cause {
        /** Cosmos DB 429 or a Cassandra node saying it is overloaded. */
        THROTTLED,
        /** No node reachable, node down, connection lost. */
        UNAVAILABLE,
        /** Client or server timeout. */
        TIMEOUT,
        /** Anything else (schema missing, bad request): retried all the same, visible in logs and readiness. */
        OTHER
    }

    private CassandraErrors() {}

    public static Cause classify(Throwable error) {
        Throwable e = Throttling.unwrap(error);
        if (Throttling.isThrottled(e)) {
            return Cause.THROTTLED;
        }
        if (e instanceof DriverTimeoutException
                || e instanceof com.datastax.oss.driver.api.core.servererrors.QueryConsistencyException) {
            return Cause.TIMEOUT;
        }
        if (e instanceof NoNodeAvailableException
                || e instanceof AllNodesFailedException
                || e instanceof com.datastax.oss.driver.api.core.connection.ClosedConnectionException
                || e instanceof com.datastax.oss.driver.api.core.connection.HeartbeatException
                || e instanceof com.datastax.oss.driver.api.core.servererrors.UnavailableException
                || e instanceof com.datastax.oss.driver.api.core.servererrors.BootstrappingException
                || e instanceof java.net.ConnectException) {
            return Cause.UNAVAILABLE;
        }
        return Cause.OTHER;
    }
}
