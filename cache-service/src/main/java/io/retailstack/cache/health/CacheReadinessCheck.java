package io.retailstack.cache.health;

import io.retailstack.cache.messaging.StateConsumer;
import io.retailstack.cache.persistence.CassandraStateRepository;
import io.retailstack.cache.persistence.RedisStateCache;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while at least one store can answer: with Redis down reads are served from Cassandra, with Cassandra down
 * cached keys are still served. Either case is reported as {@code mode=degraded}; only both down is DOWN.
 */
@Readiness
@ApplicationScoped
public class CacheReadinessCheck implements HealthCheck {
    private final RedisStateCache redis;
    private final CassandraStateRepository cassandra;
    private final StateConsumer consumer;

    public CacheReadinessCheck(RedisStateCache redis, CassandraStateRepository cassandra, StateConsumer consumer) {
        this.redis = redis;
        this.cassandra = cassandra;
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        boolean redisUp = redis.ping();
        boolean cassandraUp = cassandra.isUp();
        return HealthCheckResponse.named("cache-stores")
                .status(redisUp || cassandraUp)
                .withData("redis", redisUp ? "up" : "down")
                .withData("cassandra", cassandraUp ? "up" : "down")
                .withData("mode", redisUp && cassandraUp ? "normal" : "degraded")
                .withData("stateConsumer", consumer.describe())
                .build();
    }
}
