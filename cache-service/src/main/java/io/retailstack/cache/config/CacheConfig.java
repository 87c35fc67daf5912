package io.retailstack.cache.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All settings of cache-service, under the prefix {@code cache}. */
@ConfigMapping(prefix = "cache")
public interface CacheConfig {

    /** Redis, the hot read cache. */
    Redis redis();

    /** Cassandra, the source of truth for current state and history. */
    Cassandra cassandra();

    /** The retail.state consumer that keeps Redis fresh. */
    State state();

    /** How long cached entries live. */
    Ttl ttl();

    /** The per-instance tier in front of Redis. */
    Near near();

    /** HTTP caching headers sent to browsers and CDNs. */
    Http http();

    /** Optional API key for reads. */
    ApiKey apiKey();

    /** Optional per-client rate limit. */
    RateLimit rateLimit();

    interface Redis {
        /** STANDALONE (one endpoint, pooled) or CLUSTER (Azure Managed Redis OSS cluster policy, Redis Cluster). */
        @WithDefault("standalone")
        Mode mode();

        /** host:port endpoints; for CLUSTER any subset of the nodes (seeds). */
        @WithDefault("localhost:6379")
        List<String> hosts();

        /** ACL user; for Microsoft Entra ID the object id of the managed identity. */
        Optional<String> user();

        /** Password / access key, or an Entra access token; from the environment only. */
        Optional<String> password();

        /** TLS (Azure Cache for Redis: port 6380, Azure Managed Redis: port 10000). */
        @WithDefault("false")
        boolean ssl();

        /** Logical database (standalone only). */
        @WithDefault("0")
        int database();

        /** TCP connect timeout: short, so a dead Redis is detected fast and reads fall back to Cassandra. */
        @WithDefault("200ms")
        Duration connectTimeout();

        /** Socket read timeout of one command. */
        @WithDefault("200ms")
        Duration socketTimeout();

        /** Most pooled connections (per node for CLUSTER); sized for the HTTP worker concurrency. */
        @WithDefault("64")
        int poolMaxTotal();

        /** Idle connections kept warm. */
        @WithDefault("8")
        int poolMinIdle();

        /** Longest wait for a free pooled connection before the read falls back to Cassandra. */
        @WithDefault("100ms")
        Duration poolMaxWait();

        /** Prefix of every key this service writes. */
        @WithDefault("retail:")
        String keyPrefix();

        enum Mode {
            STANDALONE,
            CLUSTER
        }
    }

    interface Cassandra {
        /** host:port contact points. */
        @WithDefault("127.0.0.1:9042")
        List<String> contactPoints();

        /** The datacenter the driver treats as local. */
        @WithDefault("datacenter1")
        String localDatacenter();

        /** Keyspace of the event store contract. */
        @WithDefault("retail")
        String keyspace();

        /** Username (Cosmos DB: the account name). */
        Optional<String> username();

        /** Password (Cosmos DB: the account key); from the environment only. */
        Optional<String> password();

        /** TLS to the contact points (Cosmos DB for Apache Cassandra requires it). */
        @WithDefault("false")
        boolean ssl();

        /** Driver request timeout: the budget of one read on the miss path. */
        @WithDefault("1s")
        Duration requestTimeout();

        /** Concurrent requests allowed by the driver's throttler; the rest queue. */
        @WithDefault("256")
        int maxConcurrentRequests();

        /** Requests that may wait for the throttler before being rejected. */
        @WithDefault("10000")
        int maxQueueSize();
    }

    interface State {
        /** Whether to consume retail.state at all (off: Redis only fills on misses and expires by TTL). */
        @WithDefault("true")
        boolean enabled();

        /** Kafka bootstrap servers. */
        @WithDefault("localhost:9092")
        String bootstrapServers();

        /** The state topic (key = aggregate subject, value = StateCodec message). */
        @WithDefault("retail.state")
        String topic();

        /** Consumer group: instances share the partitions; Redis is shared, so each message is written once. */
        @WithDefault("cache-service")
        String groupId();

        /** Where a new group starts: latest is enough, since older state is in Cassandra. */
        @WithDefault("latest")
        String autoOffsetReset();

        /** Longest wait of one poll; bounds how stale a key can get after a quiet period. */
        @WithDefault("100ms")
        Duration pollTimeout();

        /** Pause before retrying a batch Redis could not take. */
        @WithDefault("500ms")
        Duration retryBackoff();

        /** Extra Kafka client properties (security.protocol, sasl.mechanism, sasl.jaas.config, ...). */
        Map<String, String> kafka();
    }

    interface Near {
        /**
         * Lifetime of an entry in this instance's memory. Bounds how much older than Redis an answer can be (the
         * instance's own state consumer updates held entries at once); 0 turns the tier off, so every read goes to
         * Redis.
         */
        @WithDefault("250ms")
        Duration ttl();

        /** Most orders and most SKUs held (each); the hottest stay. */
        @WithDefault("10000")
        long maxEntries();
    }

    interface Ttl {
        /** Lifetime of a cached order. */
        @WithDefault("10m")
        Duration order();

        /** Lifetime of a cached inventory hash (one per SKU). */
        @WithDefault("10m")
        Duration inventory();

        /** Random extra lifetime, as a fraction of the TTL, so keys loaded together do not expire together. */
        @WithDefault("0.1")
        double jitter();

        /** Lifetime of a "not found" entry: short, a new id appears within it at worst (state messages overwrite it). */
        @WithDefault("5s")
        Duration negative();
    }

    interface Http {
        /** Cache-Control of order responses (personal data: private, always revalidated by ETag). */
        @WithDefault("private, no-cache")
        String orderCacheControl();

        /** Cache-Control of inventory responses (public, fresh for a second). */
        @WithDefault("public, max-age=1")
        String inventoryCacheControl();
    }

    interface ApiKey {
        /** Require an API key on /v1 reads. */
        @WithDefault("false")
        boolean enabled();

        /** Header carrying the key. */
        @WithDefault("X-API-Key")
        String header();

        /** Accepted keys; from the environment or a secret only. */
        Optional<List<String>> keys();
    }

    interface RateLimit {
        /** Limit requests per client (API key if present, else client IP). */
        @WithDefault("false")
        boolean enabled();

        /** Sustained requests per second per client. */
        @WithDefault("100")
        double requestsPerSecond();

        /** Burst size (bucket capacity). */
        @WithDefault("200")
        int burst();

        /** Most clients tracked at once; the table is cleared past it. */
        @WithDefault("100000")
        int maxClients();
    }
}
