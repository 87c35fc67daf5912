package io.retailstack.writer.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Trivially up while the JVM serves HTTP. Storage outages are waited out, not fixed by a restart, so they only take
 * readiness down; the consumer loop recreates its client after any unexpected failure instead of dying.
 */
@Liveness
@ApplicationScoped
public class WriterLivenessCheck implements HealthCheck {
    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up("event-writer-alive");
    }
}
