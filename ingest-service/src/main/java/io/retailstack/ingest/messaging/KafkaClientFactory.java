package io.retailstack.ingest.messaging;

import io.retailstack.ingest.config.IngestConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Builds the Kafka clients of this service from the shared {@code kafka.*} configuration (bootstrap servers, and for
 * Event Hubs SASL_SSL and its timeouts) plus the settings our delivery guarantees rest on, which configuration cannot
 * weaken: {@code acks=all} and idempotence on the producer, manual commits on the consumer.
 *
 * <p>The configuration map may hold credentials ({@code sasl.jaas.config}); it is never logged here, and the Kafka
 * clients print it as {@code [hidden]}.
 */
@ApplicationScoped
public class KafkaClientFactory {

    private final Map<String, Object> common;
    private final IngestConfig config;

    @Inject
    public KafkaClientFactory(@Identifier("default-kafka-broker") Map<String, Object> common, IngestConfig config) {
        this.common = Map.copyOf(common);
        this.config = config;
    }

    /**
     * The shared {@code kafka.*} properties that a client with these config names understands; the rest (consumer
     * settings for a producer, ...) would only make the client warn.
     */
    public Map<String, Object> commonProperties(Set<String> understood) {
        Map<String, Object> props = new HashMap<>(common);
        props.keySet().retainAll(understood);
        return props;
    }

    /** Producer whose acknowledgement means "replicated to all in-sync replicas". */
    public KafkaProducer<byte[], byte[]> producer(String clientId) {
        Map<String, Object> props = commonProperties(ProducerConfig.configNames());
        IngestConfig.Producer p = config.producer();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) p.maxBlock().toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int)
                p.deliveryTimeout().toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int)
                p.requestTimeout().toMillis());
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) p.linger().toMillis());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, p.maxRequestSize());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, p.compression());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Consumer of raw records; offsets are committed by the caller only after its outputs are acknowledged. */
    public KafkaConsumer<byte[], byte[]> rawConsumer(String clientId) {
        Map<String, Object> props = commonProperties(ConsumerConfig.configNames());
        IngestConfig.RawIntake raw = config.raw();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, raw.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, raw.maxPollRecords());
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Admin client for topic creation and the readiness check. */
    public Admin admin(String clientId) {
        Map<String, Object> props = commonProperties(AdminClientConfig.configNames());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return Admin.create(props);
    }
}
