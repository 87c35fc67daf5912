package io.retailstack.events.store;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
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
 * How the store says "slow down". Cosmos DB for Apache Cassandra reports throttling (HTTP 429, "Request rate is
 * large") as an {@link OverloadedException}, sometimes only as a server error whose message names the 429, and its
 * message may carry {@code RetryAfterMs=NNN}. Apache Cassandra uses the same exception when a node sheds load. Every
 * service that reads or writes the store waits and retries on it: event-writer's write loop, batch-enricher's reads.
 */
public final class Throttling {

    private static final Pattern RETRY_AFTER = Pattern.compile("RetryAfterMs=(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final List<String> MARKERS =
            List.of("request rate is large", "toomanyrequests", "too many requests", "statuscode=429", "(429)");

    private Throttling() {}

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
        return MARKERS.stream().anyMatch(lower::contains);
    }

    /** The server's retry-after hint, if the error's message (or a cause's) has one. */
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
