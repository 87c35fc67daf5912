package io.retailstack.enricher.health;

import io.retailstack.enricher.cassandra.CassandraSessionProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when Cassandra answers a trivial query (PostgreSQL has its own check from the datasource). */
@Readiness
@ApplicationScoped
public class CassandraHealthCheck implements HealthCheck {

    @Inject
    CassandraSessionProducer sessions;

    @Override
    public HealthCheckResponse call() {
        try {
            String version = sessions.session()
                    .execute("SELECT release_version FROM system.local")
                    .one()
                    .getString(0);
            return HealthCheckResponse.named("cassandra")
                    .up()
                    .withData("version", version)
                    .build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("cassandra")
                    .down()
                    .withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
