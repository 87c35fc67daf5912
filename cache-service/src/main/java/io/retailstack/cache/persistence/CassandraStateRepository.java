package io.retailstack.cache.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import com.datastax.oss.driver.internal.core.session.throttling.ConcurrencyLimitingRequestThrottler;
import com.datastax.oss.driver.internal.core.ssl.DefaultSslEngineFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.retailstack.cache.config.CacheConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

/**
 * Reads current state and history from the Cassandra contract tables (written by event-writer; read-only here).
 *
 * <p>The session is built lazily and rebuilt on demand, so the service starts (and serves Redis hits) while Cassandra
 * is down. Every read is one single-partition query with a prepared statement. Reads are counted per table in
 * {@code cache.cassandra.reads}, which is how the stampede test proves single-flight.
 *
 * <p>Budget: the driver's request timeout, plus {@code @Timeout} as the outer bound and a circuit breaker so a dead
 * cluster costs nothing per request once detected (override with MicroProfile FT properties, e.g.
 * {@code io.retailstack.cache.persistence.CassandraStateRepository/Timeout/value=1500}).
 */
@ApplicationScoped
public class CassandraStateRepository {
    private static final Logger LOG = Logger.getLogger(CassandraStateRepository.class);
    private static final Duration REBUILD_BACKOFF = Duration.ofSeconds(2);

    /** One row of order_state_by_aggregate. */
    public record OrderRow(String orderId, long version, String stateJson) {}

    /** One row of inventory_state. */
    public record InventoryRow(String sku, String locationId, long version, String stateJson) {}

    /** One row of events_by_aggregate. */
    public record EventRow(
            long seq, String eventId, String eventType, Instant eventTime, Instant recordedAt, String payload) {}

    private final CacheConfig.Cassandra config;
    private final Counter orderReads;
    private final Counter inventoryReads;
    private final Counter eventReads;
    private final AtomicLong orderReadCount = new AtomicLong();
    private final AtomicLong inventoryReadCount = new AtomicLong();

    private final AtomicBoolean opening = new AtomicBoolean();
    private volatile Session current;
    private volatile long nextBuildAttemptNanos;

    private record Session(CqlSession session, Map<String, PreparedStatement> prepared) {
        PreparedStatement prepare(String cql) {
            return prepared.computeIfAbsent(cql, session::prepare);
        }
    }

    private final String orderCql;
    private final String inventoryCql;
    private final String eventsCql;

    CassandraStateRepository() {
        this.config = null;
        this.orderReads = null;
        this.inventoryReads = null;
        this.eventReads = null;
        this.orderCql = null;
        this.inventoryCql = null;
        this.eventsCql = null;
    }

    @Inject
    public CassandraStateRepository(CacheConfig config, MeterRegistry registry) {
        this.config = config.cassandra();
        this.orderReads = registry.counter("cache.cassandra.reads", "table", "order_state_by_aggregate");
        this.inventoryReads = registry.counter("cache.cassandra.reads", "table", "inventory_state");
        this.eventReads = registry.counter("cache.cassandra.reads", "table", "events_by_aggregate");
        String ks = this.config.keyspace();
        this.orderCql = "SELECT version, state FROM " + ks
                + ".order_state_by_aggregate WHERE aggregate_type = 'order' AND aggregate_id = ?";
        this.inventoryCql = "SELECT location_id, version, state FROM " + ks + ".inventory_state WHERE sku = ?";
        this.eventsCql = "SELECT seq, event_id, event_type, event_time, recorded_at, payload FROM " + ks
                + ".events_by_aggregate WHERE aggregate_type = ? AND aggregate_id = ?";
    }

