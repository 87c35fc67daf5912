package io.retailstack.enricher.cassandra;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.retailstack.events.store.Throttling;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.RetryWhen;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * Sends one read request (a query, or one page of it) and retries it while the store throttles it, so one 429 from
 * Cosmos DB slows a run down instead of failing it. Every read of this service is idempotent.
 *
 * <p>Only throttling is retried ({@link Throttling}): anything else (a missing table, a timeout the driver already
 * retried) fails the read at once and the run fails as before, with its committed chunks kept. The backoff doubles
 * from {@code delay} up to 10 s, never shorter than the server's {@code RetryAfterMs} hint, with jitter so that the
 * shards of a parallel rebuild do not come back in step. Once {@code maxRetries} or {@code maxDuration} is spent, the
 * throttling error fails the read. Tune them per deployment with
 * {@code quarkus.fault-tolerance."io.retailstack.enricher.cassandra.ThrottleAwareRequests/execute".retry.*}.
 */
@ApplicationScoped
public class ThrottleAwareRequests {

    /** The longest wait between two tries, whatever the attempt number (a server hint can still ask for more). */
    static final long MAX_BACKOFF_MILLIS = 10_000;

    @Inject
    CassandraSessionProducer sessions;

    @Retry(maxRetries = 20, delay = 200, maxDuration = 5, durationUnit = ChronoUnit.MINUTES, jitter = 100)
    @RetryWhen(exception = IsThrottled.class)
    @CustomBackoff(ThrottleBackoff.class)
    public CompletionStage<AsyncResultSet> execute(Statement<?> statement) {
        return sessions.session().executeAsync(statement);
    }

    /** Retries throttling only. */
    public static final class IsThrottled implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable error) {
            return Throttling.isThrottled(error);
        }
    }

    /** Exponential from the configured delay, capped, and never shorter than the server's retry-after hint. */
    public static final class ThrottleBackoff implements CustomBackoffStrategy {
        private long next;

        @Override
        public void init(long initialDelayInMillis) {
            next = Math.max(1, initialDelayInMillis);
        }

        @Override
        public long nextDelayInMillis(Throwable error) {
            long delay = next;
            next = Math.min(MAX_BACKOFF_MILLIS, next * 2);
            return Math.max(
                    delay, Throttling.retryAfter(error).map(d -> d.toMillis()).orElse(0L));
        }
    }
}
