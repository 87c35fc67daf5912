package io.retailstack.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.enricher.cassandra.CassandraSessionProducer;
import io.retailstack.enricher.service.EnrichmentException;
import io.retailstack.enricher.service.RunReport;
import io.retailstack.enricher.service.ShardSpec;
import io.retailstack.enricher.support.EnricherTestBase;
import io.retailstack.enricher.support.FaultySessions;
import io.retailstack.enricher.support.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cosmos DB throttles reads (429) when a run exceeds the provisioned request units. A throttled read is retried with
 * backoff, page by page, and the run gives the same facts as an unthrottled one; other errors are not retried.
 * The %test profile allows 4 retries 10 ms apart.
 */
@QuarkusTest
class ThrottledReadsTest extends EnricherTestBase {

    private static final int MAX_RETRIES = 4;

    @Test
    void shouldRetryThrottledPagesAndEnrichEverything() {
        store.storeTimed(Scenario.randomDay(71, 150, Instant.now().minus(Duration.ofHours(30)), Duration.ofHours(6)));
        FaultySessions unthrottled = new FaultySessions(sessions.session(), (node, read, attempt, later) -> null);
        QuarkusMock.installMockForType(unthrottled, CassandraSessionProducer.class);
        job.run(ShardSpec.all());
        Map<String, String> expected = pg.checksums();
        long orders = pg.count("bi.fact_order");
        pg.resetFacts();

        // every second read is throttled on its first try, every fifth on its first three: Cosmos DB's message, with
        // its retry-after hint
        FaultySessions throttling = new FaultySessions(
                sessions.session(),
                (node, read, attempt, later) -> (read % 2 == 0 && attempt == 1) || (read % 5 == 0 && attempt <= 3)
                        ? new OverloadedException(node, "Request rate is large: RetryAfterMs=15, ActivityId=t")
                        : null);
        QuarkusMock.installMockForType(throttling, CassandraSessionProducer.class);
        RunReport report = job.run(ShardSpec.all());

        assertThat(report.status()).isEqualTo("SUCCEEDED");
        assertThat(unthrottled.reads())
                .as("partitions read in several pages of %d rows", FaultySessions.PAGE_SIZE)
                .isGreaterThan(unthrottled.readsOfFirstPages());
        assertThat(throttling.failed()).isGreaterThan(20);
        assertThat(throttling.failedLaterPages())
                .as("pages after a read's first were throttled too")
                .isPositive();
        assertThat(throttling.mostAttempts()).isEqualTo(4);
        assertThat(orders).isEqualTo(150);
        assertThat(pg.checksums()).isEqualTo(expected);
    }

    @Test
    void shouldFailTheRunOnceTheRetriesAreSpent() {
        store.storeTimed(Scenario.randomDay(72, 20, Instant.now().minus(Duration.ofHours(10)), Duration.ofHours(2)));
        FaultySessions alwaysThrottled = new FaultySessions(
                sessions.session(),
                (node, read, attempt, later) -> new OverloadedException(node, "Request rate is large"));
        QuarkusMock.installMockForType(alwaysThrottled, CassandraSessionProducer.class);

        assertThatThrownBy(() -> job.run(ShardSpec.all()))
                .isInstanceOf(EnrichmentException.class)
                .hasRootCauseInstanceOf(OverloadedException.class);
        assertThat(alwaysThrottled.mostAttempts()).isEqualTo(1 + MAX_RETRIES);
        assertThat(pg.one("SELECT count(*) FROM ops.watermark")).isEqualTo(0L);
    }

    @Test
    void shouldNotRetryErrorsThatAreNotThrottling() {
        store.storeTimed(Scenario.randomDay(73, 20, Instant.now().minus(Duration.ofHours(10)), Duration.ofHours(2)));
        FaultySessions broken = new FaultySessions(
                sessions.session(),
                (node, read, attempt, later) -> new InvalidQueryException(node, "unconfigured table events_by_bucket"));
        QuarkusMock.installMockForType(broken, CassandraSessionProducer.class);

        assertThatThrownBy(() -> job.run(ShardSpec.all()))
                .isInstanceOf(EnrichmentException.class)
                .hasRootCauseInstanceOf(InvalidQueryException.class);
        assertThat(broken.failed()).isPositive();
        assertThat(broken.mostAttempts()).isEqualTo(1);
    }
}
