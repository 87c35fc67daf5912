package io.retailstack.writer.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.context.DriverContext;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.retry.RetryDecision;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import io.retailstack.events.store.Throttling;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Cosmos DB throttling is recognised, its retry-after hint read, and the driver hook leaves the backoff to the writer. */
class ThrottlingTest {

    private static final Node NODE = (Node) Proxy.newProxyInstance(
            ThrottlingTest.class.getClassLoader(), new Class<?>[] {Node.class}, (p, m, a) -> null);

    private static final DriverContext CONTEXT = (DriverContext) Proxy.newProxyInstance(
            ThrottlingTest.class.getClassLoader(),
            new Class<?>[] {DriverContext.class},
            (p, m, a) -> m.getName().equals("getSessionName") ? "test" : null);

    @Test
    void shouldSortThrottlingForTheRetryLoop() {
        OverloadedException overloaded = new OverloadedException(
                NODE, "Request rate is large: ActivityID=a1b2, RetryAfterMs=1250, Additional details='...'");
        assertThat(CassandraErrors.classify(new CompletionException(overloaded)))
                .isEqualTo(CassandraErrors.Cause.THROTTLED);
        assertThat(Throttling.retryAfter(overloaded)).contains(Duration.ofMillis(1250));
        assertThat(CassandraErrors.classify(new ServerError(NODE, "something else")))
                .isEqualTo(CassandraErrors.Cause.OTHER);
        assertThat(CassandraErrors.classify(NoNodeAvailableException.class.cast(new NoNodeAvailableException())))
                .isEqualTo(CassandraErrors.Cause.UNAVAILABLE);
    }

    @Test
    void shouldRethrowThrottlingAtOnceAndRetryOtherErrorsOnce() {
        ThrottlingRetryPolicy policy = new ThrottlingRetryPolicy(CONTEXT, "default");
        long before = ThrottlingRetryPolicy.THROTTLED.sum();
        assertThat(policy.onErrorResponseVerdict(null, new OverloadedException(NODE, "Request rate is large"), 0)
                        .getRetryDecision())
                .isEqualTo(RetryDecision.RETHROW);
        assertThat(ThrottlingRetryPolicy.THROTTLED.sum()).isEqualTo(before + 1);
        assertThat(policy.onErrorResponseVerdict(null, new ServerError(NODE, "boom"), 0)
                        .getRetryDecision())
                .isEqualTo(RetryDecision.RETRY_NEXT);
        assertThat(policy.onErrorResponseVerdict(null, new ServerError(NODE, "boom"), 1)
                        .getRetryDecision())
                .isEqualTo(RetryDecision.RETHROW);
        assertThat(policy.onWriteTimeoutVerdict(null, null, null, 1, 0, 0).getRetryDecision())
                .isEqualTo(RetryDecision.RETRY_SAME);
    }
}
