package io.retailstack.writer.persistence;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.context.DriverContext;
import com.datastax.oss.driver.api.core.retry.RetryDecision;
import com.datastax.oss.driver.api.core.retry.RetryPolicy;
import com.datastax.oss.driver.api.core.servererrors.CoordinatorException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import com.datastax.oss.driver.api.core.session.Request;
import io.retailstack.events.store.Throttling;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * The driver's retry hook, configured as {@code advanced.retry-policy.class}, tuned for Cosmos DB for Apache
 * Cassandra and a single-writer workload whose statements are all idempotent.
 *
 * <ul>
 *   <li><b>Throttling</b> (Cosmos DB 429 "Request rate is large", surfaced as {@code OverloadedException}): rethrown at
 *       once. Retrying immediately inside the driver only burns more request units; the writer's own retry loop waits
 *       with exponential backoff and jitter (at least the server's {@code RetryAfterMs}), holding its in-flight
 *       permit, so the whole writer slows down instead of hammering.
 *   <li>Read and write timeouts, unavailable, aborted requests and other coordinator errors: one immediate retry
 *       (next node where it helps), then the writer's loop takes over.
 * </ul>
 *
 * <p>The driver never sees a non-idempotent statement from this service, so retrying a timed-out write is safe.
 */
public class ThrottlingRetryPolicy implements RetryPolicy {

    private static final Logger LOG = Logger.getLogger(ThrottlingRetryPolicy.class);

    /** Throttled responses seen by every instance in this JVM (exposed as a metric). */
    public static final LongAdder THROTTLED = new LongAdder();

    private static final int MAX_IMMEDIATE_RETRIES = 1;

    private final String logPrefix;

    /** The signature the driver instantiates policies with. */
    public ThrottlingRetryPolicy(DriverContext context, String profileName) {
        this.logPrefix = context.getSessionName() + "|" + profileName;
    }

    @Override
    @Deprecated
    public RetryDecision onReadTimeout(
            Request request, ConsistencyLevel cl, int blockFor, int received, boolean dataPresent, int retryCount) {
        return retryCount < MAX_IMMEDIATE_RETRIES ? RetryDecision.RETRY_SAME : RetryDecision.RETHROW;
    }

    @Override
    @Deprecated
    public RetryDecision onWriteTimeout(
            Request request, ConsistencyLevel cl, WriteType writeType, int blockFor, int received, int retryCount) {
        // every write is idempotent (same rows, same USING TIMESTAMP), batches included
        return retryCount < MAX_IMMEDIATE_RETRIES ? RetryDecision.RETRY_SAME : RetryDecision.RETHROW;
    }

    @Override
    @Deprecated
    public RetryDecision onUnavailable(Request request, ConsistencyLevel cl, int required, int alive, int retryCount) {
        return retryCount < MAX_IMMEDIATE_RETRIES ? RetryDecision.RETRY_NEXT : RetryDecision.RETHROW;
    }

    @Override
    @Deprecated
    public RetryDecision onRequestAborted(Request request, Throwable error, int retryCount) {
        if (Throttling.isThrottled(error)) {
            THROTTLED.increment();
            return RetryDecision.RETHROW;
        }
        return retryCount < MAX_IMMEDIATE_RETRIES ? RetryDecision.RETRY_NEXT : RetryDecision.RETHROW;
    }

    @Override
    @Deprecated
    public RetryDecision onErrorResponse(Request request, CoordinatorException error, int retryCount) {
        if (Throttling.isThrottled(error)) {
            THROTTLED.increment();
            LOG.debugf("[%s] throttled by %s: %s", logPrefix, error.getCoordinator(), error.getMessage());
            return RetryDecision.RETHROW;
        }
        return retryCount < MAX_IMMEDIATE_RETRIES ? RetryDecision.RETRY_NEXT : RetryDecision.RETHROW;
    }

    @Override
    public void close() {
        // nothing held
    }
}
