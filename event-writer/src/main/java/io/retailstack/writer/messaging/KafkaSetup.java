package io.retailstack.writer.messaging;

import io.retailstack.writer.config.WriterConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/** Client configurations of the writer, and topic creation for local Kafka. */
public final class KafkaSetup {

    private static final Logger LOG = Logger.getLogger(KafkaSetup.class);

    private KafkaSetup() {}

    /** The consumer: manual commits only, bounded polls, from the earliest offset for a new group. */
    public static Properties consumerProperties(WriterConfig.Kafka k, String groupId) {
        Properties p = common(k);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        k.groupInstanceId()
                .filter(id -> !id.isBlank())
                .ifPresent(id -> p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "event-writer-" + groupId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(k.maxPollRecords()));
        // a fetch of 1 MiB per partition (the default) holds ~1,500 events: let one poll of a few partitions reach
        // max.poll.records
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
        p.putAll(k.consumer());
        return p;
    }

    /** The producer of state messages and dead letters: acknowledged by all in-sync replicas, in order. */
    public static Properties producerProperties(WriterConfig.Kafka k) {
        Properties p = common(k);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "event-writer-producer");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // a poll publishes up to one state per aggregate at once: thousands of small records per partition, sent in
        // a few large requests rather than many 16 KiB ones (less CPU for the broker and this client)
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.putAll(k.producer());
        return p;
    }

    public static Properties adminProperties(WriterConfig.Kafka k) {
        return common(k);
    }

    private static Properties common(WriterConfig.Kafka k) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers());
        p.putAll(k.common());
        return p;
    }

    /** Waits (bounded) until every partition of fresh topics has a leader, before anything produces into them. */
    private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                boolean ready = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (ready) {
                    return;
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                // metadata not propagated yet
            }
            Thread.sleep(100);
        }
    }

    /** Creates the source, state and dead-letter topics if missing. Best effort: logs and goes on when it cannot. */
    public static void createTopics(WriterConfig.Kafka k) {
        try (Admin admin = Admin.create(adminProperties(k))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : List.of(k.topic(), k.stateTopic(), k.dlqTopic())) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, k.topicPartitions(), (short) -1));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                LOG.infof(
                        "created topics %s",
                        missing.stream().map(NewTopic::name).toList());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warnf("could not create topics (%s); relying on them existing", e.toString());
        }
    }
}
