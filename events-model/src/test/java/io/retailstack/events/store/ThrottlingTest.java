package io.retailstack.events.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Cosmos DB's and Cassandra's ways of saying "slow down" are recognised, and nothing else is. */
class ThrottlingTest {

    private static final Node NODE = (Node) Proxy.newProxyInstance(
            ThrottlingTest.class.getClassLoader(), new Class<?>[] {Node.class}, (p, m, a) -> switch (m.getName()) {
                case "hashCode" -> System.identityHashCode(p);
                case "equals" -> p == a[0];
                case "toString" -> "node1";
                default -> null;
            });

    @Test
    void shouldRecogniseCosmosThrottlingAndItsRetryAfterHint() {
        OverloadedException overloaded = new OverloadedException(
                NODE, "Request rate is large: ActivityID=a1b2, RetryAfterMs=1250, Additional details='...'");
        assertThat(Throttling.isThrottled(overloaded)).isTrue();
        assertThat(Throttling.isThrottled(new CompletionException(overloaded))).isTrue();
        assertThat(Throttling.retryAfter(new CompletionException(overloaded))).contains(Duration.ofMillis(1250));
        assertThat(Throttling.isThrottled(new ServerError(NODE, "TooManyRequests (429)")))
                .isTrue();
        assertThat(Throttling.isThrottled(AllNodesFailedException.fromErrors(
                        List.of(Map.entry(NODE, new OverloadedException(NODE, "Request rate is large"))))))
                .as("the driver's retry policy tried the next node and ran out of nodes")
                .isTrue();
    }

    @Test
    void shouldNotTakeOtherErrorsForThrottling() {
        assertThat(Throttling.isThrottled(new ServerError(NODE, "something else")))
                .isFalse();
        assertThat(Throttling.isThrottled(new InvalidQueryException(NODE, "unconfigured table events_by_bucket")))
                .isFalse();
        assertThat(Throttling.isThrottled(new IllegalStateException((String) null)))
                .isFalse();
        assertThat(Throttling.retryAfter(new ServerError(NODE, "TooManyRequests (429)")))
                .isEmpty();
    }
}
