package io.retailstack.deploy.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The event hubs are exactly the Kafka topics the services use in production (their application.properties and
 * config-mapping defaults, never the {@code %test} topics), the consumer groups are the services' group ids, and each
 * service's shared access policy has only the rights its topics need.
 */
class EventHubsMatchServiceTopicsTest {

    private static final String INGEST = "io/retailstack/ingest/config/IngestConfig.java";
    private static final String WRITER = "io/retailstack/writer/config/WriterConfig.java";
    private static final String CACHE = "io/retailstack/cache/config/CacheConfig.java";

    private final TerraformConfig terraform = TerraformConfig.repository();

    // What each service reads and writes in production.
    private final String ingestRaw = setting("ingest-service", "ingest.topics.raw", INGEST, "raw");
    private final String ingestEvents = setting("ingest-service", "ingest.topics.events", INGEST, "events");
    private final String ingestDlq = setting("ingest-service", "ingest.topics.dlq", INGEST, "dlq");
    private final String writerEvents = setting("event-writer", "event-writer.kafka.topic", WRITER, "topic");
    private final String writerState = setting("event-writer", "event-writer.kafka.state-topic", WRITER, "stateTopic");
    private final String writerDlq = setting("event-writer", "event-writer.kafka.dlq-topic", WRITER, "dlqTopic");
    private final String cacheState = setting("cache-service", "cache.state.topic", CACHE, "topic");

    @Test
    void hubNamesAreExactlyTheTopicsOfTheServices() {
        Set<String> topics = new TreeSet<>(
                List.of(ingestRaw, ingestEvents, ingestDlq, writerEvents, writerState, writerDlq, cacheState));
        assertThat(hubNames().values()).containsExactlyInAnyOrderElementsOf(topics);
        // The services agree with each other on the topics they share.
        assertThat(writerEvents).isEqualTo(ingestEvents);
        assertThat(writerDlq).isEqualTo(ingestDlq);
        assertThat(cacheState).isEqualTo(writerState);
        assertThat(topics)
                .containsExactlyInAnyOrder("retail.events.raw", "retail.events", "retail.events.dlq", "retail.state");
    }

