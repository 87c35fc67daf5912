package io.retailstack.cache;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import redis.clients.jedis.UnifiedJedis;

/**
 * Test-only endpoints that show CacheBenchmark's ceilings on this machine: the cheapest possible HTTP answer, and the
 * cheapest HTTP answer that reads Redis once (the design without a near tier). Not part of the service.
 */
@Path("/test-probe")
public class HttpCeilingProbe {
    private static final byte[] BODY = "{\"orderId\":\"probe\",\"version\":1}".getBytes(StandardCharsets.UTF_8);
    private final UnifiedJedis jedis;

    HttpCeilingProbe(UnifiedJedis jedis) {
        this.jedis = jedis;
    }

    /** A constant body on the event loop. */
    @GET
    @Path("/constant")
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] constant() {
        return BODY;
    }

    /** One Jedis GET of a Redis key, on a worker thread, nothing else. */
    @GET
    @Path("/redis/{key}")
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] redis(@PathParam("key") String key) {
        return jedis.get(key.getBytes(StandardCharsets.UTF_8));
    }
}
