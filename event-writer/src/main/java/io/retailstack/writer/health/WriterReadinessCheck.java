package io.retailstack.writer.health;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.retailstack.writer.persistence.CassandraErrors;
import io.retailstack.writer.persistence.EventStore;
import io.retailstack.writer.service.EventWriterService;
import io.retailstack.writer.service.WriterStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when Cassandra answers (a one-row query now, and writes not failing for more than a few seconds) and the
 * consumer is not stuck (its poll loop turns and no batch has been in flight longer than {@code
 * event-writer.health.stuck-after}).
 */
@Readiness
@ApplicationScoped
public class WriterReadinessCheck implements HealthCheck {

    private static final Duration FAILING_WRITES_TOLERATED = Duration.ofSeconds(5);

    private final EventWriterService writer;

    public WriterReadinessCheck(EventWriterService writer) {
        this.writer = writer;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("event-writer");
        if (!writer.config().enabled()) {
            return r.up().withData("consumer", "disabled").build();
        }
        WriterStatus status = writer.status();
        Optional<EventStore> store = writer.store();
        if (store.isEmpty()) {
            String error = status.connectError();
            return r.down()
                    .withData("cassandra", error == null ? "not connected yet" : "not connected yet: " + error)
                    .build();
        }
        boolean up = true;
        try {
            store.get()
                    .session()
                    .executeAsync(SimpleStatement.newInstance("SELECT release_version FROM system.local")
                            .setTimeout(writer.config().health().cassandraTimeout()))
                    .toCompletableFuture()
                    .get(
                            writer.config().health().cassandraTimeout().toMillis() + 500,
                            java.util.concurrent.TimeUnit.MILLISECONDS);
            r.withData("cassandra", "reachable");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            up = false;
            r.withData("cassandra", "unreachable: " + e);
        }
        Duration failing = status.storeFailingFor();
        if (failing != null && failing.compareTo(FAILING_WRITES_TOLERATED) > 0) {
            up = false;
            r.withData("writes", "failing for " + failing.toSeconds() + " s: " + status.lastStoreError());
            String hint = CassandraErrors.operatorHint(status.lastStoreCause());
            if (hint != null) {
                r.withData("action", hint);
            }
        }
        String stuck = status.stuckReason(writer.config().health().stuckAfter());
        if (stuck != null) {
            up = false;
            r.withData("consumer", "stuck: " + stuck);
        } else {
            r.withData("consumer", status.running() ? "polling" : "starting");
        }
        return r.status(up).build();
    }
}
