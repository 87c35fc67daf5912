package io.retailstack.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.fold.InventoryFold;
import io.retailstack.events.fold.OrderFold;
import io.retailstack.events.state.StateCodec;
import io.retailstack.events.state.StateMessage;
import io.retailstack.localstack.StackEndpoints;
import io.retailstack.localstack.junit.LocalStackExtension;
import io.retailstack.writer.support.StandaloneWriter;
import io.retailstack.writer.support.TestKafka;
import io.retailstack.writer.support.Workload;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged writer ({@code java -jar target/quarkus-app/quarkus-run.jar}, a separate process) consumes more than
 * 100,000 pre-produced events and is killed with SIGKILL four times at random points on the way, restarted each time.
 * At the end, every produced event is stored exactly once and in log order, every aggregate's seq is gapless, every
 * state row equals the fold of its stored events, every final state was published and no aggregate's published
 * versions ever went backwards, and nothing was dead-lettered.
 */
@ExtendWith(LocalStackExtension.class)
class EventWriterCrashIT {
    private static final Logger LOG = Logger.getLogger(EventWriterCrashIT.class);

    private static final int ORDERS = 15_500;
    private static final int STOCK_POSITIONS = 1_000;
    private static final int MOVEMENTS = 36;
    private static final int PARTITIONS = 6;
    private static final double[][] KILL_WINDOWS = {{0.08, 0.2}, {0.3, 0.45}, {0.55, 0.7}, {0.75, 0.88}};

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String topic = "crash.retail.events." + run;
    private final String stateTopic = "crash.retail.state." + run;
    private final String dlqTopic = "crash.retail.events.dlq." + run;
    private final String group = "event-writer-crash-" + run;
    private final String keyspace = "event_writer_crash_" + run;
    private final Random random = new Random();

    static void say(String format, Object... args) {
        LOG.infof(format, args);
    }

