package io.retailstack.writer.service;

import com.datastax.oss.driver.api.core.CqlSession;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.retailstack.writer.config.WriterConfig;
import io.retailstack.writer.messaging.EventWriterConsumer;
import io.retailstack.writer.messaging.KafkaSetup;
import io.retailstack.writer.messaging.ReliablePublisher;
import io.retailstack.writer.persistence.CassandraConnector;
import io.retailstack.writer.persistence.CassandraErrors;
import io.retailstack.writer.persistence.EventStore;
import io.retailstack.writer.persistence.LegacyOrderStateGuard;
import io.retailstack.writer.persistence.SchemaApplier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.jboss.logging.Logger;

/**
 * Wires and runs the writer: at start, a thread connects to Cassandra (retrying until it answers, readiness down
 * meanwhile), applies the schema when enabled, creates missing topics when enabled, and runs the {@link
 * EventWriterConsumer}; at shutdown it lets the batch in flight finish and commit.
 */
@ApplicationScoped
public class EventWriterService {

    private static final Logger LOG = Logger.getLogger(EventWriterService.class);

    private final WriterConfig config;
    private final WriterStatus status = new WriterStatus();
    private final WriterMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final CompletableFuture<EventStore> store = new CompletableFuture<>();
    private volatile Producer<byte[], byte[]> producer;
    private volatile EventWriterConsumer consumer;
    private volatile boolean stopping;
    private Thread thread;

    public EventWriterService(WriterConfig config, MeterRegistry registry) {
        this.config = config;
        this.metrics = new WriterMetrics(registry);
        AtomicInteger n = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "event-writer-retry-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("event-writer.enabled=false: the consumer does not run");
            return;
        }
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts the writer thread (also usable without CDI, e.g. by the benchmark). */
    public synchronized void start() {
        if (thread == null) {
            thread = new Thread(this::runWriter, "event-writer");
            thread.start();
        }
    }

    /** Lets the batch in flight finish and commit, then closes everything. */
    public synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        EventWriterConsumer c = consumer;
        if (c != null) {
            c.stop();
        }
        if (thread != null) {
            try {
                thread.join(config.processing().shutdownTimeout().plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        store.thenAccept(s -> s.session().close());
        scheduler.shutdownNow();
    }

    private void runWriter() {
        try {
            EventStore eventStore = connect();
            if (eventStore == null) {
                return;
            }
            if (config.kafka().createTopics()) {
                KafkaSetup.createTopics(config.kafka());
            }
            producer = new KafkaProducer<>(KafkaSetup.producerProperties(config.kafka()));
            consumer = newConsumer(
                    eventStore, config.kafka().topic(), config.kafka().groupId(), metrics, status);
            if (!stopping) {
                consumer.run();
            }
        } catch (RuntimeException e) {
            LOG.error("event-writer failed to start", e);
        }
    }

    /** Connects (retrying), applies the schema (retrying), prepares the statements. Null when stopped meanwhile. */
    private EventStore connect() {
        WriterConfig.Cassandra c = config.cassandra();
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        CqlSession session = null;
        for (int attempt = 1; !stopping; attempt++) {
            try {
                if (session == null) {
                    CompletableFuture<CqlSession> connecting =
                            CassandraConnector.connect(c).toCompletableFuture();
                    while (!stopping) {
                        try {
                            session = connecting.get(1, TimeUnit.SECONDS);
                            break;
                        } catch (TimeoutException notYet) {
                            // reconnect-on-init keeps trying
                        }
                    }
                    if (session == null) {
                        connecting.thenAccept(CqlSession::close);
                        return null;
                    }
                }
                if (c.schema().apply()) {
                    SchemaApplier.apply(
                            session,
                            c.schema().location(),
                            c.schema().files(),
                            c.keyspace(),
                            c.schema().replication());
                    LegacyOrderStateGuard.check(session, c.keyspace());
                }
                EventStore s = new EventStore(session, c.keyspace());
                status.sessionReady(true);
                store.complete(s);
                LOG.infof("connected to Cassandra %s, keyspace %s", c.contactPoints(), c.keyspace());
                return s;
            } catch (Exception e) {
                Duration delay = backoff.delay(attempt, null);
                status.connectFailed(e);
                String hint = CassandraErrors.operatorHint(CassandraErrors.classify(e));
                LOG.logf(
                        hint == null ? Logger.Level.WARN : Logger.Level.ERROR,
                        "Cassandra not usable yet (%s)%s; trying again in %d ms",
                        e,
                        hint == null ? "" : "; " + hint,
                        delay.toMillis());
                sleep(delay.toMillis());
            }
        }
        return null;
    }

    /**
     * A consumer over this service's session and producer, for another topic or group (tests run a second writer
     * pass with it). The caller runs it in a thread and stops it.
     */
    public EventWriterConsumer newConsumer(
            EventStore eventStore,
            String topic,
            String groupId,
            WriterMetrics writerMetrics,
            WriterStatus writerStatus) {
        WriterConfig.Kafka k = config.kafka();
        WriterConfig.Cassandra c = config.cassandra();
        WriterConfig.Processing p = config.processing();
        Backoff backoff = new Backoff(p.initialBackoff(), p.maxBackoff());
        RetryingExecutor executor =
                new RetryingExecutor(c.maxInFlight(), backoff, scheduler, writerMetrics, writerStatus);
        BatchProcessor processor = new BatchProcessor(
                eventStore,
                executor,
                new AggregateCache(p.cachedAggregates(), p.pipelineDepth() * k.maxPollRecords()),
                p.idIndexLimit(),
                c.maxBatchStatements(),
                c.maxBatchBytes(),
                c.combineEventTables(),
                c.readPartitionsPerQuery());
        EventWriterConsumer.Settings settings = new EventWriterConsumer.Settings(
                topic,
                k.stateTopic(),
                k.dlqTopic(),
                KafkaSetup.consumerProperties(k, groupId),
                Math.max(1, p.pipelineDepth()),
                p.shutdownTimeout());
        return new EventWriterConsumer(
                settings, processor, new ReliablePublisher(producer, backoff, scheduler), writerMetrics, writerStatus);
    }

    public WriterStatus status() {
        return status;
    }

    public WriterMetrics metrics() {
        return metrics;
    }

    /** The store once connected. */
    public Optional<EventStore> store() {
        return Optional.ofNullable(store.getNow(null));
    }

    public CompletableFuture<EventStore> storeReady() {
        return store;
    }

    public WriterConfig config() {
        return config;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
