package io.retailstack.ingest.messaging;

import io.quarkus.runtime.StartupEvent;
import io.retailstack.ingest.config.IngestConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.jboss.logging.Logger;

/**
 * Creates the events, raw and dead-letter topics at start when {@code ingest.topics.create} is on (local stack and
 * tests). Where the platform owns the topics (Event Hubs via Terraform) it is off and nothing is created.
 */
@ApplicationScoped
public class TopicInitializer {

    private static final Logger LOG = Logger.getLogger(TopicInitializer.class);

    private final KafkaClientFactory clients;
    private final IngestConfig.Topics topics;

    @Inject
    public TopicInitializer(KafkaClientFactory clients, IngestConfig config) {
        this.clients = clients;
        this.topics = config.topics();
    }

    void onStart(@Observes @Priority(1000) StartupEvent event) {
        if (topics.create()) {
            createTopics();
        }
    }

    /** Creates the missing topics; existing ones are left as they are. Failure is logged, not fatal. */
    public void createTopics() {
        List<String> names = List.of(topics.events(), topics.raw(), topics.dlq());
        try (Admin admin = clients.admin("ingest-service-topics")) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream()
                    .filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(
                            name, Optional.of(topics.partitions()), Optional.of(topics.replicationFactor())))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            LOG.infof(
                    "created topics %s with %d partitions",
                    missing.stream().map(NewTopic::name).collect(Collectors.joining(", ")), topics.partitions());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException) {
                return; // another replica was faster
            }
            LOG.warnf("could not create topics %s: %s", names, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warnf("could not create topics %s: Kafka did not answer in 30 s", names);
        }
    }
}
