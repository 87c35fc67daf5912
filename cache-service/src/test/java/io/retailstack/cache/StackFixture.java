package io.retailstack.cache;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.data.Channel;
import io.retailstack.events.data.EventData;
import io.retailstack.events.data.InventoryReceived;
import io.retailstack.events.data.InventoryReserved;
import io.retailstack.events.data.OrderLine;
import io.retailstack.events.data.OrderPaid;
import io.retailstack.events.data.OrderPlaced;
import io.retailstack.events.data.OrderShipped;
import io.retailstack.events.data.OrderType;
import io.retailstack.events.fold.InventoryFold;
import io.retailstack.events.fold.InventoryState;
import io.retailstack.events.fold.OrderFold;
import io.retailstack.events.fold.OrderState;
import io.retailstack.events.state.StateCodec;
import io.retailstack.events.state.StateMessage;
import io.retailstack.events.store.CqlScripts;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import redis.clients.jedis.JedisPooled;

/**
 * Plays event-writer for the tests: applies the Cassandra contract, writes rows exactly as the writer does, and
 * publishes retail.state messages with StateCodec.
 */
final class StackFixture {
    static final String KEYSPACE = "retail_cache_test";
    static final String STATE_TOPIC = "test.retail.state";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final StateCodec STATE_CODEC = new StateCodec();
    static final EventCodec EVENT_CODEC = new EventCodec();

    private static CqlSession session;
    private static KafkaProducer<String, byte[]> producer;
    private static JedisPooled jedis;

    private StackFixture() {}

