package io.retailstack.ingest.support;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import java.util.Set;

/** Tokens signed with the test key pair (src/test/resources), as the identity provider would issue them. */
public final class TestTokens {

    private TestTokens() {}

    /** A token with the given roles ({@code groups} claim). */
    public static String withRoles(String... roles) {
        return Jwt.upn("test-producer@retailstack.example")
                .groups(Set.of(roles))
                .expiresIn(3600)
                .sign();
    }

    /** A request authorized to ingest. */
    public static RequestSpecification authorized() {
        return RestAssured.given().auth().oauth2(withRoles("ingest"));
    }
}
