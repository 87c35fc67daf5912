package io.retailstack.cache.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.retailstack.cache.config.CacheConfig;
import io.retailstack.cache.persistence.CachedState;
import io.retailstack.cache.persistence.RedisStateCache;
import io.retailstack.cache.service.StateReadService;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.events.state.StateCodec;
import io.retailstack.events.state.StateMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Keeps Redis fresh from {@code retail.state}: one plain KafkaConsumer thread per instance, in one consumer group
 * (Redis is shared, so each message needs writing once).
 *
 * <p>Per poll: the newest message per aggregate is kept, then CAS-written to Redis (orders: the key; inventory: the
 * location's field, never marking the hash complete). Older versions are dropped by the Lua script, so out-of-order or
 * replayed messages are harmless. Offsets are committed after the writes. If Redis fails, the consumer seeks back to
 * the start of the batch and retries after a pause: a message is never skipped, so Redis cannot keep a stale version
 * past the outage. A record that is not a state message (poison) is logged, counted and skipped.
 */
@ApplicationScoped
public class StateConsumer {
    private static final Logger LOG = Logger.getLogger(StateConsumer.class);

    private final CacheConfig.State config;
    private final RedisStateCache redis;
    private final StateReadService reads;
    private final CacheConfig.Ttl ttl;
    private final StateCodec codec = new StateCodec();
    private final AtomicInteger assigned = new AtomicInteger();
    private final Counter written;
    private final Counter stale;
    private final Counter poison;
    private final Counter retries;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    StateConsumer() {
        this.config = null;
        this.redis = null;
        this.reads = null;
        this.ttl = null;
        this.written = null;
        this.stale = null;
        this.poison = null;
        this.retries = null;
    }

    @Inject
    public StateConsumer(CacheConfig config, RedisStateCache redis, StateReadService reads, MeterRegistry registry) {
        this.config = config.state();
        this.ttl = config.ttl();
        this.redis = redis;
        this.reads = reads;
        this.written = registry.counter("cache.state.applied", "outcome", "written");
        this.stale = registry.counter("cache.state.applied", "outcome", "stale");
        this.poison = registry.counter("cache.state.applied", "outcome", "poison");
        this.retries = registry.counter("cache.state.retries");
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("retail.state consumer disabled: Redis is filled on misses only");
            return;
        }
        running = true;
        thread = new Thread(this::run, "state-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Partitions currently assigned to this instance. */
    public int assignedPartitions() {
        return assigned.get();
    }

    /** Short status for the readiness data. */
    public String describe() {
        if (!config.enabled()) {
            return "disabled";
        }
        return running ? "assigned " + assigned.get() + " partition(s)" : "stopped";
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.autoOffsetReset());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "cache-service-state");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        p.putAll(config.kafka());
        return p;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties())) {
                consumer = c;
                c.subscribe(List.of(config.topic()), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        assigned.addAndGet(-partitions.size());
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        assigned.addAndGet(partitions.size());
                    }

                    @Override
                    public void onPartitionsLost(Collection<TopicPartition> partitions) {
                        assigned.addAndGet(-partitions.size());
                    }
                });
                while (running) {
                    ConsumerRecords<String, byte[]> records = c.poll(config.pollTimeout());
                    if (records.isEmpty()) {
                        continue;
                    }
                    try {
                        apply(records);
                        c.commitAsync();
                    } catch (RuntimeException e) {
                        retries.increment();
                        LOG.warnf("Redis did not take %d state message(s), retrying: %s", records.count(), e);
                        for (TopicPartition tp : records.partitions()) {
                            c.seek(tp, records.records(tp).get(0).offset());
                        }
                        pause(config.retryBackoff());
                    }
                }
                try {
                    c.commitSync(Duration.ofSeconds(2));
                } catch (RuntimeException e) {
                    LOG.debugf("final commit failed: %s", e);
                }
            } catch (WakeupException e) {
                // shutting down
            } catch (RuntimeException e) {
                if (running) {
                    LOG.errorf(e, "state consumer failed; restarting it");
                    pause(Duration.ofSeconds(1));
                }
            } finally {
                consumer = null;
                assigned.set(0);
            }
        }
    }

    /** Writes the newest message per aggregate of this batch. Throws if Redis fails. */
    void apply(ConsumerRecords<String, byte[]> records) {
        Map<AggregateKey, StateMessage> newest = new LinkedHashMap<>();
        int decoded = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
            StateMessage m;
            try {
                m = codec.decode(r.value());
            } catch (RuntimeException e) {
                poison.increment();
                LOG.warnf(
                        "skipping a record that is not a state message at %s-%d@%d: %s",
                        r.topic(), r.partition(), r.offset(), e.getMessage());
                continue;
            }
            decoded++;
            newest.merge(m.aggregate(), m, (a, b) -> b.version() > a.version() ? b : a);
        }
        stale.increment(decoded - newest.size()); // superseded within the batch
        Map<String, Map<String, CachedState>> bySku = new HashMap<>();
        for (StateMessage m : newest.values()) {
            boolean order = m.aggregate().type() == AggregateType.ORDER;
            CachedState state =
                    CachedState.of(m.version(), order ? codec.publicOrderJson(m.order()) : codec.stateJson(m));
            if (order) {
                reads.orderChanged(m.aggregate().id(), state);
                count(redis.putOrder(m.aggregate().id(), state, reads.jittered(ttl.order())) ? 1 : 0, 1);
            } else {
                bySku.computeIfAbsent(m.aggregate().sku(), k -> new HashMap<>())
                        .put(m.aggregate().locationId(), state);
            }
        }
        bySku.forEach(reads::inventoryChanged);
        bySku.forEach((sku, locations) ->
                count(redis.putInventory(sku, locations, false, reads.jittered(ttl.inventory())), locations.size()));
    }

    private void count(long writtenNow, long total) {
        written.increment(writtenNow);
        stale.increment(total - writtenNow);
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
