package io.retailstack.writer.persistence;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sorts Cassandra failures for the retry loop and the metrics. The writer never drops a write over any of them (no
 * DLQ for storage errors): what differs is only how long it waits before the next try and what it counts.
 *
 * <p>Cosmos DB reports throttling (HTTP 429, "Request rate is large") as an {@link OverloadedException}, and its
 * message may carry {@code RetryAfterMs=NNN}; the writer waits at least that long.
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

    private static final Pattern RETRY_AFTER = Pattern.compile("RetryAfterMs=(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final List<String> THROTTLE_MARKERS =
            List.of("request rate is large", "toomanyrequests", "too many requests", "statuscode=429", "(429)");

    private CassandraErrors() {}

    public static Cause classify(Throwable error) {
        Throwable e = unwrap(error);
        if (isThrottled(e)) {
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

    /** Whether the error (or, for an all-nodes failure, any node's error) is throttling. */
    public static boolean isThrottled(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof OverloadedException) {
            return true;
        }
        if (e instanceof AllNodesFailedException all) {
            for (List<Throwable> perNode : all.getAllErrors().values()) {
                for (Throwable t : perNode) {
                    if (isThrottled(t)) {
                        return true;
                    }
                }
            }
        }
        String message = e.getMessage();
        if (message == null) {
            return false;
        }
        String lower = message.toLowerCase(Locale.ROOT);
        return THROTTLE_MARKERS.stream().anyMatch(lower::contains);
    }

    /** The server's retry-after hint, if its message has one. */
    public static Optional<Duration> retryAfter(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e.getMessage() != null) {
                Matcher m = RETRY_AFTER.matcher(e.getMessage());
                if (m.find()) {
                    return Optional.of(Duration.ofMillis(Long.parseLong(m.group(1))));
                }
            }
            if (e.getCause() == e) {
                break;
            }
        }
        return Optional.empty();
    }

    /** The failure behind future wrappers. */
    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
