package io.retailstack.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rate limit keys on the client IP, which behind an ingress is in X-Forwarded-For. The header is believed only
 * from a trusted proxy: here the test client (127.0.0.1) is not one, so the addresses it claims are ignored and all
 * its requests share one bucket. {@link ForwardedClientFromTrustedProxyTest} is the other side.
 */
@QuarkusTest
@TestProfile(ForwardedClientTest.UntrustedPeer.class)
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class ForwardedClientTest {

    /** Forwarded headers honoured from 10.255.255.1 only; burst of 2 per client. */
    public static class UntrustedPeer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return limitWithTrustedProxies("10.255.255.1/32");
        }
    }

    static Map<String, String> limitWithTrustedProxies(String trusted) {
        return Map.of(
                "cache.rate-limit.enabled", "true",
                "cache.rate-limit.requests-per-second", "0.01",
                "cache.rate-limit.burst", "2",
                "cache.state.enabled", "false",
                "quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.allow-x-forwarded", "true",
                "quarkus.http.proxy.trusted-proxies", trusted);
    }

    static String orderId;

    @BeforeAll
    static void order() {
        orderId = StackFixture.id("FWD");
        StackFixture.writeOrderState(StackFixture.order(orderId, 1));
    }

    static int status(String forwardedFor) {
        return given().header("X-Forwarded-For", forwardedFor)
                .get("/v1/orders/" + orderId)
                .then()
                .extract()
                .statusCode();
    }

    @Test
    void shouldIgnoreForwardedAddressesFromAnUntrustedPeer() {
        // a client that makes up a new address for every request would never run out of tokens
        assertThat(new int[] {status("198.51.100.1"), status("198.51.100.2")}).containsExactly(200, 200);
        assertThat(status("198.51.100.3"))
                .as("the third request of 127.0.0.1, whatever it claims")
                .isEqualTo(429);
    }
}
