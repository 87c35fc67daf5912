package io.retailstack.cache;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API key, per-client rate limit and CORS allow-list, switched on by a test profile. */
@QuarkusTest
@TestProfile(ClientAccessTest.Protected.class)
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class ClientAccessTest {

    public static class Protected implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "cache.api-key.enabled", "true",
                    "cache.api-key.keys", "key-one,key-two",
                    "cache.rate-limit.enabled", "true",
                    "cache.rate-limit.requests-per-second", "0.01",
                    "cache.rate-limit.burst", "3",
                    "cache.state.enabled", "false",
                    "quarkus.http.cors.origins", "https://shop.example");
        }
    }

    private static String orderId;

    @BeforeAll
    static void order() {
        orderId = StackFixture.id("ACCESS");
        StackFixture.writeOrderState(StackFixture.order(orderId, 1));
    }

    @Test
    void shouldRejectReadsWithoutAValidApiKey() {
        given().get("/v1/orders/" + orderId)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("status", is(401));
        given().header("X-API-Key", "wrong").get("/v1/orders/" + orderId).then().statusCode(401);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void shouldAnswer429OnceAClientsBucketIsEmpty() {
        for (int i = 0; i < 3; i++) {
            given().header("X-API-Key", "key-two")
                    .get("/v1/orders/" + orderId)
                    .then()
                    .statusCode(200);
        }
        given().header("X-API-Key", "key-two")
                .get("/v1/orders/" + orderId)
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "100");
    }

    @Test
    void shouldAllowOnlyConfiguredOrigins() {
        given().header("Origin", "https://shop.example")
                .header("Access-Control-Request-Method", "GET")
                .options("/v1/orders/" + orderId)
                .then()
                .header("Access-Control-Allow-Origin", "https://shop.example");
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .options("/v1/orders/" + orderId)
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