    @Test
    void theTopicsOutputNamesEachHubByItsRole() {
        Map<String, String> hubs = hubNames();
        Map<String, String> byRole = new TreeMap<>();
        terraform.local("kafka_topics").fields().forEachRemaining(e -> {
            String reference = TerraformConfig.text(e.getValue());
            assertThat(reference).matches("\\$\\{azurerm_eventhub\\.\\w+\\.name}");
            String label = reference.substring("${azurerm_eventhub.".length(), reference.length() - ".name}".length());
            assertThat(hubs).containsKey(label);
            byRole.put(e.getKey(), hubs.get(label));
        });
        assertThat(byRole)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("raw", ingestRaw, "events", ingestEvents, "dlq", ingestDlq, "state", writerState));
        assertThat(TerraformConfig.text(terraform.outputs().get("kafka_topics").path("value")))
                .isEqualTo("${local.kafka_topics}");
    }

    @Test
    void hubsUseTheNamespaceAndThePartitionAndRetentionVariables() {
        terraform.resources("azurerm_eventhub").forEach((label, hub) -> {
            assertThat(TerraformConfig.text(hub.path("namespace_id")))
                    .isEqualTo("${azurerm_eventhub_namespace.this.id}");
            assertThat(TerraformConfig.text(hub.path("partition_count"))).isEqualTo("${var.eventhubs_partition_count}");
            assertThat(TerraformConfig.text(hub.path("message_retention")))
                    .isEqualTo("${var.eventhubs_message_retention_days}");
        });
        JsonNode namespace = terraform.resource("azurerm_eventhub_namespace", "this");
        assertThat(TerraformConfig.text(namespace.path("sku"))).isEqualTo("${var.eventhubs_sku}");
        assertThat(TerraformConfig.text(
                        terraform.variables().get("eventhubs_sku").path("default")))
                .isIn("Standard", "Premium");
        assertThat(TerraformConfig.text(terraform.local("kafka_bootstrap_servers")))
                .isEqualTo("${azurerm_eventhub_namespace.this.name}.servicebus.windows.net:9093");
    }

    @Test
    void consumerGroupsAreTheGroupIdsOfTheServices() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("ingest-service", setting("ingest-service", "ingest.raw.group-id", INGEST, "groupId"));
        expected.put("event-writer", setting("event-writer", "event-writer.kafka.group-id", WRITER, "groupId"));
        expected.put("cache-service", setting("cache-service", "cache.state.group-id", CACHE, "groupId"));

        Map<String, String> declared = new LinkedHashMap<>();
        terraform
                .local("kafka_consumer_groups")
                .fields()
                .forEachRemaining(e -> declared.put(e.getKey(), TerraformConfig.text(e.getValue())));
        assertThat(declared).containsExactlyInAnyOrderEntriesOf(expected);

        // Kafka consumer groups are created by the Kafka endpoint itself; Event Hubs consumer groups, if anyone
        // adds them, must at least carry the services' group ids.
        terraform.resources("azurerm_eventhub_consumer_group").values().forEach(group -> assertThat(
                        TerraformConfig.text(group.path("name")))
                .isIn(expected.values()));
    }

    @Test
    void eachServiceHasItsOwnPolicyWithOnlyTheRightsItUses() {
        // One resource creates a policy per entry of local.eventhubs_policies, named after the service, with that
        // entry's rights and never Manage.
        Map<String, JsonNode> rules = terraform.resources("azurerm_eventhub_namespace_authorization_rule");
        assertThat(rules).containsOnlyKeys("service");
        JsonNode rule = rules.get("service");
        assertThat(TerraformConfig.text(rule.path("for_each"))).isEqualTo("${local.eventhubs_policies}");
        assertThat(TerraformConfig.text(rule.path("name"))).isEqualTo("${each.key}");
        assertThat(TerraformConfig.text(rule.path("listen"))).isEqualTo("${each.value.listen}");
        assertThat(TerraformConfig.text(rule.path("send"))).isEqualTo("${each.value.send}");
        assertThat(rule.path("manage").isBoolean() && !rule.path("manage").asBoolean())
                .as("no policy has the Manage right")
                .isTrue();

        // ingest-service: reads raw, writes events and dlq. event-writer: reads events, writes state and dlq.
        // cache-service: reads state only.
        JsonNode policies = terraform.local("eventhubs_policies");
        assertThat(fieldNames(policies)).containsExactlyInAnyOrder("ingest-service", "event-writer", "cache-service");
        assertRights(policies, "ingest-service", true, true);
        assertRights(policies, "event-writer", true, true);
        assertRights(policies, "cache-service", true, false);

        // Each service's connection string comes from its own policy.
        JsonNode values = terraform.local("key_vault_secret_values");
        assertThat(TerraformConfig.text(values.path("eventhubs_ingest_connection_string")))
                .isEqualTo(connectionStringOf("ingest-service"));
        assertThat(TerraformConfig.text(values.path("eventhubs_writer_connection_string")))
                .isEqualTo(connectionStringOf("event-writer"));
        assertThat(TerraformConfig.text(values.path("eventhubs_cache_connection_string")))
                .isEqualTo(connectionStringOf("cache-service"));
    }

    private static String connectionStringOf(String service) {
        return "${azurerm_eventhub_namespace_authorization_rule.service[\"" + service
                + "\"].primary_connection_string}";
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertRights(JsonNode policies, String name, boolean listen, boolean send) {
        JsonNode rights = policies.path(name);
        assertThat(rights.path("listen").isBoolean())
                .as("%s listen is a literal", name)
                .isTrue();
        assertThat(rights.path("listen").asBoolean()).as("%s listen", name).isEqualTo(listen);
        assertThat(rights.path("send").isBoolean())
                .as("%s send is a literal", name)
                .isTrue();
        assertThat(rights.path("send").asBoolean()).as("%s send", name).isEqualTo(send);
    }

    /** Event hub names by resource label. */
    private Map<String, String> hubNames() {
        Map<String, String> names = new TreeMap<>();
        terraform
                .resources("azurerm_eventhub")
                .forEach((label, hub) -> names.put(label, TerraformConfig.text(hub.path("name"))));
        return names;
    }

    private static String setting(String module, String key, String mapping, String method) {
        return new ServiceSetting(module, key, mapping, method).productionValue();
    }
}
