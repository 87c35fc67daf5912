package io.retailstack.writer.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.context.DriverContext;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.retry.RetryDecision;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.datastax.oss.driver.internal.core.metadata.DefaultEndPoint;
import io.retailstack.events.store.Throttling;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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
    void shouldSortRefusedRequestsAsNeedingAnOperator() {
        assertThat(CassandraErrors.classify(
                        new CompletionException(new InvalidQueryException(NODE, "unconfigured table order_state"))))
                .isEqualTo(CassandraErrors.Cause.REJECTED);
        assertThat(CassandraErrors.classify(new UnauthorizedException(NODE, "User writer has no MODIFY permission")))
                .isEqualTo(CassandraErrors.Cause.REJECTED);
        AuthenticationException badPassword = new AuthenticationException(
                new DefaultEndPoint(new InetSocketAddress("10.0.0.1", 10350)), "Provided password is incorrect");
        assertThat(CassandraErrors.classify(AllNodesFailedException.fromErrors(Map.of(node(), badPassword))))
                .isEqualTo(CassandraErrors.Cause.REJECTED);
        assertThat(CassandraErrors.operatorHint(CassandraErrors.Cause.REJECTED)).contains("schema");
        // one node refusing and another one down is an outage, not something only an operator can fix
        Map<Node, Throwable> mixed = new HashMap<>();
        mixed.put(node(), badPassword);
        mixed.put(node(), new java.net.ConnectException("Connection refused"));
        assertThat(CassandraErrors.classify(AllNodesFailedException.fromErrors(mixed)))
                .isNotEqualTo(CassandraErrors.Cause.REJECTED);
        assertThat(CassandraErrors.operatorHint(CassandraErrors.Cause.UNAVAILABLE))
                .isNull();
    }

    /** A node usable as a map key (the errors of an {@link AllNodesFailedException} are by node). */
    private static Node node() {
        return (Node) Proxy.newProxyInstance(
                ThrottlingTest.class.getClassLoader(), new Class<?>[] {Node.class}, (p, m, a) -> switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    case "toString" -> "node";
                    default -> null;
                });
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
