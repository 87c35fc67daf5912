package io.retailstack.demo.pipeline;

import io.retailstack.demo.pipeline.DemoResult.CacheCall;
import io.retailstack.demo.probe.BiProbe;
import io.retailstack.demo.probe.CassandraProbe;
import io.retailstack.demo.probe.KafkaProbe;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.EventType;
import io.retailstack.localstack.LocalStack;
import io.retailstack.localstack.StackEndpoints;
import io.retailstack.localstack.engine.PortAllocator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The main job, step by step: engines up, services up, generate, wait until every valid event is stored and every
 * malformed record is dead-lettered, enrich once, then ask the cache API and the star schema. Closing the runner stops
 * the services it started (and the engines, when asked to).
 */
public final class PipelineRunner implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final RepoLayout layout;
    private final DemoSettings settings;
    private final String topicPrefix;
    private final String database;
    private final Consumer<String> say;
    private final boolean pinEngines;
    private final List<ServiceProcess> services = new CopyOnWriteArrayList<>();
    private final LocalStack stack = LocalStack.fromEnvironment();

    /**
     * @param topicPrefix prefix of the run's topics ("" for the standard names)
     * @param database PostgreSQL database of the run's star schema
     * @param say where progress lines go
     * @param pinEngines keep the engines up after this JVM exits (the CLI); tests only lease them
     */
    public PipelineRunner(
            RepoLayout layout,
            DemoSettings settings,
            String topicPrefix,
            String database,
            Consumer<String> say,
            boolean pinEngines) {
        this.layout = layout;
        this.settings = settings;
        this.topicPrefix = topicPrefix;
        this.database = database;
        this.say = say;
        this.pinEngines = pinEngines;
    }

    public DemoResult run() throws Exception {
        Map<String, Duration> timings = new LinkedHashMap<>();
        Path work = Files.createDirectories(settings.reportDir());

        long t = System.nanoTime();
        if (pinEngines) {
            stack.pin(); // the engines outlive this JVM, until `local-stack/bin/stack down`
        }
        StackEndpoints endpoints = stack.ensureUp();
        timings.put("engines up", since(t));
        say.accept("engines up: " + endpoints);

        t = System.nanoTime();
        String serverUrl =
                "jdbc:postgresql://" + endpoints.postgresHost() + ":" + endpoints.postgresPort() + "/postgres";
        BiProbe.createDatabaseIfMissing(serverUrl, endpoints.postgresPassword(), database, endpoints.postgresUser());
        String jdbcUrl =
                "jdbc:postgresql://" + endpoints.postgresHost() + ":" + endpoints.postgresPort() + "/" + database;
        StackEndpoints runEndpoints = new StackEndpoints(
                endpoints.kafkaBootstrapServers(),
                endpoints.cassandraHost(),
                endpoints.cassandraPort(),
                endpoints.cassandraLocalDatacenter(),
                endpoints.postgresHost(),
                endpoints.postgresPort(),
                database,
                endpoints.postgresUser(),
                endpoints.postgresPassword(),
                endpoints.redisHost(),
                endpoints.redisPort());
        ServiceConfigs.Topics topics = ServiceConfigs.Topics.withPrefix(topicPrefix);
        ServiceConfigs configs = new ServiceConfigs(
                runEndpoints, topics, settings.keyspace(), GeneratorRun.writeBlocklist(layout, settings, work));
        Path logs = work.resolve("logs");
        ServiceProcess writer = start("event-writer", settings.writerPort(), configs.writer(), logs);
        ServiceProcess ingest = start("ingest-service", settings.ingestPort(), configs.ingest(), logs);
        ServiceProcess cache = start("cache-service", settings.cachePort(), configs.cache(), logs);
        for (ServiceProcess s : List.of(writer, ingest, cache)) {
            s.awaitReady(READY_TIMEOUT);
            say.accept(s.name() + " ready at " + s.url() + " (pid " + s.pid() + ", log " + s.log() + ")");
        }
        timings.put("services up", since(t));

        try (KafkaProbe kafka = new KafkaProbe(endpoints.kafkaBootstrapServers());
                CassandraProbe cassandra = new CassandraProbe(endpoints, settings.keyspace())) {
            Map<TopicPartition, Long> eventsBefore = kafka.endOffsets(topics.events());
            Map<TopicPartition, Long> dlqBefore = kafka.endOffsets(topics.dlq());

            t = System.nanoTime();
            say.accept("generating " + settings.orders() + " orders (seed " + settings.seed() + ") to " + topics.raw());
            GeneratorRun generated =
                    GeneratorRun.runTo(layout, settings, endpoints.kafkaBootstrapServers(), topics.raw(), work);
            timings.put("generate + send", since(t));
            long malformed = generated.summary().path("malformed").asLong();

            t = System.nanoTime();
            Map<AggregateKey, Set<String>> expected = expectedIds(generated.events());
            long[] stored = awaitStored(cassandra, expected, Duration.ofMinutes(5));
            long deadLettered = awaitCount(kafka, topics.dlq(), dlqBefore, malformed, Duration.ofMinutes(2));
            long ingested = KafkaProbe.count(eventsBefore, kafka.endOffsets(topics.events()));
            timings.put("ingest + store", since(t));
            say.accept("stored " + stored[0] + " of " + generated.events().size() + " valid events, " + deadLettered
                    + " records dead-lettered");

            t = System.nanoTime();
            requireFree("batch-enricher", settings.enricherPort());
            ServiceProcess enrich = ServiceProcess.start(
                    "batch-enricher",
                    layout.serviceJar("batch-enricher"),
                    settings.enricherPort(),
                    configs.enricher(),
                    List.of("run"),
                    logs);
            int enrichExit = enrich.awaitExit(Duration.ofMinutes(10));
            timings.put("enrich", since(t));
            say.accept("enrichment finished with exit code " + enrichExit + " (log " + enrich.log() + ")");

            List<String> orderIds = new ArrayList<>();
            generated.summary().path("orderIds").forEach(n -> orderIds.add(n.asText()));
            List<CacheCall> calls = cacheCalls(cache.url(), orderIds, generated.events());
            DemoResult.BiAnswers bi =
                    new BiProbe(jdbcUrl, endpoints.postgresUser(), endpoints.postgresPassword()).answers(orderIds);

            Map<String, String> urls = new LinkedHashMap<>();
            urls.put("ingest API", ingest.url() + "/v1/events");
            urls.put("cache API", cache.url() + "/v1/orders/{orderId}");
            urls.put("event-writer health", writer.url() + "/q/health");
            urls.put("PostgreSQL (BI)", jdbcUrl + " user " + endpoints.postgresUser());
            return new DemoResult(
                    generated.summary(),
                    generated.events().size(),
                    ingested,
                    stored[0],
                    stored[1],
                    deadLettered,
                    enrichExit,
                    calls,
                    bi,
                    timings,
                    urls);
        }
    }

    private ServiceProcess start(String module, int port, Map<String, String> config, Path logs) throws IOException {
        requireFree(module, port);
        ServiceProcess process = ServiceProcess.start(module, layout.serviceJar(module), port, config, List.of(), logs);
        services.add(process);
        return process;
    }

    /**
     * Fails when something already listens on a service's port: another demo still running, or a service started by
     * hand. Its readiness endpoint would answer for ours, and the demo would measure a stranger.
     */
    private static void requireFree(String module, int port) {
        if (!PortAllocator.bindable(port)) {
            throw new IllegalStateException("port " + port + " for " + module
                    + " is in use (another demo or a service still running?); stop it or choose --base-port");
        }
    }

    private static Map<AggregateKey, Set<String>> expectedIds(List<CloudEvent> events) {
        Map<AggregateKey, Set<String>> ids = new LinkedHashMap<>();
        for (CloudEvent e : events) {
            ids.computeIfAbsent(e.aggregateKey(), k -> new LinkedHashSet<>()).add(e.id());
        }
        return ids;
    }

    /** Polls the event store until every expected event is there; returns {stored, duplicates}. */
    private long[] awaitStored(CassandraProbe cassandra, Map<AggregateKey, Set<String>> expected, Duration timeout)
            throws InterruptedException {
        long total = expected.values().stream().mapToLong(Set::size).sum();
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<AggregateKey, Set<String>> missing = new HashMap<>(expected);
        long duplicates = 0;
        long lastReport = 0;
        while (true) {
            duplicates = 0;
            for (var it = missing.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                List<String> ids = cassandra.events(entry.getKey()).stream()
                        .map(CassandraProbe.StoredEvent::eventId)
                        .toList();
                duplicates += ids.size() - new HashSet<>(ids).size();
                if (new HashSet<>(ids).containsAll(entry.getValue())) {
                    it.remove();
                }
            }
            long stored = total - missing.values().stream().mapToLong(Set::size).sum();
            if (missing.isEmpty() || System.nanoTime() > deadline) {
                return new long[] {stored, duplicates};
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(2)) {
                say.accept("  waiting for the event store: " + missing.size() + " aggregates incomplete");
                lastReport = System.nanoTime();
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    private static long awaitCount(
            KafkaProbe kafka, String topic, Map<TopicPartition, Long> before, long expected, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long n;
        do {
            n = KafkaProbe.count(before, kafka.endOffsets(topic));
            if (n >= expected) {
                return n;
            }
            TimeUnit.MILLISECONDS.sleep(300);
        } while (System.nanoTime() < deadline);
        return n;
    }

    private static List<CacheCall> cacheCalls(String baseUrl, List<String> orderIds, List<CloudEvent> events)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        List<String> paths = new ArrayList<>();
        for (String id : orderIds.subList(0, Math.min(2, orderIds.size()))) {
            paths.add("/v1/orders/" + id);
            paths.add("/v1/orders/" + id); // the second call shows the hit
        }
        events.stream()
                .filter(e -> e.type() == EventType.INVENTORY_RESERVED)
                .findFirst()
                .ifPresent(e -> paths.add("/v1/inventory/" + e.aggregateKey().sku()));
        paths.add("/v1/orders/NO-SUCH-ORDER");
        List<CacheCall> calls = new ArrayList<>();
        for (String path : paths) {
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + path)).build(), HttpResponse.BodyHandlers.ofString());
            long micros = (System.nanoTime() - t) / 1000;
            calls.add(new CacheCall(
                    path, r.statusCode(), r.headers().firstValue("X-Cache").orElse("-"), micros, r.body()));
        }
        return calls;
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Stops the services; stops the engines too when the settings say so or {@code stopEngines} is set (Ctrl-C). */
    public void shutdown(boolean stopEngines) {
        for (ServiceProcess s : services) {
            s.close();
        }
        services.clear();
        if (stopEngines || settings.stopAtEnd()) {
            stack.unpin();
            stack.stop();
        } else {
            stack.release(); // a pin, if any, keeps them up
        }
    }

    /**
     * After a failed run: stops the services, and lets the engines go. The pin of a run that was to keep them up is
     * dropped, so the supervisor's idle timeout stops them once nothing uses them; nobody is left to press Ctrl-C.
     */
    public void shutdownAfterFailure() {
        shutdown(false);
        if (pinEngines) {
            stack.unpin();
        }
    }

    @Override
    public void close() {
        shutdown(false);
    }
}
