package io.retailstack.cache.persistence;

import io.retailstack.cache.config.CacheConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds the one Jedis client of the service: {@link JedisPooled} for a standalone endpoint (Azure Cache for Redis
 * Basic/Standard/Premium without clustering, Azure Managed Redis with the Enterprise policy) or {@link JedisCluster}
 * (Redis Cluster, Azure Managed Redis with the OSS cluster policy). Both are {@link UnifiedJedis}, so the rest of the
 * code does not care. TLS, ACL user and password (an access key, or a Microsoft Entra token with the identity's object
 * id as user) come from {@code cache.redis.*}.
 */
public class RedisClientProducer {

    @Produces
    @Singleton
    UnifiedJedis jedis(CacheConfig config) {
        CacheConfig.Redis redis = config.redis();
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis(redis.connectTimeout()))
                .socketTimeoutMillis(millis(redis.socketTimeout()))
                .ssl(redis.ssl())
                .clientName("cache-service")
                // CLIENT SETINFO needs Redis 7.2; older servers (and some managed tiers) reject it
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        redis.user().ifPresent(client::user);
        redis.password().ifPresent(client::password);
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(redis.poolMaxTotal());
        pool.setMaxIdle(redis.poolMaxTotal());
        pool.setMinIdle(redis.poolMinIdle());
        pool.setMaxWait(redis.poolMaxWait());
        pool.setBlockWhenExhausted(true);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(10));
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        for (String hp : redis.hosts()) {
            nodes.add(HostAndPort.from(hp.replaceFirst("^rediss?://", "")));
        }
        if (redis.mode() == CacheConfig.Redis.Mode.CLUSTER) {
            JedisClientConfig cfg = client.build();
            return new JedisCluster(nodes, cfg, pool);
        }
        JedisClientConfig cfg = client.database(redis.database()).build();
        return new JedisPooled(nodes.iterator().next(), cfg, pool);
    }

    void close(@Disposes UnifiedJedis jedis) {
        jedis.close();
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, d.toMillis());
    }
}
