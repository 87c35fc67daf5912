package io.retailstack.ingest.health;

import io.retailstack.ingest.messaging.RawEventConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down when the raw-topic consumer thread died on an unrecoverable error (it survives broker outages): a restart is the
 * fix, which is what a failing liveness probe gets.
 */
@Liveness
@ApplicationScoped
public class RawConsumerLivenessCheck implements HealthCheck {

    private final RawEventConsumer consumer;

    @Inject
    public RawConsumerLivenessCheck(RawEventConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("raw-intake")
                .status(consumer.isHealthy())
                .build();
    }
}
