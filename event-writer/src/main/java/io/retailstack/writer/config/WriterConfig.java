package io.retailstack.writer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything event-writer can be told, under {@code event-writer.*}. */
@ConfigMapping(prefix = "event-writer")
public interface WriterConfig {

    /** Whether the consumer runs at all; off only for tools and tests that drive the writer themselves. */
    @WithDefault("true")
    boolean enabled();

    Kafka kafka();

    Cassandra cassandra();

    Processing processing();

    Health health();

    interface Kafka {
        /** {@code bootstrap.servers} of the cluster (Kafka or the Event Hubs namespace on 9093). */
        String bootstrapServers();

        /** The validated events, keyed by aggregate subject. */
        @WithDefault("retail.events")
        String topic();

        /** Where each new state goes, keyed by aggregate subject. */
        @WithDefault("retail.state")
        String stateTopic();

        /** Records that can never be applied (undecodable, invalid, key not the subject). */
        @WithDefault("retail.events.dlq")
        String dlqTopic();

        @WithDefault("event-writer")
        String groupId();

        /**
         * Static group membership ({@code group.instance.id}), e.g. the pod name of a StatefulSet: a restarted
         * instance takes its partitions back at once instead of waiting for a rebalance.
         */
        Optional<String> groupInstanceId();

        /**
         * Upper bound of one poll, hence of one batch and of the records held in memory (times the pipeline depth).
         * Larger polls coalesce more events per aggregate into one state write and fill batches better: with a
         * backlog, 20,000 instead of 5,000 took the inventory-heavy ratio of {@code EventWriterBenchmark} from 0.76 to
         * 0.85 (quick runs). A quiet stream polls far fewer records at a time, so this does not add latency; it bounds
         * the memory of catching up (~2 × 20,000 records and their decoded events).
         */
        @WithDefault("20000")
        int maxPollRecords();

        /** Create the three topics at start when missing (local Kafka); Terraform owns them on Event Hubs. */
        @WithDefault("false")
        boolean createTopics();

        /** Partitions of topics created by {@link #createTopics()}. */
        @WithDefault("3")
        int topicPartitions();

        /** Client properties for consumer, producer and admin alike (security, timeouts). */
        Map<String, String> common();

        /** Extra consumer properties, applied after the writer's own. */
        Map<String, String> consumer();

        /** Extra producer properties, applied after the writer's own. */
        Map<String, String> producer();
    }

    interface Cassandra {
        /** {@code host:port} list. */
        List<String> contactPoints();

        /** The driver's local datacenter; on Cosmos DB the region, e.g. {@code West Europe}. */
        String localDatacenter();

        @WithDefault("retail")
        String keyspace();

        Optional<String> username();

        Optional<String> password();

        /** TLS to the nodes (Cosmos DB: always, port 10350). */
        @WithDefault("false")
        boolean ssl();

        @WithDefault("true")
        boolean sslHostnameValidation();

        /** Consistency of every read and write. */
        @WithDefault("LOCAL_QUORUM")
        String consistency();

        /** Requests in flight at once; the writer pauses the consumer while they are all taken. */
        @WithDefault("128")
        int maxInFlight();

        /**
         * Statements per single-partition unlogged batch. Apache Cassandra applies a single-partition batch as one
         * mutation and exempts it from its batch size thresholds, so fewer, larger batches cost it less; Cosmos DB
         * has its own batch limits (its profile sets 40 statements, 32,000 bytes).
         */
        @WithDefault("100")
        int maxBatchStatements();

        /** Approximate payload bytes per batch, kept below the server's batch size limits. */
        @WithDefault("64000")
        int maxBatchBytes();

        /**
         * Write {@code events_by_aggregate} and {@code event_ids_by_aggregate} rows of one aggregate in the same
         * batch (same partition key, one mutation on Apache Cassandra). Off on Cosmos DB, where every table is its
         * own container: there each batch holds one table.
         */
        @WithDefault("true")
        boolean combineEventTables();

        /**
         * Aggregates whose stored event ids one query reads when their contexts are loaded ({@code aggregate_id IN
         * (...) PER PARTITION LIMIT}): most aggregates of a poll that are not cached are new, and one request per
         * aggregate would cost more than the writes of their events. 1 = one single-partition query per aggregate
         * (Cosmos DB, where every partition is a separate charge anyway).
         */
        @WithDefault("50")
        int readPartitionsPerQuery();

        Schema schema();

        /** Any other driver option by its path, e.g. {@code advanced.metadata.token-map.enabled=false}. */
        Map<String, String> driver();
    }

    interface Schema {
        /** Apply the versioned CQL files at start (local, test); off where Terraform owns the tables. */
        @WithDefault("true")
        boolean apply();

        /** Class-path folder of the CQL files. */
        @WithDefault("retail/cassandra")
        String location();

        /** The files, applied in this order; each statement is idempotent. */
        @WithDefault("V001__event_store.cql,V002__event_outcome.cql,V003__order_state_by_aggregate.cql")
        List<String> files();

        /** Replication of the keyspace, when the applier creates it. */
        @WithDefault("{'class': 'SimpleStrategy', 'replication_factor': 1}")
        String replication();
    }

    interface Processing {
        /** First delay after a failed write; doubles up to {@link #maxBackoff()}, with jitter. */
        @WithDefault("100ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();

        /** Aggregates whose state the writer keeps in memory (for the partitions it owns). */
        @WithDefault("50000")
        int cachedAggregates();

        /**
         * Aggregates with up to this many stored events keep all their event ids in memory (read once); larger ones
         * look up only the ids of each poll.
         */
        @WithDefault("512")
        int idIndexLimit();

        /**
         * Polls in flight at once: the next poll is decoded, folded and its event rows written while the previous
         * one's state rows, publish and commit complete. 1 = strictly one poll after the other.
         */
        @WithDefault("2")
        int pipelineDepth();

        /** How long shutdown waits for the in-flight batch. */
        @WithDefault("20s")
        Duration shutdownTimeout();
    }

    interface Health {
        /** Not ready when the poll loop has not turned, or one batch has not finished, for this long. */
        @WithDefault("60s")
        Duration stuckAfter();

        /** Timeout of the readiness probe's Cassandra query. */
        @WithDefault("3s")
        Duration cassandraTimeout();
    }
}
