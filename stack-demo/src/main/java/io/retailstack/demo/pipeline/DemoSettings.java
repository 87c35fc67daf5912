package io.retailstack.demo.pipeline;

import java.nio.file.Path;

/**
 * What one demo run does.
 *
 * @param orders orders to generate
 * @param seed workload seed (same seed, same events)
 * @param fraudShare share of orders from blocklisted IPs
 * @param malformedShare share of malformed records
 * @param reportDir where the HTML report and the run's files go
 * @param basePort first of four consecutive HTTP ports (ingest, writer, enricher, cache)
 * @param keyspace Cassandra keyspace of the run
 * @param stopAtEnd stop the services and the engines when done
 */
public record DemoSettings(
        int orders,
        long seed,
        double fraudShare,
        double malformedShare,
        Path reportDir,
        int basePort,
        String keyspace,
        boolean stopAtEnd) {

    public int ingestPort() {
        return basePort;
    }

    public int writerPort() {
        return basePort + 1;
    }

    public int enricherPort() {
        return basePort + 2;
    }

    public int cachePort() {
        return basePort + 3;
    }
}
