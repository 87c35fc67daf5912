package io.retailstack.cache.api;

import io.retailstack.cache.service.ReadResult;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;

/** ETag, conditional GET and the cache headers shared by the resources. */
final class HttpCaching {
    /** Tells whether the answer came from Redis (HIT), Cassandra then cached (MISS), or Cassandra only (BYPASS). */
    static final String X_CACHE = "X-Cache";

    private HttpCaching() {}

    /** A strong ETag from a version string. */
    static String etag(String version) {
        return "\"" + version + "\"";
    }

    /** 304 if If-None-Match names the current ETag (or is *), else 200 with the body. */
    static Response respond(
            Object body, String etag, String cacheControl, ReadResult.Source source, String ifNoneMatch) {
        Response.ResponseBuilder r = matches(ifNoneMatch, etag)
                ? Response.notModified()
                : Response.ok(body, MediaType.APPLICATION_JSON_TYPE);
        return r.header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .header(X_CACHE, source.name())
                .header(HttpHeaders.VARY, "Origin")
                .build();
    }

    /**
     * The same for a body that is already JSON bytes. A typed {@link RestResponse} lets RESTEasy pick the byte[]
     * writer once at build time instead of per response (CacheBenchmark's hit path).
     */
    static RestResponse<byte[]> respondJson(
            byte[] json, String etag, String cacheControl, ReadResult.Source source, String ifNoneMatch) {
        RestResponse.ResponseBuilder<byte[]> r = matches(ifNoneMatch, etag)
                ? RestResponse.ResponseBuilder.notModified()
                : RestResponse.ResponseBuilder.ok(json, MediaType.APPLICATION_JSON_TYPE);
        return r.header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .header(X_CACHE, source.name())
                .header(HttpHeaders.VARY, "Origin")
                .build();
    }

    /** If-None-Match uses weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*")) {
                return true;
            }
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
