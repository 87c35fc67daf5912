package io.retailstack.ingest.health;

import io.retailstack.ingest.config.IngestConfig;
import io.retailstack.ingest.messaging.KafkaClientFactory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the Kafka cluster answers {@code describeCluster} within {@code ingest.health.kafka-timeout}. The result
 * is reused for {@code ingest.health.cache-for}, so frequent probes cost the brokers one request per period. Without
 * Kafka nothing can be accepted, so the pod is taken out of the Service until it is back.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    private final KafkaClientFactory clients;
    private final IngestConfig.Health config;
    private Admin admin;
    private HealthCheckResponse cached;
    private long cachedAtNanos;

    @Inject
    public KafkaReadinessCheck(KafkaClientFactory clients, IngestConfig config) {
        this.clients = clients;
        this.config = config.health();
    }

    @Override
    public synchronized HealthCheckResponse call() {
        long now = System.nanoTime();
        if (cached == null || now - cachedAtNanos > config.cacheFor().toNanos()) {
            cached = check();
            cachedAtNanos = System.nanoTime();
        }
        return cached;
    }

    private HealthCheckResponse check() {
        long timeout = config.kafkaTimeout().toMillis();
        try {
            if (admin == null) {
                admin = clients.admin("ingest-service-health");
            }
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout))
                    .nodes()
                    .get(timeout, TimeUnit.MILLISECONDS)
                    .size();
            return HealthCheckResponse.named("kafka")
                    .up()
                    .withData("nodes", nodes)
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        } catch (Exception e) {
            return down(e.getCause() != null ? e.getCause().toString() : e.toString());
        }
    }

    private static HealthCheckResponse down(String error) {
        return HealthCheckResponse.named("kafka")
                .down()
                .withData("error", error)
                .build();
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
