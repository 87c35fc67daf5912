package io.retailstack.generator.send;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends records to a Kafka topic the way an external producer would: structured-mode CloudEvents JSON
 * as the value, the aggregate's subject as the key, {@code content-type} header per the CloudEvents
 * Kafka binding, {@code acks=all} and the idempotent producer, so retries never duplicate or reorder
 * one aggregate's events.
 */
public final class KafkaTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(KafkaTransport.class.getName());
    private static final byte[] STRUCTURED =
            "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8);

    private final String bootstrapServers;
    private final String topic;
    private final Properties properties;
    private final SendStats stats;
    private final AtomicBoolean loggedFailure = new AtomicBoolean();
    private Producer<String, byte[]> producer;

    /**
     * @param bootstrapServers {@code host:port[,host:port]}
     * @param topic where to send, normally {@code retail.events.raw}
     * @param overrides further producer properties (security settings for Event Hubs, …); they win
     *     over the defaults except acks and idempotence, which are the point of this class
     */
    public KafkaTransport(String bootstrapServers, String topic, Map<String, String> overrides, SendStats stats) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.stats = stats;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "order-generator");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        props.putAll(overrides);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.properties = props;
    }

    @Override
    public void checkReachable() throws TransportException {
        Properties adminProps = new Properties();
        properties.forEach((k, v) -> {
            String name = k.toString();
            if (AdminClientConfig.configNames().contains(name) && !name.equals(ProducerConfig.CLIENT_ID_CONFIG)) {
                adminProps.put(name, v);
            }
        });
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        try (Admin admin = Admin.create(adminProps)) {
            admin.describeCluster().nodes().get(20, TimeUnit.SECONDS);
            boolean exists =
                    admin.listTopics().names().get(20, TimeUnit.SECONDS).contains(topic);
            if (!exists) {
                LOG.warning("topic " + topic + " does not exist at " + bootstrapServers
                        + "; sending relies on the broker creating it");
            }
        } catch (TimeoutException e) {
            throw new TransportException("cannot reach Kafka at " + bootstrapServers + " (no answer within 20 s)", e);
        } catch (ExecutionException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new TransportException(
                    "cannot reach Kafka at " + bootstrapServers + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while connecting to Kafka", e);
        }
    }

    @Override
    public void send(Outgoing record) throws TransportException {
        if (producer == null) {
            try {
                producer = new KafkaProducer<>(properties);
            } catch (KafkaException e) {
                throw new TransportException("cannot create the Kafka producer: " + e.getMessage(), e);
            }
        }
        ProducerRecord<String, byte[]> message = new ProducerRecord<>(topic, record.key(), record.body());
        message.headers().add(new RecordHeader("content-type", STRUCTURED));
        try {
            producer.send(message, (metadata, exception) -> {
                if (exception == null) {
                    stats.acknowledged(1);
                } else {
                    stats.failed(1);
                    if (loggedFailure.compareAndSet(false, true)) {
                        LOG.log(
                                Level.WARNING,
                                "Kafka did not acknowledge " + record.id() + ": " + exception,
                                exception);
                    } else {
                        LOG.fine(() -> "Kafka did not acknowledge " + record.id() + ": " + exception);
                    }
                }
            });
        } catch (KafkaException e) {
            stats.failed(1);
            throw new TransportException("Kafka producer failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void flush() {
        if (producer != null) {
            producer.flush();
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(30));
            producer = null;
        }
    }

    @Override
    public String describe() {
        return "kafka " + bootstrapServers + " topic " + topic;
    }
}
