package io.retailstack.cache;

import static io.retailstack.cache.ForwardedClientTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** From a trusted proxy (here the test client, 127.0.0.1), each forwarded client gets its own bucket. */
@QuarkusTest
@TestProfile(ForwardedClientFromTrustedProxyTest.TrustedPeer.class)
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class ForwardedClientFromTrustedProxyTest {

    public static class TrustedPeer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ForwardedClientTest.limitWithTrustedProxies("127.0.0.1/32,::1/128");
        }
    }

    @BeforeAll
    static void order() {
        ForwardedClientTest.order();
    }

    @Test
    void shouldLimitEachForwardedClientOnItsOwn() {
        assertThat(new int[] {status("198.51.100.7"), status("198.51.100.7")}).containsExactly(200, 200);
        assertThat(status("198.51.100.7")).as("that client's third request").isEqualTo(429);
        assertThat(status("198.51.100.8"))
                .as("another client behind the same proxy")
                .isEqualTo(200);
    }
}
