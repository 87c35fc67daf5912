package io.retailstack.ingest.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads one topic from the moment it is opened (no consumer group: all partitions assigned, starting at their end), so
 * a test sees exactly the records produced after it started.
 */
public final class TopicProbe implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();

    private TopicProbe(String topic) {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos == null || infos.isEmpty()) {
                return false;
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            return true;
        });
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(10)));
    }

    /** Opens a probe positioned at the current end of {@code topic}. */
    public static TopicProbe open(String topic) {
        return new TopicProbe(topic);
    }

    /** Polls until {@code count} records matching {@code filter} were seen (at most {@code timeout}); returns them. */
    public List<ConsumerRecord<byte[], byte[]>> await(
            Predicate<ConsumerRecord<byte[], byte[]>> filter, int count, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            poll();
            return matching(filter).size() >= count;
        });
        return matching(filter);
    }

    /** Reads everything up to the end offsets as of now; afterwards {@link #seen()} is complete up to this moment. */
    public List<ConsumerRecord<byte[], byte[]>> drain() {
        Map<TopicPartition, Long> end =
                new HashMap<>(consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(10)));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    poll();
                    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                });
        return List.copyOf(seen);
    }

    /** Everything seen so far. */
    public List<ConsumerRecord<byte[], byte[]>> seen() {
        return List.copyOf(seen);
    }

    /** Records seen so far that match. */
    public List<ConsumerRecord<byte[], byte[]>> matching(Predicate<ConsumerRecord<byte[], byte[]>> filter) {
        return seen.stream().filter(filter).toList();
    }

    private void poll() {
        consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
    }

    /** The value of the last header {@code name}, as UTF-8, or null. */
    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Filter: records whose {@code ce_id} header is {@code id}. */
    public static Predicate<ConsumerRecord<byte[], byte[]>> withId(String id) {
        return record -> id.equals(header(record, "ce_id"));
    }

    /** The record key as text. */
    public static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
