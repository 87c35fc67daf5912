package io.retailstack.ingest.fraud;

import static io.retailstack.ingest.support.TopicProbe.withId;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.Extensions;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.ingest.support.TestEvents;
import io.retailstack.ingest.support.TestTokens;
import io.retailstack.ingest.support.TopicProbe;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Orders from blocklisted IPs are accepted and flagged; the list is reloaded from its file without restart. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class FraudScreeningTest {

    private static final Path BLOCKLIST = Path.of("target/test-blocklist.txt");

    @Inject
    FraudScreeningService screening;

    private final EventCodec codec = new EventCodec();
    private TopicProbe events;

    @BeforeEach
    void open() {
        events = TopicProbe.open("test.retail.events");
    }

    @AfterEach
    void close() throws Exception {
        events.close();
        Files.deleteIfExists(BLOCKLIST);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> screening.blocklist().size() == 0);
    }

    private CloudEvent postAndRead(String clientIp) {
        String id = TestEvents.newId("fraud");
        TestTokens.authorized()
                .contentType(CloudEvent.STRUCTURED_CONTENT_TYPE)
                .body(TestEvents.placed(id, "ORD-" + id, clientIp))
                .post("/v1/events")
                .then()
                .statusCode(202);
        return codec.decode(
                events.await(withId(id), 1, Duration.ofSeconds(30)).get(0).value());
    }

    @Test
    void shouldAcceptAndFlagOrdersFromBlocklistedAddressesAfterTheFileChanges() throws Exception {
        assertThat(postAndRead("198.51.100.23").fraudFlagged()).isFalse();

        Files.writeString(BLOCKLIST, "198.51.100.0/24\n2001:db8:bad::/48\n");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> screening.blocklist().size() == 2);

        CloudEvent flagged = postAndRead("198.51.100.23");
        assertThat(flagged.fraudFlagged()).isTrue();
        assertThat(flagged.extension(Extensions.FRAUD_FLAG)).contains("blocklisted-ip");
        assertThat(postAndRead("2001:db8:bad:7::1").fraudFlagged()).isTrue();
        assertThat(postAndRead("198.51.101.23").fraudFlagged()).isFalse();
    }
}
