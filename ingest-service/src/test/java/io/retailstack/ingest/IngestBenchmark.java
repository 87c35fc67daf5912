package io.retailstack.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.ingest.messaging.EventPublisher;
import io.retailstack.ingest.messaging.KafkaClientFactory;
import io.retailstack.ingest.support.TestEvents;
import io.retailstack.ingest.support.TestTokens;
import io.retailstack.localstack.bench.ThreadGroupCpu;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Run with {@code ./mvnw -B verify -Pbenchmark -pl ingest-service}. Loopback only, bounded loops.
 *
 * <ol>
 *   <li>Throughput: HTTP batches (500 events each, 16 concurrent clients) against a plain KafkaProducer with the very
 *       same settings (built by the same factory) sending the very same records. The ratio says what the HTTP layer,
 *       decoding, validation and per-request acknowledgement cost.
 *   <li>Latency: single-event POSTs at a fixed rate, measured from their scheduled start (no coordinated omission).
 * </ol>
 *
 * <p>Rounds of 300,000 events, after warm-up rounds until the JIT compiler is quiet (see {@link #benchmark}). The table
 * splits the CPU per event by thread role (from {@code /proc/self/task}), so it says where the HTTP path spends what
 * the raw producer does not. It also says how many cores this JVM kept busy on each side and how busy the raw
 * producer's one calling thread was: near 100 % the raw rate is bound by that thread, not by the machine. Options:
 * {@code -Dbench.rounds=N}, {@code -Dbench.clients=N}, {@code -Dbench.max-warmup=N}; to see how both sides scale with
 * cores, run the same command under {@code taskset -c 0} (the JVM on one core).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class IngestBenchmark {

    private static final int BATCH = 500;
    private static final int BATCHES = 600;
    private static final int CLIENTS = Integer.getInteger("bench.clients", 16);
    private static final int RATE_PER_SECOND = 50;
    private static final int LATENCY_REQUESTS = 500;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    /** Warm-up ends once the JIT compiler threads took at most this share of an HTTP round's CPU. */
    private static final double MAX_JIT_SHARE = 0.02;

    private static final int MIN_WARM_UP_ROUNDS = 5;
    private static final int MAX_WARM_UP_ROUNDS = Integer.getInteger("bench.max-warmup", 50);
    private static final String JIT = ThreadGroupCpu.JIT_COMPILER.name();
    private static final String RAW_CALLER = "main thread (raw producer's caller)";

    @TestHTTPResource("/v1/events")
    URL url;

    @Inject
    KafkaClientFactory clients;

    private final EventCodec codec = new EventCodec();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String token = TestTokens.withRoles("ingest");
    private final ThreadGroupCpu threads = new ThreadGroupCpu(List.of(
            new ThreadGroupCpu.Role("server request threads", List.of("executor-thread")),
            new ThreadGroupCpu.Role("server HTTP event loop", List.of("vert.x-eventloo")),
            new ThreadGroupCpu.Role("Kafka producer I/O", List.of("kafka-producer-")),
            // the JVM's main thread keeps the launcher's name for the kernel
            new ThreadGroupCpu.Role(RAW_CALLER, List.of("java")),
            new ThreadGroupCpu.Role("load generator (JDK HttpClient)", List.of("HttpClient-", "pool-")),
            ThreadGroupCpu.JIT_COMPILER,
            new ThreadGroupCpu.Role("GC", List.of("GC Thread", "G1 "))));

    @Test
    void benchmark() throws Exception {
        // Warm-up until the JIT compiler is done, not for a fixed count: with 500-event requests the per-request code
        // (HTTP parsing, dispatch, JWT, the client) keeps being compiled for 20-30 rounds, and the compiler threads
        // took 1.0-1.5 us of CPU per event after 5 or 15 rounds. Both sides warm alike, round by round.
        int warmUpRounds = 0;
        double jitShare = 1;
        while (warmUpRounds < MAX_WARM_UP_ROUNDS && (warmUpRounds < MIN_WARM_UP_ROUNDS || jitShare > MAX_JIT_SHARE)) {
            Map<String, Long> httpByRole = new LinkedHashMap<>();
            httpThroughput(newBatches("warm-http", BATCHES), httpByRole);
            rawThroughput(records(newBatches("warm-raw", BATCHES)), new LinkedHashMap<>());
            long total = httpByRole.values().stream().mapToLong(Long::longValue).sum();
            jitShare = (double) httpByRole.getOrDefault(JIT, 0L) / Math.max(1, total);
            warmUpRounds++;
        }
        // Alternate the two so machine noise (the cores are shared) hits both alike; report the median.
        double[] httpRuns = new double[ROUNDS];
        double[] rawRuns = new double[ROUNDS];
        long httpCpu = 0;
        long rawCpu = 0;
        Map<String, Long> httpByRole = new LinkedHashMap<>();
        Map<String, Long> rawByRole = new LinkedHashMap<>();
        for (int i = 0; i < ROUNDS; i++) {
            List<List<String>> httpBatches = newBatches("http-" + i, BATCHES);
            long cpu = processCpuNanos();
            httpRuns[i] = httpThroughput(httpBatches, httpByRole);
            httpCpu += processCpuNanos() - cpu;
            // the records are built before the CPU window: it measures sending them, as the HTTP window measures
            // receiving, checking and sending
            List<ProducerRecord<byte[], byte[]>> rawRecords = records(newBatches("raw-" + i, BATCHES));
            cpu = processCpuNanos();
            rawRuns[i] = rawThroughput(rawRecords, rawByRole);
            rawCpu += processCpuNanos() - cpu;
        }
        double events = (double) ROUNDS * BATCHES * BATCH;
        double httpMedian = median(httpRuns);
        double rawMedian = median(rawRuns);
        // Wall time of the timed runs, to say how many cores each side kept busy and how close the raw producer's one
        // calling thread is to a whole core: at 100 % the raw rate cannot grow with more cores, the HTTP side's can.
        double httpSeconds =
                Arrays.stream(httpRuns).map(rate -> BATCHES * BATCH / rate).sum();
        double rawSeconds =
                Arrays.stream(rawRuns).map(rate -> BATCHES * BATCH / rate).sum();
        double rawCallerBusy = rawByRole.getOrDefault(RAW_CALLER, 0L) / 1e9 / rawSeconds;

        long[] latencies = singleEventLatencies();
        double p50 = percentile(latencies, 0.50) / 1e6;
        double p99 = percentile(latencies, 0.99) / 1e6;
        double max = latencies[latencies.length - 1] / 1e6;

        List<String> byRole = new ArrayList<>();
        httpByRole.forEach((role, nanos) -> byRole.add(row(
                "  " + role,
                String.format(Locale.ROOT, "%.2f / %.2f", nanos / events / 1e3, rawByRole.get(role) / events / 1e3))));
        String table = String.join(
                System.lineSeparator(),
                "",
                "================ ingest-service benchmark (loopback, local Kafka, acks=all) ================",
                String.format(Locale.ROOT, "| %-52s | %22s |", "measure", "value"),
                String.format(Locale.ROOT, "|%s|%s|", "-".repeat(54), "-".repeat(24)),
                row("HTTP batch ingest, events/s (median of " + ROUNDS + ")", fmt(httpMedian)),
                row("raw KafkaProducer, same records, events/s (median)", fmt(rawMedian)),
                row("ratio HTTP / raw producer", String.format(Locale.ROOT, "%.2f", httpMedian / rawMedian)),
                row("HTTP runs, events/s", join(httpRuns)),
                row("raw producer runs, events/s", join(rawRuns)),
                row(
                        "CPU per event, HTTP (server + client), us",
                        String.format(Locale.ROOT, "%.1f", httpCpu / events / 1e3)),
                row("CPU per event, raw producer, us", String.format(Locale.ROOT, "%.1f", rawCpu / events / 1e3)),
                row(
                        "cores this JVM kept busy: HTTP / raw",
                        String.format(
                                Locale.ROOT, "%.2f / %.2f", httpCpu / 1e9 / httpSeconds, rawCpu / 1e9 / rawSeconds)),
                row(
                        "raw producer's calling thread busy, % of its runs",
                        String.format(Locale.ROOT, "%.0f %%", rawCallerBusy * 100)),
                row("CPU per event by thread role, us: HTTP / raw", ""),
                String.join(System.lineSeparator(), byRole),
                row("single-event POST at " + RATE_PER_SECOND + "/s, p50 ms", String.format(Locale.ROOT, "%.2f", p50)),
                row("single-event POST at " + RATE_PER_SECOND + "/s, p99 ms", String.format(Locale.ROOT, "%.2f", p99)),
                row("single-event POST at " + RATE_PER_SECOND + "/s, max ms", String.format(Locale.ROOT, "%.2f", max)),
                String.format(
                        Locale.ROOT,
                        "(%d batches x %d events, %d clients; %d single POSTs; %d warm-up rounds, the last with %.1f %%"
                                + " of its CPU in the JIT compiler)",
                        BATCHES,
                        BATCH,
                        CLIENTS,
                        LATENCY_REQUESTS,
                        warmUpRounds,
                        jitShare * 100),
                "");
        System.out.println(table);
        assertThat(httpMedian).isPositive();
    }

    private static String row(String name, String value) {
        return String.format(Locale.ROOT, "| %-52s | %22s |", name, value);
    }

    /** CPU time of this whole JVM (server, load generator and Kafka client threads alike). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String join(double[] values) {
        return Arrays.stream(values).mapToObj(IngestBenchmark::fmt).collect(java.util.stream.Collectors.joining(" "));
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    /** Batches of valid structured events, as JSON array text. */
    private static List<List<String>> newBatches(String label, int count) {
        List<List<String>> batches = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            List<String> events = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                String id = TestEvents.newId("bench-" + label);
                events.add(
                        i % 2 == 0
                                ? TestEvents.placed(id, "ORD-" + id)
                                : TestEvents.received(id, "SKU-" + (i % 97), "LOC-" + (b % 7), 1 + i % 5));
            }
            batches.add(events);
        }
        return batches;
    }

    /**
     * @param cpuByRole gets the CPU time per thread role of the run added, measured before the client threads end
     */
    private double httpThroughput(List<List<String>> batches, Map<String, Long> cpuByRole) throws Exception {
        List<byte[]> bodies = batches.stream()
                .map(b -> TestEvents.batch(b).getBytes(StandardCharsets.UTF_8))
                .toList();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            Map<Long, Long> threadsBefore = threads.snapshot();
            long start = System.nanoTime();
            List<Future<Integer>> results = new ArrayList<>();
            for (byte[] body : bodies) {
                results.add(pool.submit(() -> post(body, CloudEvent.BATCH_CONTENT_TYPE)));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(2, TimeUnit.MINUTES)).isEqualTo(202);
            }
            long elapsed = System.nanoTime() - start;
            threads.since(threadsBefore).forEach((role, nanos) -> cpuByRole.merge(role, nanos, Long::sum));
            return (double) bodies.size() * BATCH / (elapsed / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The records ingest would write for these events. */
    private List<ProducerRecord<byte[], byte[]>> records(List<List<String>> batches) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (List<String> batch : batches) {
            for (String json : batch) {
                CloudEvent event = codec.decode(json.getBytes(StandardCharsets.UTF_8));
                RecordHeaders headers = new RecordHeaders();
                headers.add(EventPublisher.HEADER_ID, utf8(event.id()));
                headers.add(EventPublisher.HEADER_TYPE, utf8(event.type().type()));
                headers.add(EventPublisher.HEADER_CONTENT_TYPE, utf8(CloudEvent.STRUCTURED_CONTENT_TYPE));
                records.add(new ProducerRecord<>(
                        "test.retail.events",
                        null,
                        utf8(event.aggregateKey().kafkaKey()),
                        codec.encode(event),
                        headers));
            }
        }
        return records;
    }

    /**
     * The records sent by a producer with the same settings as the service's, all acknowledged.
     *
     * @param cpuByRole gets the CPU time per thread role of the run added, measured before the producer's I/O thread
     *     ends
     */
    private double rawThroughput(List<ProducerRecord<byte[], byte[]>> records, Map<String, Long> cpuByRole)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = clients.producer("ingest-benchmark-raw")) {
            Map<Long, Long> threadsBefore = threads.snapshot();
            long start = System.nanoTime();
            List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> record : records) {
                acks.add(producer.send(record));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(2, TimeUnit.MINUTES);
            }
            long elapsed = System.nanoTime() - start;
            threads.since(threadsBefore).forEach((role, nanos) -> cpuByRole.merge(role, nanos, Long::sum));
            return records.size() / (elapsed / 1e9);
        }
    }

    /** Single-event POSTs scheduled at a fixed rate; latency from the scheduled start, sorted. */
    private long[] singleEventLatencies() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < LATENCY_REQUESTS; i++) {
            String id = TestEvents.newId("bench-latency");
            events.add(TestEvents.placed(id, "ORD-" + id));
        }
        long interval = 1_000_000_000L / RATE_PER_SECOND;
        long[] latencies = new long[LATENCY_REQUESTS];
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < LATENCY_REQUESTS; i++) {
                long scheduled = start + i * interval;
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing the load generator, not waiting for a result
                }
                int index = i;
                byte[] body = events.get(i).getBytes(StandardCharsets.UTF_8);
                done.add(pool.submit(() -> {
                    int status = post(body, CloudEvent.STRUCTURED_CONTENT_TYPE);
                    latencies[index] = System.nanoTime() - scheduled;
                    assertThat(status).isEqualTo(202);
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private int post(byte[] body, String contentType) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url.toString()))
                .header("Content-Type", contentType)
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
