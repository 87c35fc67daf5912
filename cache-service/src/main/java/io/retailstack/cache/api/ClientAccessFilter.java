package io.retailstack.cache.api;

import io.retailstack.cache.config.CacheConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Optional protections of the read API: an API key header (401 without a valid one) and a token-bucket rate limit per
 * API key, else per client IP (429). Both off by default; CORS is Quarkus' own filter, configured by allow-list.
 */
public class ClientAccessFilter {
    private final CacheConfig.ApiKey apiKey;
    private final List<byte[]> keys;
    private final TokenBucketRateLimiter limiter;

    public ClientAccessFilter(CacheConfig config) {
        this.apiKey = config.apiKey();
        this.keys = apiKey.keys().orElse(List.of()).stream()
                .filter(k -> !k.isBlank())
                .map(k -> k.getBytes(StandardCharsets.UTF_8))
                .toList();
        this.limiter = config.rateLimit().enabled()
                ? new TokenBucketRateLimiter(
                        config.rateLimit().requestsPerSecond(),
                        config.rateLimit().burst(),
                        config.rateLimit().maxClients())
                : null;
    }

    @ServerRequestFilter
    public Optional<Response> filter(ContainerRequestContext ctx, HttpServerRequest request, UriInfo uri) {
        if (!apiKey.enabled() && limiter == null) {
            return Optional.empty();
        }
        String key = null;
        if (apiKey.enabled()) {
            key = ctx.getHeaderString(apiKey.header());
            if (key == null || !known(key)) {
                return Optional.of(ProblemMappers.build(
                        401,
                        "Unauthorized",
                        "a valid API key is required in header " + apiKey.header(),
                        uri,
                        Map.of()));
            }
        }
        if (limiter != null) {
            String client = key != null ? "key:" + key : "ip:" + clientIp(request);
            if (!limiter.tryAcquire(client, System.nanoTime())) {
                return Optional.of(ProblemMappers.build(
                        429,
                        "Too Many Requests",
                        "rate limit exceeded; slow down",
                        uri,
                        Map.of("Retry-After", Long.toString(limiter.retryAfterSeconds()))));
            }
        }
        return Optional.empty();
    }

    private boolean known(String candidate) {
        byte[] c = candidate.getBytes(StandardCharsets.UTF_8);
        boolean found = false;
        for (byte[] k : keys) {
            found |= MessageDigest.isEqual(k, c); // constant time per key
        }
        return found;
    }

    private static String clientIp(HttpServerRequest request) {
        return request.remoteAddress() == null
                ? "unknown"
                : request.remoteAddress().hostAddress();
    }
}
