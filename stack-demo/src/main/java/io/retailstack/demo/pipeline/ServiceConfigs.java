package io.retailstack.demo.pipeline;

import io.retailstack.localstack.StackEndpoints;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration each packaged service gets in the demo: the {@code local} profile plus the endpoints of the local
 * stack, the run's keyspace and the run's topics. Only what differs from each service's defaults is set.
 *
 * @param endpoints where the engines listen
 * @param topics the run's topic names
 * @param keyspace the run's Cassandra keyspace
 * @param blocklist the fraud blocklist file ingest watches
 */
public record ServiceConfigs(StackEndpoints endpoints, Topics topics, String keyspace, Path blocklist) {

    /** The topic names of one run; a prefix keeps a test's run apart from anything else on the same broker. */
    public record Topics(String raw, String events, String dlq, String state) {
        public static Topics withPrefix(String prefix) {
            return new Topics(
                    prefix + "retail.events.raw",
                    prefix + "retail.events",
                    prefix + "retail.events.dlq",
                    prefix + "retail.state");
        }
    }

    private Map<String, String> common() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("quarkus.profile", "local");
        c.put("kafka.bootstrap.servers", endpoints.kafkaBootstrapServers());
        c.put("quarkus.log.console.json", "false");
        return c;
    }

    public Map<String, String> ingest() {
        Map<String, String> c = common();
        c.put("ingest.auth.enabled", "false");
        c.put("ingest.topics.create", "true");
        c.put("ingest.topics.raw", topics.raw());
        c.put("ingest.topics.events", topics.events());
        c.put("ingest.topics.dlq", topics.dlq());
        c.put("ingest.raw.group-id", "demo-ingest-" + keyspace);
        c.put("ingest.fraud.blocklist-path", blocklist.toString());
        return c;
    }

    public Map<String, String> writer() {
        Map<String, String> c = common();
        c.put("event-writer.kafka.bootstrap-servers", endpoints.kafkaBootstrapServers());
        c.put("event-writer.kafka.topic", topics.events());
        c.put("event-writer.kafka.state-topic", topics.state());
        c.put("event-writer.kafka.dlq-topic", topics.dlq());
        c.put("event-writer.kafka.group-id", "demo-writer-" + keyspace);
        c.put("event-writer.kafka.create-topics", "true");
        c.put("event-writer.cassandra.contact-points", endpoints.cassandraContactPoint());
        c.put("event-writer.cassandra.local-datacenter", endpoints.cassandraLocalDatacenter());
        c.put("event-writer.cassandra.keyspace", keyspace);
        return c;
    }

    public Map<String, String> cache() {
        Map<String, String> c = common();
        c.put("cache.redis.hosts", endpoints.redisHost() + ":" + endpoints.redisPort());
        c.put("cache.cassandra.contact-points", endpoints.cassandraContactPoint());
        c.put("cache.cassandra.local-datacenter", endpoints.cassandraLocalDatacenter());
        c.put("cache.cassandra.keyspace", keyspace);
        c.put("cache.state.bootstrap-servers", endpoints.kafkaBootstrapServers());
        c.put("cache.state.topic", topics.state());
        c.put("cache.state.group-id", "demo-cache-" + keyspace);
        c.put("cache.state.auto-offset-reset", "earliest");
        return c;
    }

    public Map<String, String> enricher() {
        Map<String, String> c = common();
        c.put("quarkus.datasource.jdbc.url", endpoints.postgresJdbcUrl());
        c.put("quarkus.datasource.username", endpoints.postgresUser());
        c.put("quarkus.datasource.password", endpoints.postgresPassword());
        c.put("enricher.cassandra.contact-points", endpoints.cassandraContactPoint());
        c.put("enricher.cassandra.local-datacenter", endpoints.cassandraLocalDatacenter());
        c.put("enricher.cassandra.keyspace", keyspace);
        return c;
    }
}
