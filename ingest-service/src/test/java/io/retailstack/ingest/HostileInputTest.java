package io.retailstack.ingest;

import static io.retailstack.ingest.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.retailstack.events.CloudEvent;
import io.retailstack.ingest.api.ProblemDetail;
import io.retailstack.ingest.support.HostilePayloads;
import io.retailstack.ingest.support.HostilePayloads.Payload;
import io.retailstack.ingest.support.TestEvents;
import io.retailstack.ingest.support.TestTokens;
import io.retailstack.ingest.support.TopicProbe;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of broken events over HTTP and over the raw topic, with valid ones mixed in: every broken one is refused
 * (4xx problem) or dead-lettered with a reason, the service stays healthy, and every valid one is published exactly
 * once.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class HostileInputTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void shouldRefuseOrDeadLetterEveryBrokenPayloadAndPublishEveryValidOneExactlyOnce() throws Exception {
        String prefix = TestEvents.newId("hostile");
        List<Payload> payloads = HostilePayloads.generate(prefix);
        assertThat(payloads).hasSizeGreaterThanOrEqualTo(200);
        List<String> validIds = new ArrayList<>();

        try (TopicProbe events = TopicProbe.open("test.retail.events");
                TopicProbe dlq = TopicProbe.open("test.retail.events.dlq")) {
            // HTTP: each broken payload gets a problem with a 4xx status; every 10th request is a valid event.
            String token = TestTokens.withRoles("ingest");
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < payloads.size(); i++) {
                Payload payload = payloads.get(i);
                Response response = RestAssured.given()
                        .auth()
                        .oauth2(token)
                        .contentType(i % 7 == 3 ? CloudEvent.BATCH_CONTENT_TYPE : CloudEvent.STRUCTURED_CONTENT_TYPE)
                        .body(i % 7 == 3 ? wrapInBatch(payload.body()) : payload.body())
                        .post("/v1/events");
                int status = response.statusCode();
                if (status < 400 || status >= 500 || !response.contentType().startsWith(ProblemDetail.MEDIA_TYPE)) {
                    failures.add(payload.name() + " -> " + status + " " + response.asString());
                }
                if (i % 10 == 0) {
                    String id = TestEvents.newId(prefix + "-http");
                    validIds.add(id);
                    TestTokens.authorized()
                            .contentType(CloudEvent.STRUCTURED_CONTENT_TYPE)
                            .body(TestEvents.placed(id, "ORD-" + id))
                            .post("/v1/events")
                            .then()
                            .statusCode(202);
                }
            }
            assertThat(failures).as("payloads not refused with a 4xx problem").isEmpty();

            // Raw topic: the same payloads, each tagged, with valid events in between.
            Properties props = new Properties();
            props.put(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            Set<String> tags = new HashSet<>();
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (int i = 0; i < payloads.size(); i++) {
                    String tag = prefix + "#" + i;
                    tags.add(tag);
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                            "test.retail.events.raw",
                            utf8("k" + (i % 13)),
                            payloads.get(i).body());
                    record.headers().add("hostile", utf8(tag));
                    sends.add(producer.send(record));
                    if (i % 10 == 5) {
                        String id = TestEvents.newId(prefix + "-raw");
                        validIds.add(id);
                        sends.add(producer.send(new ProducerRecord<>(
                                "test.retail.events.raw", utf8(TestEvents.placed(id, "ORD-" + id)))));
                    }
                }
                for (Future<RecordMetadata> send : sends) {
                    send.get();
                }
            }

            List<ConsumerRecord<byte[], byte[]>> letters =
                    dlq.await(r -> tags.contains(header(r, "hostile")), tags.size(), WAIT);
            Map<String, List<ConsumerRecord<byte[], byte[]>>> byTag =
                    letters.stream().collect(Collectors.groupingBy(r -> header(r, "hostile")));
            assertThat(byTag.keySet()).containsExactlyInAnyOrderElementsOf(tags);
            assertThat(letters).allSatisfy(letter -> {
                assertThat(header(letter, "dlq-error-class")).isNotBlank();
                assertThat(header(letter, "dlq-error-message")).isNotBlank();
                assertThat(header(letter, "dlq-source-topic")).isEqualTo("test.retail.events.raw");
            });

            events.await(r -> validIds.contains(header(r, "ce_id")), validIds.size(), WAIT);
            List<ConsumerRecord<byte[], byte[]>> published = events.drain().stream()
                    .filter(r ->
                            header(r, "ce_id") != null && header(r, "ce_id").startsWith(prefix))
                    .toList();
            Map<String, Long> counts =
                    published.stream().collect(Collectors.groupingBy(r -> header(r, "ce_id"), Collectors.counting()));
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(validIds);
            assertThat(counts.values()).allMatch(count -> count == 1L);
        }

        RestAssured.get("/q/health/ready").then().statusCode(200);
        RestAssured.get("/q/health/live").then().statusCode(200);
    }

    /** A batch with a valid event first and the broken payload second: the whole batch must be refused. */
    private static byte[] wrapInBatch(byte[] payload) {
        String valid = TestEvents.placed(TestEvents.newId("hostile-batch"), "ORD-HB");
        return ("[" + valid + "," + new String(payload, StandardCharsets.ISO_8859_1) + "]")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
