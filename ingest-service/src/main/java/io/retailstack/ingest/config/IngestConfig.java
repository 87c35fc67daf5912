package io.retailstack.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything ingest-service can be told, under the prefix {@code ingest}.
 *
 * <p>Kafka client settings shared by every client (bootstrap servers, SASL/TLS for Event Hubs, timeouts) are the
 * standard Quarkus {@code kafka.*} properties; this interface holds what is specific to this service.
 */
@ConfigMapping(prefix = "ingest")
public interface IngestConfig {

    /** Topics read and written. */
    Topics topics();

    /** Producer settings that the "202 only after the broker acknowledged" contract depends on. */
    Producer producer();

    /** The consumer of the raw topic. */
    RawIntake raw();

    /** Limits of the HTTP intake. */
    Http http();

    /** Bearer-token authentication of the HTTP API. */
    Auth auth();

    /** Screening of order events against a blocklist of client IPs. */
    Fraud fraud();

    /** Readiness check of the Kafka cluster. */
    Health health();

    /** Topic names and topic creation. */
    interface Topics {

        /** Validated events, keyed by aggregate; what every downstream service reads. */
        @WithDefault("retail.events")
        String events();

        /** Raw events from Kafka producers (POS, partners, generator), not yet validated. */
        @WithDefault("retail.events.raw")
        String raw();

        /** Raw records that failed decoding or validation, unchanged, with the reason in headers. */
        @WithDefault("retail.events.dlq")
        String dlq();

        /**
         * Create the three topics at start (local stack). Off where the platform owns topics (Event Hubs, where
         * Terraform creates them).
         */
        @WithDefault("false")
        boolean create();

        /** Partitions of topics created at start. */
        @WithDefault("3")
        int partitions();

        /** Replication factor of topics created at start; -1 takes the broker default. */
        @WithDefault("-1")
        short replicationFactor();
    }

    /** Producer settings. */
    interface Producer {

        /**
         * How long a send may block waiting for metadata or buffer space ({@code max.block.ms}). Short, so an
         * unreachable broker turns into a 503 quickly.
         */
        @WithDefault("5s")
        Duration maxBlock();

        /**
         * Upper bound on the time between send and acknowledgement, retries included ({@code delivery.timeout.ms}).
         * Must be at least {@code request-timeout + linger}.
         */
        @WithDefault("8s")
        Duration deliveryTimeout();

        /** How long the broker may take to answer one produce request ({@code request.timeout.ms}). */
        @WithDefault("5s")
        Duration requestTimeout();

        /** How long to wait for more records to fill a batch ({@code linger.ms}). */
        @WithDefault("5ms")
        Duration linger();

        /** Largest request the producer sends ({@code max.request.size}); Event Hubs allows at most 1046528 bytes. */
        @WithDefault("1000000")
        int maxRequestSize();

        /** Compression of produced batches ({@code compression.type}). */
        @WithDefault("lz4")
        String compression();

        /** The {@code Retry-After} seconds sent with a 503 when the broker does not acknowledge in time. */
        @WithDefault("5")
        int retryAfterSeconds();
    }

    /** The raw-topic consumer. */
    interface RawIntake {

        /** Whether to consume the raw topic at all (off for an HTTP-only deployment). */
        @WithDefault("true")
        boolean enabled();

        /** Consumer group of the raw intake; all replicas share it, partitions bound the parallelism. */
        @WithDefault("ingest-service")
        String groupId();

        /** Most records per poll; all of them are produced and acknowledged before the offsets are committed. */
        @WithDefault("500")
        int maxPollRecords();

        /** Pause before polling again after the outputs of a poll could not be acknowledged. */
        @WithDefault("1s")
        Duration retryBackoff();
    }

    /** HTTP intake limits. */
    interface Http {

        /** Most events in one batch request; more is a 413. */
        @WithDefault("500")
        int maxBatchEvents();

        /** Largest request body in bytes; more is a 413. */
        @WithDefault("4194304")
        int maxBodyBytes();

        /**
         * Largest single event in bytes (structured JSON, as it goes to Kafka); more is a 413. Kept below the
         * producer's {@code max.request.size}.
         */
        @WithDefault("262144")
        int maxEventBytes();

        /**
         * Longest wait for the broker's acknowledgements before answering 503. Bounds the response time even where
         * the producer's own delivery timeout is long (Event Hubs). A record acknowledged after the 503 is a
         * duplicate when the client retries, which downstream absorbs by event id.
         */
        @WithDefault("10s")
        Duration ackTimeout();
    }

    /** Authentication. */
    interface Auth {

        /**
         * Require a valid JWT bearer token with {@link #role()} on {@code /v1/*}. On by default; off only in the
         * {@code dev} and {@code local} profiles, for the laptop demo.
         */
        @WithDefault("true")
        boolean enabled();

        /** The role (JWT {@code groups} claim) a caller needs to post events. */
        @WithDefault("ingest")
        String role();

        /**
         * How long a verified token is taken as verified without checking its signature again, never beyond its
         * {@code exp}; {@code 0s} verifies every request. Verifying is most of a single-event request's CPU, and a
         * caller sends the same token for its whole lifetime. The JWKS, which decides which keys verify, is itself
         * refreshed only every {@code smallrye.jwt.jwks.refresh-interval} (60 minutes by default), so this adds at
         * most this long to how late a withdrawn key stops being honoured.
         */
        @WithDefault("60s")
        Duration verifiedTokenTtl();

        /** At most this many verified tokens are kept (least recently used go first). */
        @WithDefault("1000")
        int verifiedTokenCacheSize();
    }

    /** Fraud screening. */
    interface Fraud {

        /**
         * File with one IP address or CIDR range (IPv4 or IPv6) per line, {@code #} starts a comment. Typically a
         * mounted ConfigMap. Absent: nothing is flagged.
         */
        Optional<Path> blocklistPath();

        /** How often the file's modification time is checked; a changed file is reloaded without restart. */
        @WithDefault("10s")
        Duration refreshInterval();

        /** The {@code fraudflag} extension value set on matching orders. */
        @WithDefault("blocklisted-ip")
        String flagValue();
    }

    /** Readiness. */
    interface Health {

        /** Time limit of one cluster check. */
        @WithDefault("3s")
        Duration kafkaTimeout();

        /** How long a check result is reused, so probes do not hammer the brokers. */
        @WithDefault("5s")
        Duration cacheFor();
    }
}
