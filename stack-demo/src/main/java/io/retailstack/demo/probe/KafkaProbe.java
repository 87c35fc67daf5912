package io.retailstack.demo.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Measures topics by offsets: the records a run added to a topic are those between the end offsets taken before and
 * after it, whatever else the topic already held.
 */
public final class KafkaProbe implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;

    public KafkaProbe(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
    }

    /** End offset of every partition of {@code topic} (empty if the topic does not exist yet). */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .collect(Collectors.toList());
        return consumer.endOffsets(partitions, Duration.ofSeconds(10));
    }

    public static long count(Map<TopicPartition, Long> before, Map<TopicPartition, Long> after) {
        long n = 0;
        for (Map.Entry<TopicPartition, Long> e : after.entrySet()) {
            n += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return n;
    }

    /** The records between two sets of offsets. */
    public List<ConsumerRecord<byte[], byte[]>> read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<TopicPartition> partitions = new ArrayList<>(to.keySet());
        consumer.assign(partitions);
        for (TopicPartition tp : partitions) {
            consumer.seek(tp, from.getOrDefault(tp, 0L));
        }
        long expected = count(from, to);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (records.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() < to.get(tp)) {
                    records.add(r);
                }
            }
        }
        consumer.unsubscribe();
        return records;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
