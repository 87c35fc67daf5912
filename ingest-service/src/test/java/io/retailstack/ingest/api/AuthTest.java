package io.retailstack.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.retailstack.events.CloudEvent;
import io.retailstack.ingest.auth.CachingJwtPrincipalFactory;
import io.retailstack.ingest.support.TestEvents;
import io.retailstack.ingest.support.TestTokens;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class AuthTest {

    @Inject
    MeterRegistry registry;

    private static String event() {
        return TestEvents.placed(TestEvents.newId("auth"), "ORD-1");
    }

    @Test
    void shouldAnswer401WithoutAToken() {
        RestAssured.given()
                .contentType(CloudEvent.STRUCTURED_CONTENT_TYPE)
                .body(event())
                .post("/v1/events")
                .then()
                .statusCode(401)
                .contentType(ProblemDetail.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("urn:retailstack:problem:unauthorized"))
                .body("status", equalTo(401));
    }

    @Test
    void shouldAnswer401ForATokenWithABadSignature() {
        String token = TestTokens.withRoles("ingest");
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        RestAssured.given()
                .auth()
                .oauth2(tampered)
                .contentType(CloudEvent.STRUCTURED_CONTENT_TYPE)
                .body(event())
                .post("/v1/events")
                .then()
                .statusCode(401)
                .contentType(ProblemDetail.MEDIA_TYPE);
    }

    @Test
    void shouldAnswer403WithoutTheIngestRole() {
        RestAssured.given()
                .auth()
                .oauth2(TestTokens.withRoles("reader"))
                .contentType(CloudEvent.STRUCTURED_CONTENT_TYPE)
                .body(event())
                .post("/v1/events")
                .then()
                .statusCode(403)
                .contentType(ProblemDetail.MEDIA_TYPE)
                .body("type", equalTo("urn:retailstack:problem:forbidden"));
    }

    @Test
    void shouldAccept202WithTheIngestRole() {
        TestTokens.authorized()
                .contentType(CloudEvent.STRUCTURED_CONTENT_TYPE)
                .body(event())
                .post("/v1/events")
                .then()
                .statusCode(202);
    }

    @Test
    void shouldVerifyATokenOnceAndStillRefuseItsForgeries() {
        String token = TestTokens.withRoles("ingest");
        postWith(token).then().statusCode(202); // verified, and kept
        double hits = verifiedTokenHits();
        postWith(token).then().statusCode(202);
        postWith(token).then().statusCode(202);
        assertThat(verifiedTokenHits() - hits).isEqualTo(2);

        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        postWith(forged).then().statusCode(401);
    }

    private static io.restassured.response.Response postWith(String token) {
        return RestAssured.given()
                .auth()
                .oauth2(token)
                .contentType(CloudEvent.STRUCTURED_CONTENT_TYPE)
                .body(event())
                .post("/v1/events");
    }

    private double verifiedTokenHits() {
        FunctionCounter hits = registry.find("cache.gets")
                .tag("cache", CachingJwtPrincipalFactory.CACHE_NAME)
                .tag("result", "hit")
                .functionCounter();
        assertThat(hits).as("the verified-token cache's metrics").isNotNull();
        return hits.count();
    }

    @Test
    void shouldLeaveHealthAndOpenApiOpen() {
        RestAssured.given().get("/q/health/live").then().statusCode(200);
        RestAssured.given().get("/q/openapi").then().statusCode(200);
    }
}
