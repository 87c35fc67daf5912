package io.retailstack.writer.persistence;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import io.retailstack.events.store.Throttling;
import java.util.List;

/**
 * Sorts Cassandra failures for the retry loop, the logs, readiness and the metrics. The writer never drops a write
 * over any of them (no DLQ for storage errors): what differs is how long it waits before the next try, how loudly it
 * says so and what it counts.
 *
 * <p>Throttling is recognised as the contract's {@link Throttling} says; the writer waits at least the server's
 * {@code RetryAfterMs} hint.
 *
 * <p>{@link Cause#REJECTED} is the server refusing the request itself: a table missing (Terraform not applied yet on
 * Cosmos DB), a missing permission, bad credentials. Waiting alone will not fix it, but an operator will (apply the
 * schema, grant, rotate the secret), and the writer then goes on where it stopped. So it is still retried, never
 * dead-lettered (the events are fine; the store is not), but logged as an error that names the fix.
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
        /** Refused by the server: schema, permission or credentials. Retried, but needs an operator. */
        REJECTED,
        /** Anything else: retried all the same, visible in logs and readiness. */
        OTHER
    }

    private CassandraErrors() {}

    public static Cause classify(Throwable error) {
        Throwable e = Throttling.unwrap(error);
        if (Throttling.isThrottled(e)) {
            return Cause.THROTTLED;
        }
        if (isRejected(e)) {
            return Cause.REJECTED;
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

    /** What an operator should look at when {@code cause} is {@link Cause#REJECTED}; null for the other causes. */
    public static String operatorHint(Cause cause) {
        return cause == Cause.REJECTED
                ? "Cassandra refuses the request itself: check that the schema is applied (on Cosmos DB, terraform"
                        + " apply), the role's permissions and the credentials; the writer retries and goes on once"
                        + " it is fixed"
                : null;
    }

    /**
     * Syntax, invalid query (unconfigured table or keyspace), unauthorized, bad credentials; when no node could be
     * used, only if every node refused for one of these reasons (a mix with a node that is down is an outage).
     */
    private static boolean isRejected(Throwable e) {
        if (e instanceof QueryValidationException || e instanceof AuthenticationException) {
            return true;
        }
        if (e instanceof AllNodesFailedException all && !all.getAllErrors().isEmpty()) {
            return all.getAllErrors().values().stream().flatMap(List::stream).allMatch(CassandraErrors::isRejected);
        }
        return false;
    }
}
