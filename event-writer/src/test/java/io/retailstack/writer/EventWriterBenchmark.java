package io.retailstack.writer;

import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.localstack.Engine;
import io.retailstack.localstack.LocalStack;
import io.retailstack.localstack.StackEndpoints;
import io.retailstack.localstack.bench.ThreadGroupCpu;
import io.retailstack.localstack.junit.LocalStackExtension;
import io.retailstack.writer.config.WriterConfig;
import io.retailstack.writer.service.EventWriterService;
import io.retailstack.writer.support.StandaloneWriter;
import io.retailstack.writer.support.TestKafka;
import io.retailstack.writer.support.Workload;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Throughput of the writer against the simplest possible Cassandra write, on the same node in the same run, with the
 * same in-flight limit; and end-to-end lag at a steady rate.
 *
 * <ul>
 *   <li><b>raw</b>: prepared single-row async INSERTs of the workload's events into one table shaped like {@code
 *       events_by_aggregate}, {@value #IN_FLIGHT} in flight, right before the writer on the same events;
 *   <li><b>writer</b>: the whole writer (decode, validate, fold, {@code events_by_aggregate} + {@code
 *       event_ids_by_aggregate} + {@code events_by_bucket}, state row, state published to Kafka and acknowledged,
 *       offsets committed) consuming the same events pre-produced to a topic, {@value #IN_FLIGHT} Cassandra requests in
 *       flight, timed from its first batch until every offset is committed;
 *   <li><b>lag</b>: record timestamp to state published, p50/p99, events produced at a steady rate below capacity.
 * </ul>
 *
 * <p>Also prints, per event of each run, the CPU time of the Cassandra server (from /proc; later compactions not
 * included), of this JVM (the raw client, or the whole writer: consumer, driver, producer) and of the Kafka broker,
 * which says where the time goes whatever else runs on the machine: on a shared machine the rates move with the
 * neighbours' load, the CPU per event much less. This JVM's share is also split by thread (the writer's consumer
 * thread or the raw client's calling thread, the driver's I/O threads, GC, the JIT compiler), from /proc.
 *
 * <p>Before the measured rounds, warm-up rounds of the same shape, unmeasured: a JIT warm-up for both sides alike, and
 * for Cassandra. They go on until the JIT compiler threads took at most 3 % of this JVM's CPU in a round (at least
 * {@code -Dbench.warmup=N}, 2; at most {@code -Dbench.max-warmup=N}, 10); each run's line says how much of this JVM's
 * CPU per event was the compiler's.
 *
 * <p>The writer run's end is the moment every offset is committed (checked every 20 ms), but the admin calls that check
 * it are made only once the writer's own counters say every record went through a committed batch (else every 500
 * ms), so that they do not cost this JVM CPU during the run.
 *
 * <p>Measured in rounds (3 by default, {@code -Dbench.rounds=N}): each round runs, per workload, the raw inserts and
 * then the writer on the same fresh events; the table gives every pair and the median ratio per workload.
 *
 * <p>Run: {@code ./mvnw -B verify -Pbenchmark -pl event-writer -am}. {@code -Dbench.quick=true} runs the
 * inventory-heavy workload only, one warm-up and one measured round, and prints a line per round instead of the
 * table; {@code -Dbench.quick=orders} the same with the orders-only workload; {@code -Dbench.sweep=true} replaces the
 * two workloads with four stock-only ones that go from about 1 to about 100 events per position per poll, to show
 * how the ratio depends on coalescing; {@code -Dbench.config=key=value,...} overrides writer settings for experiments.
 */
@ExtendWith(LocalStackExtension.class)
class EventWriterBenchmark {

    private static final Logger LOG = Logger.getLogger(EventWriterBenchmark.class);

    private static final int IN_FLIGHT = 128;
    /** Warm-up ends once the JIT compiler took at most this share of this JVM's CPU over a round. */
    private static final double MAX_JIT_SHARE = 0.03;

    private static final int PARTITIONS = 6;

    /** The raw client's session; its I/O threads are {@code raw-client-io-N}. */
    private static final String RAW_SESSION = "raw-client";

    private static final String JIT = ThreadGroupCpu.JIT_COMPILER.name();

    /** A measured workload. */
    private record Shape(
            String code, String name, String description, int orders, int positions, int movements, long seed) {}

