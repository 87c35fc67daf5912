package io.retailstack.ingest.api;

import static org.hamcrest.Matchers.contains;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.retailstack.events.CloudEvent;
import io.retailstack.ingest.support.TestEvents;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The laptop demo switches authentication off with one property. */
@QuarkusTest
@TestProfile(AuthDisabledTest.AuthOff.class)
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class AuthDisabledTest {

    /** {@code ingest.auth.enabled=false}, as in the dev and local profiles. */
    public static class AuthOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ingest.auth.enabled", "false", "ingest.raw.enabled", "false");
        }
    }

    @Test
    void shouldAcceptEventsWithoutATokenWhenAuthIsDisabled() {
        String id = TestEvents.newId("noauth");
        RestAssured.given()
                .contentType(CloudEvent.STRUCTURED_CONTENT_TYPE)
                .body(TestEvents.placed(id, "ORD-" + id))
                .post("/v1/events")
                .then()
                .statusCode(202)
                .body("accepted", contains(id));
    }
}
