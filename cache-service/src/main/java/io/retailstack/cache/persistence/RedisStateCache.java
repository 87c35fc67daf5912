package io.retailstack.cache.persistence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.retailstack.cache.config.CacheConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The Redis side of the cache.
 *
 * <p>Key layout (prefix {@code cache.redis.key-prefix}, default {@code retail:}):
 *
 * <ul>
 *   <li>{@code retail:order:{ORD-1}} — a string {@code <version>\n<state JSON>} ({@link CachedState}); {@code 0\n} is
 *       a "not found" marker with the short negative TTL.
 *   <li>{@code retail:inventory:{SKU-1}} — a hash per SKU: one field per location id holding
 *       {@code <version>\n<state JSON>}, plus the field {@code @} ("complete") once the whole Cassandra partition has
 *       been loaded. Location ids never contain {@code @}, so the marker cannot collide. A hash without {@code @}
 *       holds only locations pushed by retail.state and is treated as a miss: a partial hash would under-report
 *       availability. A complete hash with no location is the "unknown SKU" marker.
 * </ul>
 *
 * <p>Every write is a Lua compare-and-set on the version (per key for orders, per field for inventory), so a write
 * never replaces a newer version with an older one, whoever writes (miss path or state consumer) and in whatever order.
 * The braces are Redis Cluster hash tags; each key is independent anyway.
 *
 * <p>Faults: reads are bounded by the Jedis connect/socket timeouts and the pool's max wait (200 ms / 200 ms / 100 ms
 * by default) rather than {@code @Timeout}: a synchronous FT timeout cannot interrupt socket I/O anyway, and its
 * per-call watcher costs throughput on the hot path. Writes (off the hot path) also carry {@code @Timeout}. A circuit
 * breaker skips a dead Redis without a connect attempt per request, and a {@code @Fallback} turns any read failure into
 * {@link CacheLookup.Status#UNAVAILABLE}: the caller then answers from Cassandra.
 */
@ApplicationScoped
public class RedisStateCache {
    private static final Logger LOG = Logger.getLogger(RedisStateCache.class);
    private static final byte[] COMPLETE = {'@'};
    private static final byte[] ONE = {'1'};

    /** KEYS[1] order key; ARGV: version, value, ttl ms. Returns 1 if written, 0 if the cached version is newer/same. */
    static final String ORDER_CAS =
            """
            local cur = redis.call('GET', KEYS[1])
            if cur then
              local v = tonumber(string.match(cur, '^(%d+)'))
              if v and v >= tonumber(ARGV[1]) then return 0 end
            end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return 1
            """;

    /**
     * KEYS[1] inventory hash; ARGV: ttl ms, complete (1/0), then (location, version, value) triples. Per field CAS;
     * with complete=1 the marker is set (and the TTL with it, if the marker is new); otherwise a TTL is set only on a
     * hash that has none. Returns the number of fields written.
     */
    static final String INVENTORY_CAS =
            """
            local written = 0
            for i = 3, #ARGV, 3 do
              local cur = redis.call('HGET', KEYS[1], ARGV[i])
              local v = cur and tonumber(string.match(cur, '^(%d+)'))
              if not v or v < tonumber(ARGV[i + 1]) then
                redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
                written = written + 1
              end
            end
            if ARGV[2] == '1' then
              if redis.call('HSETNX', KEYS[1], '@', '1') == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            elseif redis.call('PTTL', KEYS[1]) == -1 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
            end
            return written
            """;

    private final UnifiedJedis jedis;
    private final String prefix;
    private final Script orderCas = new Script(ORDER_CAS);
    private final Script inventoryCas = new Script(INVENTORY_CAS);
    private final Counter hits;
    private final Counter misses;
    private final Counter errors;

    RedisStateCache() {
        this.jedis = null;
        this.prefix = null;
        this.hits = null;
        this.misses = null;
        this.errors = null;
    }

    @Inject
    public RedisStateCache(UnifiedJedis jedis, CacheConfig config, MeterRegistry registry) {
        this.jedis = jedis;
        this.prefix = config.redis().keyPrefix();
        this.hits = registry.counter("cache.redis.lookups", "outcome", "hit");
        this.misses = registry.counter("cache.redis.lookups", "outcome", "miss");
        this.errors = registry.counter("cache.redis.lookups", "outcome", "error");
    }

    public String orderKey(String orderId) {
        return prefix + "order:{" + orderId + "}";
    }

    public String inventoryKey(String sku) {
        return prefix + "inventory:{" + sku + "}";
    }

    // ------------------------------------------------------------------ reads

    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 1000, successThreshold = 2)
    @Fallback(fallbackMethod = "unavailableOrder")
    public CacheLookup<CachedState> getOrder(String orderId) {
        byte[] value = jedis.get(bytes(orderKey(orderId)));
        if (value == null) {
            misses.increment();
            return CacheLookup.miss();
        }
        hits.increment();
        return CacheLookup.hit(CachedState.decode(value));
    }

    /** All locations of a SKU (location id → state), sorted; a HIT with an empty map is the "unknown SKU" marker. */
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 1000, successThreshold = 2)
    @Fallback(fallbackMethod = "unavailableInventory")
    public CacheLookup<Map<String, CachedState>> getInventory(String sku) {
        Map<byte[], byte[]> hash = jedis.hgetAll(bytes(inventoryKey(sku)));
        Map<String, CachedState> locations = new TreeMap<>();
        boolean complete = false;
        for (Map.Entry<byte[], byte[]> e : hash.entrySet()) {
            if (Arrays.equals(e.getKey(), COMPLETE)) {
                complete = true;
            } else {
                locations.put(new String(e.getKey(), StandardCharsets.UTF_8), CachedState.decode(e.getValue()));
            }
        }
        if (!complete) {
            misses.increment();
            return CacheLookup.miss();
        }
        hits.increment();
        return CacheLookup.hit(locations);
    }

    // ----------------------------------------------------------------- writes

    /** CAS-writes one order state (or the "not found" marker). True if written, false if Redis had the same or newer. */
    @Timeout(500)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 1000, successThreshold = 2)
    public boolean putOrder(String orderId, CachedState state, Duration ttl) {
        Object r = eval(
                orderCas,
                List.of(bytes(orderKey(orderId))),
                List.of(ascii(state.version()), state.encode(), ascii(Math.max(1, ttl.toMillis()))));
        return r instanceof Long l && l == 1L;
    }

    /**
     * CAS-writes inventory locations of one SKU. {@code complete} marks the hash as holding the whole Cassandra
     * partition (miss path); the state consumer passes false. Returns the number of locations written.
     */
    @Timeout(500)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 1000, successThreshold = 2)
    public long putInventory(String sku, Map<String, CachedState> locations, boolean complete, Duration ttl) {
        List<byte[]> args = new ArrayList<>(2 + 3 * locations.size());
        args.add(ascii(Math.max(1, ttl.toMillis())));
        args.add(complete ? ONE : new byte[] {'0'});
        locations.forEach((location, state) -> {
            args.add(bytes(location));
            args.add(ascii(state.version()));
            args.add(state.encode());
        });
        Object r = eval(inventoryCas, List.of(bytes(inventoryKey(sku))), args);
        return r instanceof Long l ? l : 0L;
    }

    /** Round trip to Redis, bypassing the circuit breaker (health check). */
    public boolean ping() {
        try {
            return "PONG".equalsIgnoreCase(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    // -------------------------------------------------------------- fallbacks

    CacheLookup<CachedState> unavailableOrder(String orderId, Throwable failure) {
        onFailure(failure);
        LOG.debugf("Redis read of order %s failed: %s", orderId, failure.toString());
        return CacheLookup.unavailable();
    }

    CacheLookup<Map<String, CachedState>> unavailableInventory(String sku, Throwable failure) {
        onFailure(failure);
        LOG.debugf("Redis read of sku %s failed: %s", sku, failure.toString());
        return CacheLookup.unavailable();
    }

    /**
     * After a Redis restart every idle pooled connection is dead; each would fail one request. Dropping the idle ones
     * at the first connection error lets the pool reconnect at once instead of failing its way through them.
     */
    private void onFailure(Throwable failure) {
        errors.increment();
        if (failure instanceof JedisConnectionException && jedis instanceof JedisPooled pooled) {
            pooled.getPool().clear();
        }
    }

    // ---------------------------------------------------------------- helpers

    private Object eval(Script script, List<byte[]> keys, List<byte[]> args) {
        try {
            return jedis.evalsha(script.sha, keys, args);
        } catch (JedisNoScriptException e) {
            return jedis.eval(script.body, keys, args);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** A Lua script and its SHA-1, so writes send EVALSHA and fall back to EVAL once per server restart. */
    private static final class Script {
        final byte[] body;
        final byte[] sha;

        Script(String text) {
            this.body = text.getBytes(StandardCharsets.UTF_8);
            try {
                this.sha = HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-1").digest(body))
                        .getBytes(StandardCharsets.US_ASCII);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