    private static final Shape BUSY = new Shape(
            "a",
            "inventory-heavy",
            "200 stock positions x 450 movements + 2,000 orders, ~99,000 events",
            2_000,
            200,
            450,
            70);
    private static final Shape WIDE = new Shape(
            "b",
            "orders only",
            "22,000 orders of ~4.5 events, about one event per order per poll: nothing coalesces",
            22_000,
            0,
            0,
            80);

    /**
     * Stock positions only, about 100,000 events, with fewer positions and more movements each from one shape to the
     * next: how much coalescing per poll buys. Events of all positions are interleaved at random, so a poll of {@link
     * #POLL_RECORDS} records holds about that many / positions events of each.
     */
    private static final List<Shape> SWEEP = List.of(
            sweepShape("c", 20_000, 5, 90),
            sweepShape("d", 4_000, 25, 91),
            sweepShape("e", 1_000, 100, 92),
            sweepShape("f", 200, 500, 93));

    /** The writer's default {@code kafka.max-poll-records}, which the benchmark does not override. */
    private static final int POLL_RECORDS = 20_000;

    private static Shape sweepShape(String code, int positions, int movements, long seed) {
        return new Shape(
                code,
                String.format(Locale.ROOT, "stock, ~%d per position per poll", POLL_RECORDS / positions),
                String.format(Locale.ROOT, "%,d stock positions x %d movements", positions, movements),
                0,
                positions,
                movements,
                seed);
    }

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String keyspace = "event_writer_bench_" + run;
    private final List<String> table = new ArrayList<>();
    /**
     * Where this JVM's CPU goes, by thread: the driver's I/O threads of either side come first, since the writer's
     * ({@code event-writer-io-N}) would otherwise count as its consumer thread ({@code event-writer}, which also
     * prefixes its retry timers); the raw client's calling thread is the main thread, which the kernel names
     * {@code java}.
     */
    private final ThreadGroupCpu threads = new ThreadGroupCpu(List.of(
            new ThreadGroupCpu.Role("driver I/O", List.of("event-writer-io", RAW_SESSION + "-io")),
            new ThreadGroupCpu.Role("writer thread", List.of("event-writer")),
            new ThreadGroupCpu.Role("raw caller", List.of("java")),
            new ThreadGroupCpu.Role("GC", List.of("GC Thread", "G1 ")),
            ThreadGroupCpu.JIT_COMPILER));

    private long cassandraPid = -1;
    /**
     * Where Cassandra's CPU goes, by thread: requests (Cassandra 5 applies local writes on the native transport
     * threads), memtable flushes and compaction, GC and the JIT compiler. Set once Cassandra's pid is known.
     */
    private ThreadGroupCpu cassandraThreads = new ThreadGroupCpu(List.of());

    private long kafkaPid = -1;

