package io.retailstack.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * The cache's rules with a stand-in verifier and clocks under the test's control. That the real verifier sits behind
 * it (forged and role-less tokens still refused over HTTP) is {@code AuthTest}'s job.
 */
class CachingJwtPrincipalFactoryTest {

    private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");
    private static final JWTAuthContextInfo CONTEXT = new JWTAuthContextInfo();

    /** Counts verifications; tokens starting with "bad" fail, others expire at the epoch second after "exp=". */
    private static final class CountingVerifier extends JWTCallerPrincipalFactory {
        final List<String> verified = new ArrayList<>();

        @Override
        public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
            verified.add(token);
            if (token.startsWith("bad")) {
                throw new ParseException("signature does not verify");
            }
            JwtClaims claims = new JwtClaims();
            claims.setSubject(token);
            long exp = Long.parseLong(token.substring(token.indexOf("exp=") + 4));
            if (exp > 0) {
                claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(exp));
            }
            return new DefaultJWTCallerPrincipal(token, claims);
        }
    }

    private final CountingVerifier verifier = new CountingVerifier();
    private final AtomicLong tickerNanos = new AtomicLong();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private CachingJwtPrincipalFactory cache(Duration ttl) {
        return new CachingJwtPrincipalFactory(verifier, ttl, 100, clock, tickerNanos::get);
    }

    private static String token(String name, Duration validFor) {
        return name + ";exp=" + NOW.plus(validFor).getEpochSecond();
    }

    private void advance(Duration duration) {
        tickerNanos.addAndGet(duration.toNanos());
    }

    /** Verifications of one token used twice, {@code between} apart, with a 60 s TTL. */
    private List<String> verificationsOfTwoUses(Duration validFor, Duration between) throws ParseException {
        CachingJwtPrincipalFactory factory = cache(Duration.ofSeconds(60));
        String token = token("a", validFor);
        JWTCallerPrincipal first = factory.parse(token, CONTEXT);
        advance(between);
        JWTCallerPrincipal second = factory.parse(token, CONTEXT);
        assertThat(second.getSubject()).isEqualTo(first.getSubject());
        return verifier.verified;
    }

    @Test
    void verifiesATokenOnceWithinTheTtl() throws Exception {
        assertThat(verificationsOfTwoUses(Duration.ofHours(1), Duration.ofSeconds(59)))
                .hasSize(1);
    }

    @Test
    void verifiesAgainOnceTheTtlPassed() throws Exception {
        assertThat(verificationsOfTwoUses(Duration.ofHours(1), Duration.ofSeconds(61)))
                .hasSize(2);
    }

    @Test
    void neverKeepsATokenPastItsExpiry() throws Exception {
        // expires 10 s from now, well within the TTL
        assertThat(verificationsOfTwoUses(Duration.ofSeconds(10), Duration.ofSeconds(11)))
                .hasSize(2);
    }

    @Test
    void keepsNothingThatFailedVerification() {
        CachingJwtPrincipalFactory factory = cache(Duration.ofSeconds(60));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> factory.parse("bad;exp=0", CONTEXT)).isInstanceOf(ParseException.class);
        }

        assertThat(verifier.verified).containsExactly("bad;exp=0", "bad;exp=0");
    }

    @Test
    void verifiesEachDistinctTokenItself() throws Exception {
        CachingJwtPrincipalFactory factory = cache(Duration.ofSeconds(60));
        String a = token("a", Duration.ofHours(1));
        String b = token("b", Duration.ofHours(1));

        assertThat(factory.parse(a, CONTEXT).getSubject()).isEqualTo(a);
        assertThat(factory.parse(b, CONTEXT).getSubject()).isEqualTo(b);

        assertThat(verifier.verified).containsExactly(a, b);
    }

    @Test
    void aZeroTtlVerifiesEveryRequest() throws Exception {
        CachingJwtPrincipalFactory factory = cache(Duration.ZERO);
        String token = token("a", Duration.ofHours(1));

        factory.parse(token, CONTEXT);
        factory.parse(token, CONTEXT);

        assertThat(verifier.verified).containsExactly(token, token);
    }

    @Test
    void aTokenWithoutExpiryIsNotKept() throws Exception {
        CachingJwtPrincipalFactory factory = cache(Duration.ofSeconds(60));

        factory.parse("a;exp=0", CONTEXT);
        factory.parse("a;exp=0", CONTEXT);

        assertThat(verifier.verified).hasSize(2);
    }

    @Test
    void lifetimeIsTheTtlCutToTheTimeLeft() {
        long ttl = Duration.ofSeconds(60).toNanos();
        long now = NOW.toEpochMilli();
        assertThat(CachingJwtPrincipalFactory.lifetimeNanos(NOW.getEpochSecond() + 3600, now, ttl))
                .isEqualTo(ttl);
        assertThat(CachingJwtPrincipalFactory.lifetimeNanos(NOW.getEpochSecond() + 5, now, ttl))
                .isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(CachingJwtPrincipalFactory.lifetimeNanos(NOW.getEpochSecond(), now, ttl))
                .isZero();
        assertThat(CachingJwtPrincipalFactory.lifetimeNanos(0, now, ttl)).isZero();
    }
}