    static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    static synchronized CqlSession cassandra() {
        if (session == null) {
            // schema changes can take more than the driver's default 2 s on a busy 2-core machine
            session = CqlSession.builder()
                    .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                            .build())
                    .addContactPoint(new InetSocketAddress(
                            config("retail.stack.cassandra.host"),
                            Integer.parseInt(config("retail.stack.cassandra.port"))))
                    .withLocalDatacenter(config("retail.stack.cassandra.local-datacenter"))
                    .build();
            applySchema(session);
        }
        return session;
    }

    static synchronized JedisPooled redis() {
        if (jedis == null) {
            // outage tests restart Redis: validate pooled connections so a dead one is never handed out
            redis.clients.jedis.ConnectionPoolConfig pool = new redis.clients.jedis.ConnectionPoolConfig();
            pool.setTestOnBorrow(true);
            jedis = new JedisPooled(
                    new redis.clients.jedis.HostAndPort(
                            config("retail.stack.redis.host"), Integer.parseInt(config("retail.stack.redis.port"))),
                    redis.clients.jedis.DefaultJedisClientConfig.builder().build(),
                    pool);
        }
        return jedis;
    }

    /** The contract CQL with its placeholders substituted, statement by statement. */
    static void applySchema(CqlSession s) {
        for (String file :
                List.of("V001__event_store.cql", "V002__event_outcome.cql", "V003__order_state_by_aggregate.cql")) {
            applySchemaFile(s, file);
        }
    }

    private static void applySchemaFile(CqlSession s, String file) {
        String cql = CqlScripts.read(CqlScripts.LOCATION + file);
        for (String statement :
                CqlScripts.statements(cql, KEYSPACE, "{'class':'SimpleStrategy','replication_factor':1}")) {
            s.execute(statement);
        }
    }

    // ------------------------------------------------------------------ events

    static CloudEvent placed(String orderId, String eventId, Instant time) {
        return CloudEvent.of(
                eventId,
                "/test",
                AggregateKey.order(orderId),
                time,
                new OrderPlaced(
                        "CUST-1",
                        Channel.WEB,
                        OrderType.EXTERNAL,
                        "LOC-1",
                        "ADDR-1",
                        "203.0.113.7",
                        "EUR",
                        List.of(new OrderLine("SKU-1", 2, new BigDecimal("12.50")))));
    }

    static CloudEvent paid(String orderId, String eventId, Instant time) {
        return CloudEvent.of(
                eventId,
                "/test",
                AggregateKey.order(orderId),
                time,
                new OrderPaid(new BigDecimal("25.00"), "EUR", "PAY-1"));
    }

    static CloudEvent shipped(String orderId, String eventId, Instant time) {
        return CloudEvent.of(eventId, "/test", AggregateKey.order(orderId), time, new OrderShipped("DHL", "TRACK-1"));
    }

    /** An order after {@code steps} events: 1 placed, 2 paid, 3 shipped. */
    static OrderState order(String orderId, int steps) {
        return OrderFold.fold(orderId, orderEvents(orderId).subList(0, steps));
    }

    static List<CloudEvent> orderEvents(String orderId) {
        return List.of(
                placed(orderId, orderId + "-e1", T0),
                paid(orderId, orderId + "-e2", T0.plusSeconds(60)),
                shipped(orderId, orderId + "-e3", T0.plusSeconds(120)));
    }

    /** Stock after receiving {@code received} and reserving {@code reserved} for one order. */
    static InventoryState stock(String sku, String location, int received, int reserved) {
        List<CloudEvent> events = new ArrayList<>();
        events.add(inventoryEvent(sku, location, "rcv", new InventoryReceived(received)));
        if (reserved > 0) {
            events.add(inventoryEvent(sku, location, "res", new InventoryReserved("ORD-X", reserved)));
        }
        InventoryState s = InventoryState.initial(sku, location);
        for (CloudEvent e : events) {
            s = InventoryFold.apply(s, e).state();
        }
        return s;
    }

    private static CloudEvent inventoryEvent(String sku, String location, String tag, EventData data) {
        return CloudEvent.of(id(tag), "/test", AggregateKey.inventory(sku, location), T0, data);
    }

    // -------------------------------------------------------------- writer role

    static void writeOrderState(OrderState s) {
        execute(
                "INSERT INTO " + KEYSPACE + ".order_state_by_aggregate (aggregate_type, aggregate_id, version,"
                        + " last_seq, status, flagged, state, source_partition, source_offset, updated_at)"
                        + " VALUES ('order', ?, ?, ?, ?, ?, ?, 0, 0, ?)",
                s.orderId(),
                s.version(),
                s.version(),
                s.status().name(),
                s.flagged(),
                STATE_CODEC.stateJson(StateMessage.of(s)),
                Instant.now());
    }

    static void writeInventoryState(InventoryState s) {
        execute(
                "INSERT INTO " + KEYSPACE + ".inventory_state (sku, location_id, version, last_seq, on_hand,"
                        + " reserved, available, state, source_partition, source_offset, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?)",
                s.sku(),
                s.locationId(),
                s.version(),
                s.version(),
                s.onHand(),
                s.reserved(),
                s.available(),
                STATE_CODEC.stateJson(StateMessage.of(s)),
                Instant.now());
    }

    static void appendEvent(long seq, CloudEvent e, Instant recordedAt) {
        AggregateKey key = e.aggregateKey();
        execute(
                "INSERT INTO " + KEYSPACE + ".events_by_aggregate (aggregate_type, aggregate_id, seq, event_id,"
                        + " event_type, event_time, recorded_at, source_partition, source_offset, flagged,"
                        + " payload) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
                key.type().prefix(),
                key.id(),
                seq,
                e.id(),
                e.type().type(),
                e.time(),
                recordedAt,
                seq,
                e.fraudFlagged(),
                new String(EVENT_CODEC.encode(e), StandardCharsets.UTF_8));
    }

    /** An events_by_aggregate row whose payload is whatever is given (e.g. not JSON at all). */
    static void appendRawEvent(String orderId, long seq, String eventId, Instant time, String payload) {
        execute(
                "INSERT INTO " + KEYSPACE + ".events_by_aggregate (aggregate_type, aggregate_id, seq, event_id,"
                        + " event_type, event_time, recorded_at, source_partition, source_offset, flagged,"
                        + " payload) VALUES ('order', ?, ?, ?, 'retail.order.placed.v1', ?, ?, 0, ?, false, ?)",
                orderId,
                seq,
                eventId,
                time,
                time,
                seq,
                payload);
    }

    /** Waits until the app serves hits from Redis again (an outage test may have restarted it just before). */
    static void awaitRedisServing() {
        String probe = id("PROBE");
        writeOrderState(order(probe, 1));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> "HIT"
                        .equals(io.restassured.RestAssured.get("/v1/orders/" + probe)
                                .header("X-Cache")));
    }

    /** Executes a write, retrying while the driver reconnects after an outage test restarted Cassandra. */
    private static void execute(String cql, Object... values) {
        org.awaitility.Awaitility.await("CQL write after a possible Cassandra restart")
                .atMost(java.time.Duration.ofSeconds(60))
                // first attempt at once: Awaitility otherwise waits one poll interval before it (200 ms a write)
                .pollDelay(java.time.Duration.ZERO)
                .pollInterval(java.time.Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(com.datastax.oss.driver.api.core.DriverException.class)
                .until(() -> {
                    cassandra().execute(cql, values);
                    return true;
                });
    }

    static synchronized RecordMetadata publish(StateMessage m) {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config("retail.stack.kafka.bootstrap-servers"));
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(p);
        }
        try {
            return producer.send(new ProducerRecord<>(STATE_TOPIC, m.aggregate().kafkaKey(), STATE_CODEC.encode(m)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("publish failed", e);
        }
    }
}