    /**
     * One throughput run; CPU per event of the Cassandra server, of this JVM (the raw client, or the whole writer) and
     * of the Kafka broker, over the timed interval.
     */
    private record Result(
            long events,
            double seconds,
            double rate,
            double cassandraMicrosPerEvent,
            double jvmMicrosPerEvent,
            Map<String, Double> threadMicrosPerEvent,
            Map<String, Double> cassandraThreadMicrosPerEvent,
            double kafkaMicrosPerEvent) {

        double jitMicrosPerEvent() {
            return threadMicrosPerEvent.getOrDefault(JIT, 0.0);
        }

        String threads() {
            return describe(threadMicrosPerEvent);
        }

        String cassandraThreads() {
            return describe(cassandraThreadMicrosPerEvent);
        }

        /** "writer thread 4.3, driver I/O 1.8, ...": the roles that took at least 0.05 µs per event, largest first. */
        private static String describe(Map<String, Double> byRole) {
            return byRole.entrySet().stream()
                    .filter(e -> e.getValue() >= 0.05)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", "));
        }
    }

    private record Lag(int rate, int seconds, double p50, double p99, long count) {}

    @Test
    void benchmark(StackEndpoints stack) throws Exception {
        cassandraPid = LocalStack.fromEnvironment()
                .status()
                .flatMap(s -> s.engine(Engine.CASSANDRA))
                .map(e -> e.pid())
                .orElse(-1L);
        cassandraThreads = new ThreadGroupCpu(
                cassandraPid,
                List.of(
                        new ThreadGroupCpu.Role(
                                "requests",
                                List.of("Native-Transpor", "MutationStage-", "ReadStage-", "epollEventLoop")),
                        new ThreadGroupCpu.Role(
                                "flush, compaction",
                                List.of("CompactionExecu", "PerDiskMemtable", "MemtableFlushWr", "MemtablePostFlu")),
                        new ThreadGroupCpu.Role("GC", List.of("GC Thread", "G1 ")),
                        ThreadGroupCpu.JIT_COMPILER));
        kafkaPid = LocalStack.fromEnvironment()
                .status()
                .flatMap(s -> s.engine(Engine.KAFKA))
                .map(e -> e.pid())
                .orElse(-1L);
        try (TestKafka kafka = new TestKafka(stack.kafkaBootstrapServers());
                CqlSession cql = StandaloneWriter.session(stack, RAW_SESSION)) {
            StandaloneWriter.applySchema(cql, keyspace);
            cql.execute(SimpleStatement.newInstance("CREATE TABLE IF NOT EXISTS " + keyspace + ".raw_events ("
                            + " aggregate_type text, aggregate_id text, seq bigint, event_id text, event_type text,"
                            + " event_time timestamp, recorded_at timestamp, source_partition int, source_offset bigint,"
                            + " flagged boolean, payload text, PRIMARY KEY ((aggregate_type, aggregate_id), seq))")
                    .setTimeout(Duration.ofSeconds(60)));

            String quick = System.getProperty("bench.quick", "");
            boolean sweep = Boolean.getBoolean("bench.sweep");
            List<Shape> shapes =
                    switch (quick) {
                        case "true" -> List.of(BUSY);
                        case "orders" -> List.of(WIDE);
                        default -> sweep ? SWEEP : List.of(BUSY, WIDE);
                    };
            int rounds = Integer.getInteger("bench.rounds", quick.isEmpty() ? 3 : 1);
            int minWarmUp = Integer.getInteger("bench.warmup", quick.isEmpty() ? 2 : 1);
            int maxWarmUp = Integer.getInteger("bench.max-warmup", quick.isEmpty() ? 10 : minWarmUp);

            awaitCassandraIdle();
            // per round and workload, raw inserts of the workload's events, then the writer on the same events (new
            // aggregates every round, so no run meets an earlier run's rows); the ratio of each pair, and the median
            // over the rounds, which a noisy neighbour moves less than any single pair. The first rounds are a
            // warm-up, not measured, and they go on until the JIT compiler is quiet: with two fixed warm-up rounds
            // the compiler was still busy in the measured ones (0.5-2.5 s of compilation per 5 s), and both JVM sides
            // kept getting cheaper per event (raw client 13 -> 6 -> 5.5 µs, writer 21 -> 12 -> 8 µs over three
            // rounds), so an early round measures the JIT, not the steady state a writer runs in.
            Map<Shape, List<Result>> raws = new LinkedHashMap<>();
            Map<Shape, List<Result>> writers = new LinkedHashMap<>();
            Map<Shape, Integer> aggregates = new HashMap<>();
            int warmUps = 0;
            double jitShare = 1;
            int index = 0;
            while (warmUps < minWarmUp || (warmUps < maxWarmUp && jitShare > MAX_JIT_SHARE)) {
                jitShare = round(stack, kafka, cql, shapes, ++index, "WARM-UP " + (++warmUps), null, null, null);
            }
            LOG.infof(
                    "%d warm-up rounds, the last with %.1f %% of this JVM's CPU in the JIT compiler",
                    warmUps, jitShare * 100);
            for (int round = 1; round <= rounds; round++) {
                round(stack, kafka, cql, shapes, ++index, "ROUND " + round, raws, writers, aggregates);
            }
            if (!quick.isEmpty()) {
                return;
            }
            Lag lag = null;
            if (writers.containsKey(BUSY)) {
                double busyRate = median(
                        writers.get(BUSY).stream().mapToDouble(Result::rate).toArray());
                lag = lag(stack, kafka, Math.min(2_000, busyRate / 2));
            }

            String format = "%-64s | %9s | %7s | %9s | %5s | %13s | %24s | %21s | %s";
            row(
                    format,
                    "measurement",
                    "events",
                    "seconds",
                    "events/s",
                    "ratio",
                    "Cassandra CPU",
                    "client JVM CPU (of it JIT)",
                    "Kafka CPU (per event)",
                    "client JVM CPU by thread, µs per event");
            row(
                    "%s",
                    "-".repeat(65) + "|" + "-".repeat(11) + "|" + "-".repeat(9) + "|" + "-".repeat(11) + "|"
                            + "-".repeat(7) + "|" + "-".repeat(15) + "|" + "-".repeat(26) + "|" + "-".repeat(23) + "|"
                            + "-".repeat(40));
            for (Shape shape : shapes) {
                List<Result> r = raws.get(shape);
                List<Result> w = writers.get(shape);
                double[] ratios = new double[r.size()];
                for (int i = 0; i < r.size(); i++) {
                    ratios[i] = w.get(i).rate / r.get(i).rate;
                    line(format, "round " + (i + 1) + " raw: prepared single-row async INSERT, 1 table", r.get(i), "");
                    line(
                            format,
                            "round " + (i + 1) + " writer: 3 tables + state + publish",
                            w.get(i),
                            String.format(Locale.ROOT, "%.2f", ratios[i]));
                }
                row(
                        "%s",
                        String.format(
                                Locale.ROOT,
                                ">> %s (%,d aggregates, %s): median ratio %.2f over %d rounds (min %.2f, max %.2f)",
                                shape.name,
                                aggregates.get(shape),
                                shape.description,
                                median(ratios),
                                ratios.length,
                                Arrays.stream(ratios).min().orElse(0),
                                Arrays.stream(ratios).max().orElse(0)));
                row("%s", "");
            }
            if (lag != null) {
                row(
                        "end-to-end lag (record timestamp -> state published) at %,d events/s for %d s: p50 %.1f ms,"
                                + " p99 %.1f ms (%,d applied events)",
                        lag.rate, lag.seconds, lag.p50, lag.p99, lag.count);
            }
            row(
                    "in-flight limit %d for both; Cassandra %s, Kafka and this JVM on one machine (%d cores, load"
                            + " average %s)",
                    IN_FLIGHT,
                    cql.execute("SELECT release_version FROM system.local")
                            .one()
                            .getString(0),
                    Runtime.getRuntime().availableProcessors(),
                    loadAverage());
            System.out.println();
            System.out.println("EventWriterBenchmark");
            table.forEach(System.out::println);
            System.out.println();
        } finally {
            try (CqlSession cql = StandaloneWriter.session(stack)) {
                cql.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
                        .setTimeout(Duration.ofSeconds(120)));
            }
        }
    }

    /**
     * One round: per workload, fresh events, their raw inserts, then the writer on them. Results go to the maps when
     * given (measured rounds).
     *
     * @return the share of this JVM's CPU the JIT compiler took over the round's timed runs
     */
    private double round(
            StackEndpoints stack,
            TestKafka kafka,
            CqlSession cql,
            List<Shape> shapes,
            int index,
            String label,
            Map<Shape, List<Result>> raws,
            Map<Shape, List<Result>> writers,
            Map<Shape, Integer> aggregates)
            throws InterruptedException {
        double jvm = 0;
        double jit = 0;
        for (Shape shape : shapes) {
            String id = shape.code + index;
            Workload w = Workload.generate(
                    "bench" + run + id, shape.orders, shape.positions, shape.movements, 0.005, shape.seed + index);
            String topic = produce(kafka, "bench." + id + "." + run, w.events);
            Result raw = raw(cql, w.events, "raw" + id);
            Result writer = writer(stack, kafka, topic, w.events.size(), id);
            if (raws != null) {
                aggregates.put(shape, w.expected.size());
                raws.computeIfAbsent(shape, k -> new ArrayList<>()).add(raw);
                writers.computeIfAbsent(shape, k -> new ArrayList<>()).add(writer);
            }
            for (Result r : List.of(raw, writer)) {
                jvm += r.jvmMicrosPerEvent * r.events;
                jit += r.jitMicrosPerEvent() * r.events;
            }
            LOG.infof(
                    "%s %s: raw %.0f/s (Cassandra %.1f us: %s; JVM %.1f us: %s) writer %.0f/s (Cassandra %.1f"
                            + " us: %s; JVM %.1f us: %s; Kafka %.1f us) ratio %.2f",
                    label,
                    shape.name,
                    raw.rate,
                    raw.cassandraMicrosPerEvent,
                    raw.cassandraThreads(),
                    raw.jvmMicrosPerEvent,
                    raw.threads(),
                    writer.rate,
                    writer.cassandraMicrosPerEvent,
                    writer.cassandraThreads(),
                    writer.jvmMicrosPerEvent,
                    writer.threads(),
                    writer.kafkaMicrosPerEvent,
                    writer.rate / raw.rate);
        }
        return jvm <= 0 ? 0 : jit / jvm;
    }

    private String produce(TestKafka kafka, String topic, List<CloudEvent> events) {
        kafka.createTopic(topic, PARTITIONS);
        List<Future<RecordMetadata>> pending = new ArrayList<>(events.size());
        for (CloudEvent e : events) {
            pending.add(kafka.sendAsync(topic, e));
        }
        for (Future<RecordMetadata> f : pending) {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
        return topic;
    }

    /** Single-row prepared inserts of the events, {@link #IN_FLIGHT} at a time. */
    private Result raw(CqlSession cql, List<CloudEvent> events, String tag) throws InterruptedException {
        PreparedStatement insert = cql.prepare("INSERT INTO " + keyspace + ".raw_events (aggregate_type, aggregate_id,"
                + " seq, event_id, event_type, event_time, recorded_at, source_partition, source_offset, flagged,"
                + " payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        EventCodec codec = new EventCodec();
        List<byte[]> payloads = new ArrayList<>(events.size());
        for (CloudEvent e : events) {
            payloads.add(codec.encode(e));
        }
        Map<String, Long> seqs = new HashMap<>();
        Semaphore permits = new Semaphore(IN_FLIGHT);
        CountDownLatch done = new CountDownLatch(events.size());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Instant now = Instant.now();
        long cpu0 = cassandraCpuMicros();
        long jvm0 = jvmCpuMicros();
        Map<Long, Long> threads0 = threads.snapshot();
        Map<Long, Long> cassandraThreads0 = cassandraThreads.snapshot();
        long kafka0 = cpuMicros(kafkaPid);
        long t0 = System.nanoTime();
        for (int i = 0; i < events.size(); i++) {
            CloudEvent e = events.get(i);
            long seq = seqs.merge(e.subject(), 1L, Long::sum);
            permits.acquire();
            cql.executeAsync(insert.boundStatementBuilder()
                            .setString(0, tag)
                            .setString(1, e.aggregateKey().id())
                            .setLong(2, seq)
                            .setString(3, e.id())
                            .setString(4, e.type().type())
                            .setInstant(5, e.time())
                            .setInstant(6, now)
                            .setInt(7, 0)
                            .setLong(8, i)
                            .setBoolean(9, false)
                            .setBytesUnsafe(10, ByteBuffer.wrap(payloads.get(i)))
                            .build())
                    .whenComplete((rs, error) -> {
                        if (error != null) {
                            failure.set(error);
                        }
                        permits.release();
                        done.countDown();
                    });
        }
        done.await(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpu1 = cassandraCpuMicros();
        long jvm1 = jvmCpuMicros();
        Map<String, Double> byThread = threadMicrosPerEvent(threads, threads0, events.size());
        Map<String, Double> cassandraByThread =
                threadMicrosPerEvent(cassandraThreads, cassandraThreads0, events.size());
        long kafka1 = cpuMicros(kafkaPid);
        discard(cql, "raw_events");
        awaitCassandraIdle();
        if (failure.get() != null) {
            throw new IllegalStateException("raw insert failed", failure.get());
        }
        return new Result(
                events.size(),
                seconds,
                events.size() / seconds,
                perEvent(cpu0, cpu1, events.size()),
                perEvent(jvm0, jvm1, events.size()),
                byThread,
                cassandraByThread,
                perEvent(kafka0, kafka1, events.size()));
    }

    private Result writer(StackEndpoints stack, TestKafka kafka, String topic, int events, String tag)
            throws InterruptedException {
        String group = "bench-" + tag + "-" + run;
        EventWriterService writer =
                new EventWriterService(config(stack, topic, group, Map.of()), new SimpleMeterRegistry());
        writer.start();
        try {
            long[] cpuAtFirstBatch = {-1, -1, -1};
            List<Map<Long, Long>> threadsAtFirstBatch = new ArrayList<>();
            long[] lastCheck = {System.nanoTime()};
            await().atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        if (cpuAtFirstBatch[0] == -1 && writer.status().firstBatchNanos() != 0) {
                            cpuAtFirstBatch[0] = cassandraCpuMicros();
                            cpuAtFirstBatch[1] = jvmCpuMicros();
                            threadsAtFirstBatch.add(threads.snapshot());
                            threadsAtFirstBatch.add(cassandraThreads.snapshot());
                            cpuAtFirstBatch[2] = cpuMicros(kafkaPid);
                        }
                        // the admin calls of caughtUp cost CPU in this JVM: only once the writer's own counters
                        // say every record went through a committed batch (the time measured is the same), and
                        // otherwise every 500 ms only
                        if (writer.status().firstBatchNanos() == 0) {
                            return false;
                        }
                        if (recordsThrough(writer) < events && System.nanoTime() - lastCheck[0] < 500_000_000L) {
                            return false;
                        }
                        lastCheck[0] = System.nanoTime();
                        return kafka.caughtUp(group, topic);
                    });
            double seconds = (System.nanoTime() - writer.status().firstBatchNanos()) / 1e9;
            long cpuAtEnd = cassandraCpuMicros();
            long jvmAtEnd = jvmCpuMicros();
            Map<String, Double> byThread = threadMicrosPerEvent(threads, threadsAtFirstBatch.get(0), events);
            Map<String, Double> cassandraByThread =
                    threadMicrosPerEvent(cassandraThreads, threadsAtFirstBatch.get(1), events);
            long kafkaAtEnd = cpuMicros(kafkaPid);
            writer.stop();
            try (CqlSession cql = StandaloneWriter.session(stack)) {
                discard(
                        cql,
                        "events_by_aggregate",
                        "event_ids_by_aggregate",
                        "events_by_bucket",
                        "order_state_by_aggregate",
                        "inventory_state");
            }
            awaitCassandraIdle();
            return new Result(
                    events,
                    seconds,
                    events / seconds,
                    perEvent(cpuAtFirstBatch[0], cpuAtEnd, events),
                    perEvent(cpuAtFirstBatch[1], jvmAtEnd, events),
                    byThread,
                    cassandraByThread,
                    perEvent(cpuAtFirstBatch[2], kafkaAtEnd, events));
        } finally {
            writer.stop();
        }
    }

    /** Records of committed batches so far: stored (applied or ignored) or skipped as duplicates. */
    private static double recordsThrough(EventWriterService writer) {
        MeterRegistry registry = writer.metrics().registry();
        double n = 0;
        for (String name : List.of(
                "event_writer.events.applied", "event_writer.events.ignored", "event_writer.events.duplicate")) {
            n += registry.find(name).counters().stream()
                    .mapToDouble(Counter::count)
                    .sum();
        }
        return n;
    }

    private Lag lag(StackEndpoints stack, TestKafka kafka, double targetRate) throws Exception {
        int rate = (int) Math.max(200, Math.round(targetRate / 100.0) * 100);
        int seconds = 15;
        String topic = "bench.lag." + run;
        kafka.createTopic(topic, PARTITIONS);
        String group = "bench-lag-" + run;
        EventWriterService writer =
                new EventWriterService(config(stack, topic, group, Map.of()), new SimpleMeterRegistry());
        writer.start();
        try {
            Workload w = Workload.generate("bench" + run + "l", 2_000, 200, 600, 0, 9);
            List<CloudEvent> events = w.events.subList(0, Math.min(w.events.size(), rate * seconds));
            await().atMost(Duration.ofMinutes(2)).until(() -> writer.status().running());
            // timing starts only once the group has settled with every partition assigned
            await().atMost(Duration.ofMinutes(1)).until(() -> kafka.assignedPartitions(group) == PARTITIONS);
            long start = System.nanoTime();
            for (int i = 0; i < events.size(); i++) {
                long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                kafka.sendAsync(topic, events.get(i));
            }
            await().atMost(Duration.ofMinutes(5)).until(() -> kafka.caughtUp(group, topic));
            var snapshot = writer.metrics().lagTimer().takeSnapshot();
            double p50 = 0;
            double p99 = 0;
            for (ValueAtPercentile v : snapshot.percentileValues()) {
                if (v.percentile() == 0.5) {
                    p50 = v.value(TimeUnit.MILLISECONDS);
                } else if (v.percentile() == 0.99) {
                    p99 = v.value(TimeUnit.MILLISECONDS);
                }
            }
            return new Lag(rate, seconds, p50, p99, snapshot.count());
        } finally {
            writer.stop();
        }
    }

    private WriterConfig config(StackEndpoints stack, String topic, String group, Map<String, String> extra) {
        Map<String, String> p = new HashMap<>();
        p.put("event-writer.kafka.topic", topic);
        p.put("event-writer.kafka.state-topic", "bench.state." + run);
        p.put("event-writer.kafka.dlq-topic", "bench.dlq." + run);
        p.put("event-writer.kafka.group-id", group);
        p.put("event-writer.kafka.topic-partitions", Integer.toString(PARTITIONS));
        p.put("event-writer.cassandra.max-in-flight", Integer.toString(IN_FLIGHT));
        p.putAll(extra);
        for (String kv : System.getProperty("bench.config", "").split(",")) {
            if (kv.contains("=")) {
                p.put(
                        kv.substring(0, kv.indexOf('=')).trim(),
                        kv.substring(kv.indexOf('=') + 1).trim());
            }
        }
        return StandaloneWriter.config(stack, keyspace, p);
    }

    /**
     * Empties the tables a run wrote (every run writes fresh aggregates, so nothing later needs them). A TRUNCATE drops
     * the rows still in memtables without flushing them, so the next run starts with empty memtables and pays only
     * for flushing and compacting its own rows. Without it, each run flushed and compacted the previous run's leftovers
     * in its timed window: the raw runs the writer's (about 2.5 times the bytes of its own), the writer runs the raw
     * inserts'.
     */
    private void discard(CqlSession cql, String... tables) {
        for (String t : tables) {
            cql.execute(SimpleStatement.newInstance("TRUNCATE " + keyspace + "." + t)
                    .setTimeout(Duration.ofSeconds(120)));
        }
    }

    /** CPU time (µs) per event of each role of {@code process}'s threads since {@code before}. */
    private static Map<String, Double> threadMicrosPerEvent(
            ThreadGroupCpu process, Map<Long, Long> before, long events) {
        Map<String, Double> out = new LinkedHashMap<>();
        process.since(before).forEach((role, nanos) -> out.put(role, nanos / 1e3 / events));
        return out;
    }

    /** CPU time (µs) the Cassandra process has used so far; -1 when unknown. */
    private long cassandraCpuMicros() {
        return cpuMicros(cassandraPid);
    }

    /** CPU time (µs) this JVM (benchmark client and writer) has used so far; -1 when unknown. */
    private static long jvmCpuMicros() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1000
                : -1;
    }

    /** CPU time (µs) a process has used so far; -1 when unknown. */
    private static long cpuMicros(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000; // utime + stime, 100 ticks per second
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Waits (at most 60 s) until Cassandra is idle again (under 5% of a core for 2 s), so that flushes and compactions
     * left by one run do not slow down the next.
     */
    private long awaitCassandraIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long last = cassandraCpuMicros();
        int quiet = 0;
        while (System.nanoTime() < deadline && quiet < 4) {
            Thread.sleep(500);
            long now = cassandraCpuMicros();
            quiet = now - last < 25_000 ? quiet + 1 : 0; // < 25 ms of CPU in 500 ms
            last = now;
        }
        return last;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double perEvent(long cpu0, long cpu1, long events) {
        return cpu0 < 0 || cpu1 < 0 ? -1 : (double) (cpu1 - cpu0) / events;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "n/a";
        }
    }

    private void line(String format, String name, Result r, String ratio) {
        row(
                format,
                name,
                String.format(Locale.ROOT, "%,d", r.events),
                String.format(Locale.ROOT, "%.1f", r.seconds),
                String.format(Locale.ROOT, "%,.0f", r.rate),
                ratio,
                micros(r.cassandraMicrosPerEvent),
                micros(r.jvmMicrosPerEvent) + String.format(Locale.ROOT, " (JIT %.1f)", r.jitMicrosPerEvent()),
                micros(r.kafkaMicrosPerEvent),
                r.threads());
    }

    private static String micros(double perEvent) {
        return perEvent < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f µs", perEvent);
    }

    private void row(String format, Object... args) {
        table.add(String.format(Locale.ROOT, format, args));
    }
}
