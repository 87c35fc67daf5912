package io.retailstack.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport loop commits a poll's offsets only after every output of the poll was acknowledged. */
class RawEventConsumerCommitTest {

    private static final String TOPIC = "test.retail.events.raw";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final List<ConsumerRecord<byte[], byte[]>> log =
            List.of(record(P0, 0, "a"), record(P0, 1, "b"), record(P1, 0, "c"));

    /** MockConsumer forgets polled records; a broker does not: seeking back redelivers them. */
    private final MockConsumer<byte[], byte[]> mock = new MockConsumer<>("earliest") {
        @Override
        public synchronized void seek(TopicPartition partition, long offset) {
            super.seek(partition, offset);
            log.stream()
                    .filter(r -> r.partition() == partition.partition() && r.offset() >= offset)
                    .forEach(this::addRecord);
        }
    };

    private final List<String> handled = new CopyOnWriteArrayList<>();
    private RawEventConsumer consumer;

    @AfterEach
    void stop() {
        if (consumer != null) {
            consumer.stop();
        }
    }

    private void start(java.util.function.Function<ConsumerRecord<byte[], byte[]>, CompletableFuture<?>> handler) {
        consumer = new RawEventConsumer(
                () -> mock, handler, true, TOPIC, "test-group", Duration.ofSeconds(5), Duration.ofMillis(50));
        mock.schedulePollTask(() -> {
            mock.rebalance(List.of(P0, P1));
            mock.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
            log.forEach(mock::addRecord);
        });
        consumer.start();
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset, String value) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, null, value.getBytes());
    }

    private Map<TopicPartition, OffsetAndMetadata> committed() {
        return mock.committed(Set.of(P0, P1));
    }

    @Test
    void shouldCommitAfterEveryOutputIsAcknowledged() {
        start(record -> {
            handled.add(new String(record.value()));
            return CompletableFuture.completedFuture(null);
        });

        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> committed().get(P1) != null);
        assertThat(committed().get(P0).offset()).isEqualTo(2);
        assertThat(committed().get(P1).offset()).isEqualTo(1);
        assertThat(handled).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void shouldNotCommitWhenAnOutputFailsAndRetryTheWholePoll() {
        AtomicInteger calls = new AtomicInteger();
        start(record -> {
            handled.add(new String(record.value()));
            // The broker is unreachable for the first output; everything after that goes through.
            return calls.getAndIncrement() == 0
                    ? CompletableFuture.failedFuture(new TimeoutException("broker unreachable"))
                    : CompletableFuture.completedFuture(null);
        });

        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> committed().get(P1) != null);
        assertThat(committed().get(P0).offset()).isEqualTo(2);
        assertThat(committed().get(P1).offset()).isEqualTo(1);
        // The first attempt stopped at the failure; the retry handled all three records, none was skipped.
        assertThat(handled.subList(1, handled.size())).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void shouldNeverCommitWhileOutputsKeepFailing() {
        start(record -> {
            handled.add(new String(record.value()));
            return CompletableFuture.failedFuture(new TimeoutException("broker unreachable"));
        });

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() >= 5);
        assertThat(committed()).isEmpty();
        assertThat(consumer.isHealthy()).isTrue();
    }
}
