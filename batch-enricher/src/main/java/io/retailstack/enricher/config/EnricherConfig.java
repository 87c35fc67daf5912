package io.retailstack.enricher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Configuration of the batch enricher, prefix {@code enricher}. */
@ConfigMapping(prefix = "enricher")
public interface EnricherConfig {

    /** The Cassandra event store. */
    CassandraConfig cassandra();

    /** How a run reads and writes. */
    RunConfig run();

    /** Serve mode: the in-process schedule. */
    ScheduleConfig schedule();

    /** Reference data loaded at start of serve mode and on demand. */
    ReferenceConfig reference();

    interface CassandraConfig {
        /** Contact points, {@code host:port}. */
        @WithDefault("127.0.0.1:9042")
        List<String> contactPoints();

        /** The datacenter the driver treats as local; always explicit. */
        @WithDefault("datacenter1")
        String localDatacenter();

        /** Keyspace of the event store tables. */
        @WithDefault("retail")
        String keyspace();

        /** Optional credentials (Cosmos DB for Apache Cassandra: account name and key). */
        Optional<String> username();

        Optional<String> password();

        /** Use TLS (Cosmos DB requires it, port 10350). */
        @WithDefault("false")
        boolean ssl();

        /** Per-request timeout. */
        @WithDefault("PT30S")
        Duration requestTimeout();

        /** Rows per page of a partition read. */
        @WithDefault("5000")
        int pageSize();

        /** Partition reads in flight at once (bucket partitions and order histories). */
        @WithDefault("32")
        int maxConcurrentReads();
    }

    interface RunConfig {
        /**
         * Re-read this much before the watermark on every run, so events recorded late (in-flight writes, a slow
         * writer, clock skew) into an already processed bucket are still picked up. Re-reading is harmless: every
         * write is an upsert that changes nothing when the row is already right.
         */
        @WithDefault("PT30M")
        Duration overlap();

        /** Where the very first run of a shard starts when no watermark exists anywhere. */
        @WithDefault("P7D")
        Duration initialLookback();

        /**
         * A chunk (one transaction) is closed once it holds this many events, at the next event-store shard boundary
         * (so no order is split across chunks), or at a bucket boundary past four times this. While one chunk is
         * written the next one is read, so smaller chunks overlap more; each costs a few fixed statements.
         */
        @WithDefault("20000")
        int chunkEvents();

        /** Partitions queued ahead of the consumer at most (reads stop earlier at 2 x chunk-events buffered). */
        @WithDefault("1024")
        int readAhead();

        /** Threads decoding event payloads. */
        @WithDefault("2")
        int decodeThreads();

        /** Seconds between progress log lines. */
        @WithDefault("PT10S")
        Duration progressInterval();

        /** Shard index of this process; defaults to env JOB_COMPLETION_INDEX (Kubernetes Indexed Job), else 0. */
        @WithDefault("${JOB_COMPLETION_INDEX:0}")
        int shardIndex();

        /** Number of enricher shards; defaults to env SHARD_COUNT, else 1. Divides the 16 event-store shards. */
        @WithDefault("${SHARD_COUNT:1}")
        int shardCount();
    }

    interface ScheduleConfig {
        /** Quartz-style cron of serve mode (seconds first). */
        @WithDefault("0 */15 * * * ?")
        String cron();
    }

    interface ReferenceConfig {
        /** Load the bundled reference CSVs (classpath reference/*.csv) before a run when ref tables are empty. */
        @WithDefault("true")
        boolean loadBundledIfEmpty();
    }
}