    @Test
    void shouldStoreEveryEventExactlyOnceThroughRepeatedKill9(StackEndpoints stack) throws Exception {
        Workload workload = Workload.generate("crash" + run, ORDERS, STOCK_POSITIONS, MOVEMENTS, 0.01, 42);
        int total = workload.events.size();
        assertThat(total).isGreaterThanOrEqualTo(100_000);
        try (TestKafka kafka = new TestKafka(stack.kafkaBootstrapServers());
                CqlSession cql = StandaloneWriter.session(stack)) {
            kafka.createTopic(topic, PARTITIONS);
            kafka.createTopic(stateTopic, PARTITIONS);
            kafka.createTopic(dlqTopic, 1);
            long t0 = System.nanoTime();
            produce(kafka, workload.events);
            say("produced %,d events (%,d aggregates) in %d ms", total, workload.expected.size(), ms(t0));

            long t1 = System.nanoTime();
            Process writer = start(stack, 0);
            int kills = 0;
            try {
                for (double[] window : KILL_WINDOWS) {
                    double at = window[0] + random.nextDouble() * (window[1] - window[0]);
                    long target = (long) (at * total);
                    await().atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> kafka.committedTotal(group, topic) >= target);
                    Thread.sleep(random.nextInt(400));
                    long committed = kafka.committedTotal(group, topic);
                    writer.destroyForcibly(); // SIGKILL
                    writer.waitFor(30, TimeUnit.SECONDS);
                    kills++;
                    say(
                            "kill -9 #%d at %,d of %,d committed records (%.0f%%), %d ms in",
                            kills, committed, total, 100.0 * committed / total, ms(t1));
                    writer = start(stack, kills);
                }
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> kafka.caughtUp(group, topic));
                say("all %,d records committed %d ms after the first start, through %d kills", total, ms(t1), kills);
            } finally {
                writer.destroyForcibly();
                writer.waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(kills).isGreaterThanOrEqualTo(3);

            long t2 = System.nanoTime();
            verifyStore(cql, workload);
            verifyPublished(kafka, cql);
            assertThat(kafka.readAll(dlqTopic)).as("dead letters").isEmpty();
            say("verified in %d ms", ms(t2));
            cql.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
                    .setTimeout(Duration.ofSeconds(60)));
        }
    }

    private void produce(TestKafka kafka, List<CloudEvent> events) {
        List<Future<RecordMetadata>> pending = new ArrayList<>();
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
    }

    private Process start(StackEndpoints stack, int n) throws Exception {
        Path jar = Path.of(System.getProperty("event-writer.jar", "target/quarkus-app/quarkus-run.jar"));
        assertThat(jar).as("packaged app (run `mvn verify`)").exists();
        Path log = Path.of("target", "crash-it-writer-" + n + ".log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dquarkus.http.port=0",
                "-Dkafka.bootstrap.servers=" + stack.kafkaBootstrapServers(),
                "-Devent-writer.cassandra.contact-points=" + stack.cassandraContactPoint(),
                "-Devent-writer.cassandra.local-datacenter=" + stack.cassandraLocalDatacenter(),
                "-Devent-writer.kafka.topic=" + topic,
                "-Devent-writer.kafka.state-topic=" + stateTopic,
                "-Devent-writer.kafka.dlq-topic=" + dlqTopic,
                "-Devent-writer.kafka.group-id=" + group,
                // static membership: the restarted process takes its partitions back without a rebalance
                "-Devent-writer.kafka.group-instance-id=crash-it-writer",
                "-Devent-writer.kafka.consumer.\"session.timeout.ms\"=10000",
                "-Devent-writer.cassandra.keyspace=" + keyspace,
                "-jar",
                jar.toString()));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(new File("/dev/null"))
                .start();
    }

    /** Full scans of this run's keyspace: every table against what was produced. */
    private void verifyStore(CqlSession cql, Workload workload) {
        EventCodec codec = new EventCodec();
        StateCodec stateCodec = new StateCodec();
        Map<AggregateKey, List<Row>> events = new HashMap<>();
        for (Row r : scan(cql, "SELECT * FROM " + keyspace + ".events_by_aggregate")) {
            events.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
        }
        Set<String> ids = new HashSet<>();
        for (Row r : scan(
                cql,
                "SELECT aggregate_type, aggregate_id, event_id, seq FROM " + keyspace + ".event_ids_by_aggregate")) {
            ids.add(key(r) + "|" + r.getString("event_id") + "|" + r.getLong("seq"));
        }
        Set<String> buckets = new HashSet<>();
        for (Row r : scan(
                cql, "SELECT aggregate_type, aggregate_id, event_id, seq FROM " + keyspace + ".events_by_bucket")) {
            assertThat(buckets.add(key(r) + "|" + r.getString("event_id") + "|" + r.getLong("seq")))
                    .as("bucket row stored once")
                    .isTrue();
        }
        Map<AggregateKey, Row> states = new HashMap<>();
        for (Row r : scan(cql, "SELECT * FROM " + keyspace + ".order_state_by_aggregate")) {
            states.put(AggregateKey.order(r.getString("aggregate_id")), r);
        }
        for (Row r : scan(cql, "SELECT * FROM " + keyspace + ".inventory_state")) {
            states.put(AggregateKey.inventory(r.getString("sku"), r.getString("location_id")), r);
        }

        List<String> problems = new ArrayList<>();
        long stored = 0;
        int withState = 0;
        for (Map.Entry<AggregateKey, List<String>> e : workload.expected.entrySet()) {
            AggregateKey key = e.getKey();
            List<Row> rows = events.getOrDefault(key, List.of());
            stored += rows.size();
            List<String> storedIds = new ArrayList<>();
            List<CloudEvent> decoded = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                if (r.getLong("seq") != i + 1) {
                    problems.add(key + ": seq " + r.getLong("seq") + " at position " + (i + 1));
                }
                storedIds.add(r.getString("event_id"));
                String idRow = key + "|" + r.getString("event_id") + "|" + r.getLong("seq");
                if (!ids.contains(idRow)) {
                    problems.add(key + ": no event_ids_by_aggregate row " + idRow);
                }
                if (!buckets.contains(idRow)) {
                    problems.add(key + ": no events_by_bucket row " + idRow);
                }
                decoded.add(codec.decode(r.getString("payload").getBytes(StandardCharsets.UTF_8)));
            }
            if (!storedIds.equals(e.getValue())) {
                problems.add(
                        key + ": stored " + storedIds.size() + " events " + storedIds + ", produced " + e.getValue());
            }
            StateMessage folded = key.type() == AggregateType.ORDER
                    ? StateMessage.of(OrderFold.fold(key.id(), decoded))
                    : StateMessage.of(InventoryFold.fold(key.sku(), key.locationId(), decoded));
            Row state = states.get(key);
            if (folded.version() == 0) {
                if (state != null) {
                    problems.add(key + ": state row though nothing applied");
                }
                continue;
            }
            withState++;
            if (state == null) {
                problems.add(key + ": no state row");
            } else if (state.getLong("version") != folded.version()
                    || state.getLong("last_seq") != rows.size()
                    || !stateCodec.stateJson(folded).equals(state.getString("state"))) {
                problems.add(key + ": state " + state.getFormattedContents() + " is not the fold "
                        + stateCodec.stateJson(folded));
            }
        }
        long expectedTotal =
                workload.expected.values().stream().mapToLong(List::size).sum();
        say(
                "store: %,d events in %,d aggregates (%,d with state); %,d id rows, %,d bucket rows",
                stored, events.size(), withState, ids.size(), buckets.size());
        assertThat(problems.subList(0, Math.min(20, problems.size())))
                .as("%d problems, the first 20", problems.size())
                .isEmpty();
        assertThat(stored).isEqualTo(expectedTotal);
        assertThat(events.keySet()).isEqualTo(workload.expected.keySet());
        assertThat(ids).hasSize((int) expectedTotal);
        assertThat(buckets).hasSize((int) expectedTotal);
        assertThat(states).hasSize(withState);
    }

    /** Every final state was published; per aggregate, published versions never went backwards. */
    private void verifyPublished(TestKafka kafka, CqlSession cql) {
        StateCodec stateCodec = new StateCodec();
        Map<String, Long> last = new HashMap<>();
        List<String> problems = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> records = kafka.readAll(stateTopic);
        for (ConsumerRecord<String, byte[]> r : records) {
            long version = stateCodec.decode(r.value()).version();
            Long before = last.put(r.key(), version);
            if (before != null && version < before && problems.size() < 20) {
                problems.add(r.key() + ": published version " + version + " after " + before);
            }
        }
        for (Row r : scan(cql, "SELECT aggregate_id, version FROM " + keyspace + ".order_state_by_aggregate")) {
            check(
                    problems,
                    last,
                    AggregateKey.order(r.getString("aggregate_id")).kafkaKey(),
                    r.getLong("version"));
        }
        for (Row r : scan(cql, "SELECT sku, location_id, version FROM " + keyspace + ".inventory_state")) {
            check(
                    problems,
                    last,
                    AggregateKey.inventory(r.getString("sku"), r.getString("location_id"))
                            .kafkaKey(),
                    r.getLong("version"));
        }
        say("state topic: %,d messages for %,d aggregates", records.size(), last.size());
        assertThat(problems).isEmpty();
    }

    private static void check(List<String> problems, Map<String, Long> last, String key, long version) {
        Long published = last.get(key);
        if ((published == null || published != version) && problems.size() < 20) {
            problems.add(key + ": stored version " + version + ", last published " + published);
        }
    }

    private static List<Row> scan(CqlSession cql, String query) {
        return cql.execute(SimpleStatement.newInstance(query).setPageSize(5000).setTimeout(Duration.ofSeconds(60)))
                .all();
    }

    private static AggregateKey key(Row r) {
        return AggregateKey.fromSubject(r.getString("aggregate_type") + "/" + r.getString("aggregate_id"));
    }

    private static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