    /** Current state of one order, or empty if Cassandra has no row for it. */
    @Timeout(1500)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 1000, successThreshold = 1)
    public Optional<OrderRow> readOrder(String orderId) {
        Session s = session();
        orderReads.increment();
        orderReadCount.incrementAndGet();
        Row row = s.session().execute(s.prepare(orderCql).bind(orderId)).one();
        if (row == null || row.getString("state") == null) {
            return Optional.empty();
        }
        return Optional.of(new OrderRow(orderId, row.getLong("version"), row.getString("state")));
    }

    /** Current state of every location of one SKU: a single-partition read. Empty if the SKU is unknown. */
    @Timeout(1500)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 1000, successThreshold = 1)
    public List<InventoryRow> readInventory(String sku) {
        Session s = session();
        inventoryReads.increment();
        inventoryReadCount.incrementAndGet();
        List<InventoryRow> rows = new ArrayList<>();
        for (Row row : s.session().execute(s.prepare(inventoryCql).bind(sku))) {
            if (row.getString("state") != null) {
                rows.add(new InventoryRow(
                        sku, row.getString("location_id"), row.getLong("version"), row.getString("state")));
            }
        }
        return rows;
    }

    /** Every stored event of one aggregate, in seq order. */
    @Timeout(1500)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 1000, successThreshold = 1)
    public List<EventRow> readEvents(String aggregateType, String aggregateId) {
        Session s = session();
        eventReads.increment();
        List<EventRow> rows = new ArrayList<>();
        for (Row row : s.session().execute(s.prepare(eventsCql).bind(aggregateType, aggregateId))) {
            rows.add(new EventRow(
                    row.getLong("seq"),
                    row.getString("event_id"),
                    row.getString("event_type"),
                    row.getInstant("event_time"),
                    row.getInstant("recorded_at"),
                    row.getString("payload")));
        }
        return rows;
    }

    /** Reads of order_state_by_aggregate since start (for tests and the benchmark). */
    public long orderReadCount() {
        return orderReadCount.get();
    }

    /** Reads of inventory_state since start. */
    public long inventoryReadCount() {
        return inventoryReadCount.get();
    }

    /** True when the session exists and the driver sees at least one node up. No query is sent; never blocks. */
    public boolean isUp() {
        Session s = current;
        if (s == null) {
            // never block a health probe on a connect: open the session in the background, answer "not yet"
            if (opening.compareAndSet(false, true)) {
                CompletableFuture.runAsync(() -> {
                    try {
                        session();
                    } catch (RuntimeException e) {
                        // logged by session(); the next probe tries again after the backoff
                    } finally {
                        opening.set(false);
                    }
                });
            }
            return false;
        }
        return s.session().getMetadata().getNodes().values().stream().anyMatch(n -> n.getState() == NodeState.UP);
    }

    /** Opens the session in the background at start, so the first miss does not pay for the connect. */
    void openAtStart(@Observes StartupEvent event) {
        isUp();
    }

    private Session session() {
        Session s = current;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (current != null) {
                return current;
            }
            if (System.nanoTime() < nextBuildAttemptNanos) {
                throw new StoreUnavailableException("Cassandra is not reachable (retrying shortly)", null);
            }
            try {
                current = build();
                return current;
            } catch (RuntimeException e) {
                nextBuildAttemptNanos = System.nanoTime() + REBUILD_BACKOFF.toNanos();
                LOG.warnf("Cassandra session could not be opened: %s", e.toString());
                throw new StoreUnavailableException("Cassandra is not reachable", e);
            }
        }
    }

    private Session build() {
        ProgrammaticDriverConfigLoaderBuilder settings = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, config.requestTimeout())
                .withString(
                        DefaultDriverOption.REQUEST_THROTTLER_CLASS,
                        ConcurrencyLimitingRequestThrottler.class.getName())
                .withInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_CONCURRENT_REQUESTS, config.maxConcurrentRequests())
                .withInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_QUEUE_SIZE, config.maxQueueSize())
                // reconnect quickly after an outage: the read path should recover within a second or two
                .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(200))
                .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(2))
                .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(2))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(2))
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "LOCAL_QUORUM");
        DriverConfigLoader loader = tls(settings, config.ssl()).build();
        CqlSessionBuilder builder =
                CqlSession.builder().withConfigLoader(loader).withLocalDatacenter(config.localDatacenter());
        for (String cp : config.contactPoints()) {
            int colon = cp.lastIndexOf(':');
            String host = colon < 0 ? cp : cp.substring(0, colon);
            int port = colon < 0 ? 9042 : Integer.parseInt(cp.substring(colon + 1));
            builder.addContactPoint(InetSocketAddress.createUnresolved(host, port));
        }
        if (config.username().isPresent()) {
            builder.withAuthCredentials(
                    config.username().get(), config.password().orElse(""));
        }
        return new Session(builder.build(), new ConcurrentHashMap<>());
    }

    /**
     * TLS through the driver's own engine factory with hostname validation on: the JVM's trust store alone accepts
     * any publicly trusted certificate, and the password (on Azure, the Cosmos DB account key) would go to whoever
     * presents one.
     */
    static ProgrammaticDriverConfigLoaderBuilder tls(ProgrammaticDriverConfigLoaderBuilder settings, boolean ssl) {
        return ssl
                ? settings.withClass(DefaultDriverOption.SSL_ENGINE_FACTORY_CLASS, DefaultSslEngineFactory.class)
                        .withBoolean(DefaultDriverOption.SSL_HOSTNAME_VALIDATION, true)
                : settings;
    }

    @PreDestroy
    void close() {
        Session s = current;
        if (s != null) {
            s.session().close();
        }
    }
}
