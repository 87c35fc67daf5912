package io.retailstack.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.retailstack.localstack.engine.Probes;
import io.retailstack.localstack.engine.ProcessTools;
import io.retailstack.localstack.junit.LocalStackExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Proves the four engines are real servers: real clients, real round trips, outages, reuse and crash recovery. */
@ExtendWith(LocalStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    static void say(String fmt, Object... args) {
        System.out.println("[LocalStackIT] " + String.format(fmt, args));
    }

    @Test
    @Order(1)
    void kafkaProduceAndConsume(StackEndpoints e) throws Exception {
        String topic = "it-orders-" + UUID.randomUUID();
        String value = "order-" + UUID.randomUUID();
        RecordMetadata meta = produce(e, topic, "k1", value);
        String clusterId;
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, e.kafkaBootstrapServers()))) {
            clusterId = admin.describeCluster().clusterId().get();
        }
        List<String> seen = consumeAll(e, topic, 1);
        assertThat(seen).containsExactly(value);
        say(
                "Kafka %s (cluster %s): produced %s to %s-%d@%d and consumed it back",
                e.kafkaBootstrapServers(), clusterId, value, topic, meta.partition(), meta.offset());
    }

    @Test
    @Order(2)
    void cassandraKeyspaceTableInsertSelect(StackEndpoints e) {
        try (CqlSession session = cql(e)) {
            String release = session.execute("SELECT release_version FROM system.local")
                    .one()
                    .getString(0);
            session.execute("CREATE KEYSPACE IF NOT EXISTS it_retail WITH replication = "
                    + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE IF NOT EXISTS it_retail.stock (sku text PRIMARY KEY, qty int)");
            String sku = "sku-" + UUID.randomUUID();
            session.execute("INSERT INTO it_retail.stock (sku, qty) VALUES (?, ?)", sku, 42);
            Row row = session.execute("SELECT qty FROM it_retail.stock WHERE sku = ?", sku)
                    .one();
            assertThat(row).isNotNull();
            assertThat(row.getInt("qty")).isEqualTo(42);
            // tests drop keyspaces all the time: no snapshot of each dropped table piling up on the laptop
            assertThat(session.execute("SELECT value FROM system_views.settings WHERE name = 'auto_snapshot'")
                            .one()
                            .getString("value"))
                    .isEqualTo("false");
            say(
                    "Cassandra %s at %s (dc %s): created it_retail.stock, inserted and selected %s -> 42",
                    release, e.cassandraContactPoint(), e.cassandraLocalDatacenter(), sku);
        }
    }

    @Test
    @Order(3)
    void postgresRoundTrip(StackEndpoints e) throws Exception {
        try (Connection c = DriverManager.getConnection(e.postgresJdbcUrl(), e.postgresUser(), e.postgresPassword());
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS it_orders (id text PRIMARY KEY, total numeric)");
            String id = UUID.randomUUID().toString();
            st.execute("INSERT INTO it_orders VALUES ('" + id + "', 12.50)");
            try (ResultSet rs =
                    st.executeQuery("SELECT total, version(), current_user FROM it_orders WHERE id = '" + id + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("12.50");
                say(
                        "PostgreSQL at %s as %s: inserted and selected order %s -> %s (%s)",
                        e.postgresJdbcUrl(),
                        rs.getString(3),
                        id,
                        rs.getBigDecimal(1),
                        rs.getString(2).split(" on ")[0]);
            }
        }
        try (Connection su = DriverManager.getConnection(e.postgresJdbcUrl(), "postgres", e.postgresPassword());
                ResultSet rs = su.createStatement()
                        .executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isTrue();
        }
    }

    @Test
    @Order(4)
    void redisSetGet(StackEndpoints e) throws Exception {
        String key = "it:" + UUID.randomUUID();
        assertThat(redis(e, "SET", key, "hello")).isEqualTo("+OK");
        assertThat(redis(e, "GET", key)).isEqualTo("hello");
        say(
                "Redis %s: SET/GET %s -> hello (%s)",
                e.redisUrl(),
                key,
                redis(e, "INFO", "server")
                        .lines()
                        .filter(l -> l.startsWith("redis_version"))
                        .findFirst()
                        .orElse("?"));
    }

    @Test
    @Order(5)
    void ensureUpTwiceReusesTheRunningStack(LocalStack stack) {
        StackState before = stack.status().orElseThrow();
        long t0 = System.nanoTime();
        StackEndpoints again = stack.ensureUp();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        StackState after = stack.status().orElseThrow();
        assertThat(after.supervisorPid()).isEqualTo(before.supervisorPid());
        for (Engine engine : Engine.values()) {
            assertThat(after.engine(engine).orElseThrow().pid())
                    .isEqualTo(before.engine(engine).orElseThrow().pid());
        }
        assertThat(again).isEqualTo(before.endpoints());
        assertThat(ms).isLessThan(3000);
        say("ensureUp() again reused supervisor %d and the same engine pids in %d ms", after.supervisorPid(), ms);
    }

    @Test
    @Order(6)
    void stoppedKafkaComesBackOnTheSamePortWithItsData(LocalStack stack, StackEndpoints e) throws Exception {
        String topic = "it-outage-" + UUID.randomUUID();
        produce(e, topic, "k", "before-outage");
        long oldPid =
                stack.status().orElseThrow().engine(Engine.KAFKA).orElseThrow().pid();

        stack.stopEngine(Engine.KAFKA);
        assertThat(Probes.probe(Engine.KAFKA, kafkaPort(e))).isFalse();
        assertThat(stack.isEngineUp(Engine.KAFKA)).isFalse();
        say("Kafka stopped (pid %d gone: %s)", oldPid, !ProcessTools.alive(oldPid));

        stack.startEngine(Engine.KAFKA);
        StackState s = stack.status().orElseThrow();
        assertThat(s.engine(Engine.KAFKA).orElseThrow().port()).isEqualTo(kafkaPort(e));
        assertThat(s.endpoints()).isEqualTo(e);
        assertThat(consumeAll(e, topic, 1)).containsExactly("before-outage");
        say(
                "Kafka restarted as pid %d on the same port %d; the record written before the outage is still there",
                s.engine(Engine.KAFKA).orElseThrow().pid(), kafkaPort(e));
    }

    @Test
    @Order(7)
    void stoppedRedisAndCassandraComeBack(LocalStack stack, StackEndpoints e) throws Exception {
        stack.stopEngine(Engine.REDIS);
        assertThat(stack.isEngineUp(Engine.REDIS)).isFalse();
        stack.startEngine(Engine.REDIS);
        assertThat(redis(e, "PING")).isEqualTo("+PONG");

        stack.stopEngine(Engine.CASSANDRA);
        assertThat(stack.isEngineUp(Engine.CASSANDRA)).isFalse();
        // ensureUp() also brings back a stopped engine
        assertThat(stack.ensureUp()).isEqualTo(e);
        try (CqlSession session = cql(e)) {
            long rows = session.execute("SELECT count(*) FROM it_retail.stock")
                    .one()
                    .getLong(0);
            assertThat(rows).isPositive();
            say("Redis and Cassandra stopped and restarted on the same ports; it_retail.stock still has %d rows", rows);
        }
    }

    @Test
    @Order(8)
    void recoversFromAKilledSupervisorAndABogusStackJson(LocalStack stack) throws Exception {
        StackState before = stack.status().orElseThrow();
        long supervisor = before.supervisorPid();
        List<Long> engines = before.engines().values().stream()
                .map(StackState.EngineState::pid)
                .toList();
        ProcessHandle.of(supervisor).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> engines.stream().noneMatch(ProcessTools::alive));
        say("SIGKILLed supervisor %d; its engines %s exited on their own", supervisor, engines);

        // Leave a bogus stack.json pointing at dead pids, as a crash in the middle of writing state would.
        new StackState(before.dir(), "READY", 999_999, 1, 0, 0, before.engines(), before.endpoints(), null)
                .write(stack.dir());
        long t0 = System.nanoTime();
        StackEndpoints recovered = stack.ensureUp();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        StackState after = stack.status().orElseThrow();
        assertThat(after.supervisorPid()).isNotEqualTo(supervisor);
        assertThat(recovered).isEqualTo(before.endpoints());
        try (CqlSession session = cql(recovered)) {
            assertThat(session.execute("SELECT count(*) FROM it_retail.stock")
                            .one()
                            .getLong(0))
                    .isPositive();
        }
        say("recovered with new supervisor %d in %d ms, same ports, Cassandra data intact", after.supervisorPid(), ms);
    }

    // ---- helpers

    static int kafkaPort(StackEndpoints e) {
        return Integer.parseInt(
                e.kafkaBootstrapServers().substring(e.kafkaBootstrapServers().lastIndexOf(':') + 1));
    }

    static CqlSession cql(StackEndpoints e) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(e.cassandraHost(), e.cassandraPort()))
                .withLocalDatacenter(e.cassandraLocalDatacenter())
                .build();
    }

    static RecordMetadata produce(StackEndpoints e, String topic, String key, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, e.kafkaBootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    static List<String> consumeAll(StackEndpoints e, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, e.kafkaBootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
                return values.size() >= expected;
            });
        }
        return values;
    }

    /** Minimal RESP client: simple strings come back with their '+' prefix, bulk strings as their content. */
    static String redis(StackEndpoints e, String... command) throws Exception {
        try (Socket s = new Socket(e.redisHost(), e.redisPort())) {
            StringBuilder req = new StringBuilder("*" + command.length + "\r\n");
            for (String part : command) {
                req.append('$')
                        .append(part.getBytes(StandardCharsets.UTF_8).length)
                        .append("\r\n")
                        .append(part)
                        .append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String first = in.readLine();
            if (first.startsWith("$")) {
                int len = Integer.parseInt(first.substring(1));
                char[] buf = new char[len];
                int read = 0;
                while (read < len) {
                    read += in.read(buf, read, len - read);
                }
                return new String(buf);
            }
            return first;
        }
    }
}
