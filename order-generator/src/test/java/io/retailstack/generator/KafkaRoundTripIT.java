package io.retailstack.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.generator.cli.GeneratorCli;
import io.retailstack.generator.model.ReferenceData;
import io.retailstack.generator.workload.Workload;
import io.retailstack.generator.workload.WorkloadGenerator;
import io.retailstack.generator.workload.WorkloadOptions;
import io.retailstack.generator.workload.WorkloadRecord;
import io.retailstack.localstack.StackEndpoints;
import io.retailstack.localstack.junit.LocalStackExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Sends a small workload through the CLI to the real local Kafka (started by the local stack) and
 * reads it back: every record arrives, keyed by its aggregate, byte for byte, in order per aggregate.
 */
@ExtendWith(LocalStackExtension.class)
class KafkaRoundTripIT {

    @Test
    void cliSendsTheWorkloadToKafkaAsAnExternalProducerWould(StackEndpoints endpoints, @TempDir Path dir)
            throws Exception {
        String bootstrap = endpoints.kafkaBootstrapServers();
        String topic = "retail.events.raw.it-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        Path summary = dir.resolve("summary.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = GeneratorCli.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));

        int code = cmd.execute(
                "--target",
                "kafka",
                "--bootstrap-servers",
                bootstrap,
                "--topic",
                topic,
                "--seed",
                "17",
                "--orders",
                "40",
                "--malformed-share",
                "0.05",
                "--fraud-share",
                "0.1",
                "--no-progress",
                "--summary-json",
                summary.toString());

        assertThat(code).as(out + "\n" + err).isZero();
        Workload workload = WorkloadGenerator.generate(
                ReferenceData.bundled(),
                WorkloadOptions.defaults(17)
                        .withOrders(40)
                        .withMalformedShare(0.05)
                        .withFraudShare(0.1));
        JsonNode json = new ObjectMapper().readTree(summary.toFile());
        assertThat(json.at("/run/acknowledged").asLong())
                .isEqualTo(workload.records().size());
        assertThat(json.at("/run/complete").asBoolean()).isTrue();

        List<ConsumerRecord<String, byte[]>> consumed =
                consumeAll(bootstrap, topic, workload.records().size());
        assertThat(consumed).hasSize(workload.records().size());

        EventCodec codec = new EventCodec();
        Map<String, List<String>> expectedPerKey = new LinkedHashMap<>();
        Map<String, byte[]> expectedBodies = new LinkedHashMap<>();
        for (WorkloadRecord record : workload.records()) {
            String id = record instanceof WorkloadRecord.Valid v
                    ? v.event().id()
                    : ((WorkloadRecord.Malformed) record).id();
            byte[] body = record instanceof WorkloadRecord.Valid v
                    ? codec.encode(v.event())
                    : ((WorkloadRecord.Malformed) record).body();
            expectedPerKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(id);
            expectedBodies.put(id, body);
        }
        Map<String, List<String>> actualPerKey = new LinkedHashMap<>();
        Map<String, String> idByBody = new LinkedHashMap<>();
        expectedBodies.forEach((id, body) -> idByBody.put(new String(body, StandardCharsets.UTF_8), id));
        for (ConsumerRecord<String, byte[]> record : consumed) {
            String id = idByBody.get(new String(record.value(), StandardCharsets.UTF_8));
            assertThat(id)
                    .as("unexpected record " + new String(record.value(), StandardCharsets.UTF_8))
                    .isNotNull();
            actualPerKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(id);
            assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                    .startsWith("application/cloudevents+json");
        }
        // Same records under the same keys, and each aggregate's records in the order they were generated.
        assertThat(actualPerKey).isEqualTo(expectedPerKey);
    }

    private static List<ConsumerRecord<String, byte[]>> consumeAll(String bootstrap, String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "order-generator-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            // A little longer, to catch duplicates.
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        return records;
    }
}
