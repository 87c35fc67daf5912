package io.retailstack.cache.service;

import io.retailstack.cache.config.CacheConfig;
import io.retailstack.cache.persistence.CacheLookup;
import io.retailstack.cache.persistence.CachedState;
import io.retailstack.cache.persistence.CassandraStateRepository;
import io.retailstack.cache.persistence.RedisStateCache;
import io.retailstack.cache.persistence.StoreUnavailableException;
import io.retailstack.cache.service.ReadResult.Source;
import io.retailstack.events.state.StateCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Cache-aside reads: this instance's {@link NearCache} first, then Redis; on a miss one Cassandra read per key at a time (single-flight), then Redis is
 * populated with a CAS write and a jittered TTL. Unknown ids are cached as "not found" with a short TTL. When Redis is
 * unavailable the same path answers from Cassandra (source BYPASS) and skips the population. Whatever Redis or
 * Cassandra answered also enters the near tier, which the state consumer keeps current ({@link #stateChanged}).
 */
@ApplicationScoped
public class StateReadService {
    private static final Logger LOG = Logger.getLogger(StateReadService.class);

    private final RedisStateCache redis;
    private final CassandraStateRepository cassandra;
    private final CacheConfig.Ttl ttl;
    /** Orders are cached and served in their public form (StateCodec.publicOrderJson). */
    private final StateCodec stateCodec = new StateCodec();

    private final SingleFlight<ReadResult<CachedState>> orderFlights = new SingleFlight<>(5_000);
    private final SingleFlight<ReadResult<Map<String, CachedState>>> inventoryFlights = new SingleFlight<>(5_000);
    private final NearCache<CachedState> nearOrders;
    private final NearCache<Map<String, CachedState>> nearInventory;

    StateReadService() {
        this.redis = null;
        this.cassandra = null;
        this.ttl = null;
        this.nearOrders = null;
        this.nearInventory = null;
    }

    @Inject
    public StateReadService(RedisStateCache redis, CassandraStateRepository cassandra, CacheConfig config) {
        this.redis = redis;
        this.cassandra = cassandra;
        this.ttl = config.ttl();
        this.nearOrders = new NearCache<>(
                config.near().ttl(), config.near().maxEntries(), (held, offered) -> newer(held, offered));
        this.nearInventory =
                new NearCache<>(config.near().ttl(), config.near().maxEntries(), StateReadService::mergeLocations);
    }

    /** The order from this instance's memory, or null: cheap enough for the event loop (no I/O). */
    public ReadResult<CachedState> nearOrder(String orderId) {
        CachedState held = nearOrders.get(orderId);
        return held == null ? null : new ReadResult<>(held, Source.HIT);
    }

    /** The SKU's locations from this instance's memory, or null: no I/O. */
    public ReadResult<Map<String, CachedState>> nearInventory(String sku) {
        Map<String, CachedState> held = nearInventory.get(sku);
        return held == null ? null : new ReadResult<>(held, Source.HIT);
    }

    /** Current state of an order; a "not found" marker if unknown. Blocking (Redis, maybe Cassandra). */
    public ReadResult<CachedState> order(String orderId) {
        ReadResult<CachedState> near = nearOrder(orderId);
        if (near != null) {
            return near;
        }
        ReadResult<CachedState> result = redisOrder(orderId);
        if (result.source() != Source.BYPASS) {
            nearOrders.offer(orderId, result.value());
        }
        return result;
    }

    private ReadResult<CachedState> redisOrder(String orderId) {
        CacheLookup<CachedState> cached = redis.getOrder(orderId);
        if (cached.isHit()) {
            return new ReadResult<>(cached.value(), Source.HIT);
        }
        return orderFlights.run(orderId, () -> loadOrder(orderId));
    }

    /** Every location of a SKU (location id → state), sorted; empty if unknown. Blocking (Redis, maybe Cassandra). */
    public ReadResult<Map<String, CachedState>> inventory(String sku) {
        ReadResult<Map<String, CachedState>> near = nearInventory(sku);
        if (near != null) {
            return near;
        }
        ReadResult<Map<String, CachedState>> result = redisInventory(sku);
        if (result.source() != Source.BYPASS) {
            nearInventory.offer(sku, result.value());
        }
        return result;
    }

    private ReadResult<Map<String, CachedState>> redisInventory(String sku) {
        CacheLookup<Map<String, CachedState>> cached = redis.getInventory(sku);
        if (cached.isHit()) {
            return new ReadResult<>(cached.value(), Source.HIT);
        }
        return inventoryFlights.run(sku, () -> loadInventory(sku));
    }

    /**
     * A new order state from retail.state: updates the near tier if it holds the order. Called before the Redis write,
     * so the instance that consumes the message answers with it even while Redis is down.
     */
    public void orderChanged(String orderId, CachedState state) {
        nearOrders.refresh(orderId, state);
    }

    /** New location states of a SKU from retail.state: merged into the near tier if it holds the SKU. */
    public void inventoryChanged(String sku, Map<String, CachedState> locations) {
        nearInventory.refresh(sku, locations);
    }

    static CachedState newer(CachedState held, CachedState offered) {
        return offered.version() > held.version() ? offered : held;
    }

    /** Per location, the newer state; a complete map stays complete (locations are never removed). */
    static Map<String, CachedState> mergeLocations(Map<String, CachedState> held, Map<String, CachedState> offered) {
        Map<String, CachedState> merged = null;
        for (Map.Entry<String, CachedState> e : offered.entrySet()) {
            CachedState current = held.get(e.getKey());
            if (current == null || e.getValue().version() > current.version()) {
                if (merged == null) {
                    merged = new TreeMap<>(held);
                }
                merged.put(e.getKey(), e.getValue());
            }
        }
        return merged == null ? held : Collections.unmodifiableMap(merged);
    }

    private ReadResult<CachedState> loadOrder(String orderId) {
        // Re-check: a request that missed just before another leader populated Redis must not read Cassandra again.
        CacheLookup<CachedState> again = redis.getOrder(orderId);
        if (again.isHit()) {
            return new ReadResult<>(again.value(), Source.HIT);
        }
        CachedState state = fromCassandra(() -> cassandra
                .readOrder(orderId)
                .map(row -> CachedState.of(row.version(), stateCodec.publicOrderJson(row.stateJson())))
                .orElse(CachedState.NOT_FOUND));
        // Populate even if the re-check failed: a busy pool is not a dead Redis, and the write is breaker-guarded.
        try {
            redis.putOrder(orderId, state, state.notFound() ? ttl.negative() : jittered(ttl.order()));
            return new ReadResult<>(state, Source.MISS);
        } catch (RuntimeException e) {
            LOG.debugf("could not cache order %s: %s", orderId, e.toString());
            return new ReadResult<>(state, Source.BYPASS);
        }
    }

    private ReadResult<Map<String, CachedState>> loadInventory(String sku) {
        CacheLookup<Map<String, CachedState>> again = redis.getInventory(sku);
        if (again.isHit()) {
            return new ReadResult<>(again.value(), Source.HIT);
        }
        Map<String, CachedState> locations = fromCassandra(() -> {
            Map<String, CachedState> m = new TreeMap<>();
            for (CassandraStateRepository.InventoryRow row : cassandra.readInventory(sku)) {
                m.put(row.locationId(), CachedState.of(row.version(), row.stateJson()));
            }
            return m;
        });
        try {
            redis.putInventory(sku, locations, true, locations.isEmpty() ? ttl.negative() : jittered(ttl.inventory()));
            return new ReadResult<>(locations, Source.MISS);
        } catch (RuntimeException e) {
            LOG.debugf("could not cache sku %s: %s", sku, e.toString());
            return new ReadResult<>(locations, Source.BYPASS);
        }
    }

    /** TTL plus a random share of up to {@code jitter} of it. */
    public Duration jittered(Duration base) {
        double extra = ThreadLocalRandom.current().nextDouble() * Math.max(0, ttl.jitter());
        return Duration.ofMillis(Math.max(1, (long) (base.toMillis() * (1 + extra))));
    }

    static <T> T fromCassandra(Supplier<T> read) {
        try {
            return read.get();
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(
                    "Cassandra read failed: " + e.getClass().getSimpleName(), e);
        }
    }
}
