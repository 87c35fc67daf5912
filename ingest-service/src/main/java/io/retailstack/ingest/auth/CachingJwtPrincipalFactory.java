package io.retailstack.ingest.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.retailstack.ingest.config.IngestConfig;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;

/**
 * Verifies a bearer token once, then takes it as verified for {@code ingest.auth.verified-token-ttl}, never beyond its
 * {@code exp}. Replaces smallrye-jwt's factory (which verifies on every request) as a CDI alternative.
 *
 * <p>Why: checking an RS256 signature and the claims costs about 0.2 ms of CPU, which is most of what a single-event
 * POST costs this service, and a caller sends the same token with every request until it expires. What it gives up
 * is little: the cache is keyed by the whole token (only a caller that holds it can hit its entry), only tokens that
 * passed verification are kept (a flood of forged tokens costs what it did before and fills nothing), and the keys that
 * verify come from a JWKS that smallrye-jwt itself refreshes only hourly by default.
 *
 * <p>The application has one {@link JWTAuthContextInfo} (one issuer, one key source), so the token alone is the key.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class CachingJwtPrincipalFactory extends JWTCallerPrincipalFactory {

    /** The {@code cache} tag of its metrics. */
    public static final String CACHE_NAME = "verified-tokens";

    private final JWTCallerPrincipalFactory verifier;
    private final Clock clock;
    /** Null when the TTL is zero: every request is verified. */
    private final Cache<String, JWTCallerPrincipal> verified;

    /** Publishes the cache's gets by result (hit: no verification), size and evictions as {@code cache.*}. */
    @Inject
    public CachingJwtPrincipalFactory(IngestConfig config, MeterRegistry registry) {
        this(
                new DefaultJWTCallerPrincipalFactory(),
                config.auth().verifiedTokenTtl(),
                config.auth().verifiedTokenCacheSize(),
                Clock.systemUTC(),
                Ticker.systemTicker());
        if (verified != null) {
            CaffeineCacheMetrics.monitor(registry, verified, CACHE_NAME);
        }
    }

    CachingJwtPrincipalFactory(
            JWTCallerPrincipalFactory verifier, Duration ttl, int maxTokens, Clock clock, Ticker ticker) {
        this.verifier = verifier;
        this.clock = clock;
        this.verified = ttl.isZero() || maxTokens <= 0
                ? null
                : Caffeine.newBuilder()
                        .maximumSize(maxTokens)
                        .ticker(ticker)
                        .expireAfter(new UntilExpiryOr(ttl))
                        .recordStats()
                        .build();
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        if (verified == null) {
            return verifier.parse(token, context);
        }
        JWTCallerPrincipal known = verified.getIfPresent(token);
        if (known != null) {
            return known;
        }
        JWTCallerPrincipal principal = verifier.parse(token, context); // throws for anything invalid: not kept
        if (lifetimeNanos(principal.getExpirationTime(), clock.millis(), Long.MAX_VALUE) > 0) {
            verified.put(token, principal);
        }
        return principal;
    }

    /**
     * How long a token verified now may stay in the cache: the TTL, cut to the time left before its {@code exp}
     * (seconds since the epoch); 0 for a token without {@code exp} or already past it.
     */
    static long lifetimeNanos(long expSeconds, long nowMillis, long ttlNanos) {
        if (expSeconds <= 0) {
            return 0;
        }
        long leftMillis = expSeconds * 1000 - nowMillis;
        return leftMillis <= 0
                ? 0
                : Math.min(ttlNanos, Duration.ofMillis(leftMillis).toNanos());
    }

    /** Caffeine's per-entry expiry: an entry lives {@link #lifetimeNanos}, and reading it does not extend that. */
    private final class UntilExpiryOr implements Expiry<String, JWTCallerPrincipal> {

        private final long ttlNanos;

        UntilExpiryOr(Duration ttl) {
            this.ttlNanos = ttl.toNanos();
        }

        @Override
        public long expireAfterCreate(String token, JWTCallerPrincipal principal, long currentTime) {
            return lifetimeNanos(principal.getExpirationTime(), clock.millis(), ttlNanos);
        }

        @Override
        public long expireAfterUpdate(
                String token, JWTCallerPrincipal principal, long currentTime, long currentDuration) {
            return expireAfterCreate(token, principal, currentTime);
        }

        @Override
        public long expireAfterRead(
                String token, JWTCallerPrincipal principal, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
