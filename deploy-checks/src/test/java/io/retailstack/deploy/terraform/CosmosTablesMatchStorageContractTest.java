package io.retailstack.deploy.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.retailstack.deploy.terraform.CassandraTables.ClusteringKey;
import io.retailstack.deploy.terraform.CassandraTables.Table;
import io.retailstack.events.store.CqlScripts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Cosmos DB tables Terraform creates are the CQL storage contract of events-model after every migration: the
 * files event-writer's SchemaApplier applies (its configured list, in order), read from the events-model jar.
 */
class CosmosTablesMatchStorageContractTest {

    private static final String WRITER_CONFIG = "io/retailstack/writer/config/WriterConfig.java";

    private static final String TABLE = "azurerm_cosmosdb_cassandra_table";

    private final TerraformConfig terraform = TerraformConfig.repository();

    @Test
    void terraformTablesAreTheContractAfterAllMigrations() {
        Map<String, Table> contract = contract(contractFiles());
        Map<String, Table> declared = CassandraTables.fromTerraform(terraform);

        // The contract really was read: the V001 tables, V002's columns and V003's table are all there.
        assertThat(contract)
                .containsKeys(
                        "events_by_aggregate",
                        "event_ids_by_aggregate",
                        "events_by_bucket",
                        "inventory_state",
                        "order_state_by_aggregate");
        assertThat(contract.get("events_by_bucket").columns()).containsEntry("ignore_reason", "text");

        assertThat(CassandraTables.differences(contract, declared)).isEmpty();
        assertThat(declared.keySet()).containsExactlyInAnyOrderElementsOf(contract.keySet());
    }

    @Test
    void theLegacyOrderStateTableIsNotCreated() {
        assertThat(CassandraTables.fromTerraform(terraform)).doesNotContainKey("order_state");
        assertThat(contract(contractFiles())).doesNotContainKey("order_state");
    }

    @Test
    void everyTableIsInTheServicesKeyspace() {
        String keyspace = writerSetting("event-writer.cassandra.keyspace", "keyspace");
        Map<String, JsonNode> keyspaces = terraform.resources("azurerm_cosmosdb_cassandra_keyspace");
        assertThat(keyspaces).hasSize(1);
        String label = keyspaces.keySet().iterator().next();
        assertThat(TerraformConfig.text(keyspaces.get(label).path("name"))).isEqualTo(keyspace);
        terraform.resources(TABLE).forEach((name, table) -> assertThat(
                        TerraformConfig.text(table.path("cassandra_keyspace_id")))
                .as("keyspace of table %s", name)
                .isEqualTo("${azurerm_cosmosdb_cassandra_keyspace." + label + ".id}"));
    }

    @Test
    void clusteringOrderUsesTheProviderSpellingAndEveryTableHasAutoscaleThroughput() {
        terraform.local("cassandra_tables").fields().forEachRemaining(table -> {
            for (JsonNode key : table.getValue().path("cluster_key")) {
                assertThat(key.path("order_by").asText())
                        .as("order_by of %s", table.getKey())
                        .isIn("Asc", "Desc");
            }
        });
        terraform.resources(TABLE).forEach((name, table) -> {
            assertThat(TerraformConfig.text(
                            TerraformConfig.block(table, "autoscale_settings").path("max_throughput")))
                    .as("autoscale maximum of %s", name)
                    .contains("var.cosmos_table_max_throughput");
        });
    }

    @Test
    void aContractWithoutItsLaterMigrationsIsReported() {
        List<String> onlyV001 = contractFiles().subList(0, 1);
        List<String> differences =
                CassandraTables.differences(contract(onlyV001), CassandraTables.fromTerraform(terraform));
        assertThat(differences)
                .contains(
                        "table events_by_aggregate: column applied boolean not in the CQL contract",
                        "table events_by_bucket: column ignore_reason text not in the CQL contract",
                        "table order_state_by_aggregate: in terraform, not in the CQL contract");
    }

    @Test
    void anAlteredContractIsReported() {
        List<String> files = new ArrayList<>(contractFiles());
        // A different clustering order, a changed type, a new migration adding a column.
        files.set(0, files.get(0).replace("(seq ASC)", "(seq DESC)").replace("shard          int", "shard bigint"));
        files.add("ALTER TABLE ${keyspace}.inventory_state ADD (channel text);");
        List<String> differences =
                CassandraTables.differences(contract(files), CassandraTables.fromTerraform(terraform));
        assertThat(differences)
                .containsExactlyInAnyOrder(
                        "table events_by_aggregate: clustering key [seq ASC] in terraform, [seq DESC] in the CQL"
                                + " contract",
                        "table events_by_bucket: column shard is int in terraform, bigint in the CQL contract",
                        "table inventory_state: column channel text missing in terraform");
    }

    @Test
    void anAlteredTerraformTableIsReported() {
        Map<String, Table> contract = contract(contractFiles());
        Map<String, Table> declared = CassandraTables.fromTerraform(terraform);
        Table bucket = declared.get("events_by_bucket");
        declared.put(
                "events_by_bucket",
                new Table(
                        bucket.name(),
                        bucket.columns(),
                        List.of("shard", "bucket"),
                        List.of(new ClusteringKey("event_id", "ASC"), new ClusteringKey("recorded_at", "ASC"))));
        declared.remove("event_ids_by_aggregate");
        assertThat(CassandraTables.differences(contract, declared))
                .containsExactlyInAnyOrder(
                        "table event_ids_by_aggregate: in the CQL contract, missing in terraform",
                        "table events_by_bucket: partition key [shard, bucket] in terraform, [bucket, shard] in the"
                                + " CQL contract",
                        "table events_by_bucket: clustering key [event_id ASC, recorded_at ASC] in terraform,"
                                + " [recorded_at ASC, event_id ASC] in the CQL contract");
    }

    @Test
    void theReaderAppliesCreateAndAlterInOrder() {
        String v1 =
                """
                -- a comment; with a semicolon
                CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = ${replication};
                CREATE TABLE IF NOT EXISTS ${keyspace}.t (
                    a text,
                    b int,
                    c timestamp,
                    m map<text, int>,
                    PRIMARY KEY ((a), b, c)
                ) WITH CLUSTERING ORDER BY (b DESC, c ASC);
                CREATE TABLE ${keyspace}.single (id text PRIMARY KEY, v bigint);
                """;
        String v2 =
                """
                ALTER TABLE ${keyspace}.t ADD IF NOT EXISTS (d boolean, e text);
                ALTER TABLE ${keyspace}.single ADD w text;
                """;
        Map<String, Table> tables = CassandraTables.fromCql(List.of(v1, v2), "ks");
        assertThat(tables.get("t"))
                .isEqualTo(new Table(
                        "t",
                        orderedMap(
                                "a",
                                "text",
                                "b",
                                "int",
                                "c",
                                "timestamp",
                                "m",
                                "map<text,int>",
                                "d",
                                "boolean",
                                "e",
                                "text"),
                        List.of("a"),
                        List.of(new ClusteringKey("b", "DESC"), new ClusteringKey("c", "ASC"))));
        assertThat(tables.get("single"))
                .isEqualTo(new Table(
                        "single", orderedMap("id", "text", "v", "bigint", "w", "text"), List.of("id"), List.of()));
    }

    @Test
    void theReaderRejectsWhatItDoesNotUnderstand() {
        String create = "CREATE TABLE ks.t (a text, PRIMARY KEY (a));";
        assertThatThrownBy(() -> CassandraTables.fromCql(List.of(create, "DROP TABLE ks.t;"), "ks"))
                .hasMessageContaining("does not support");
        assertThatThrownBy(() -> CassandraTables.fromCql(List.of(create + "ALTER TABLE ks.t ADD a int;"), "ks"))
                .hasMessageContaining("already exists");
        assertThatThrownBy(() -> CassandraTables.fromCql(
                        List.of("CREATE TABLE ks.t (a text, PRIMARY KEY (a)) WITH default_time_to_live = 60;"), "ks"))
                .hasMessageContaining("table options");
        assertThatThrownBy(() -> CassandraTables.fromCql(List.of("CREATE TABLE other.t (a text PRIMARY KEY);"), "ks"))
                .hasMessageContaining("outside keyspace");
    }

    /** The CQL files SchemaApplier applies, as configured in event-writer, from the class path (events-model). */
    private static List<String> contractFiles() {
        String location = writerSetting("event-writer.cassandra.schema.location", "location");
        List<String> names = Arrays.stream(writerSetting("event-writer.cassandra.schema.files", "files")
                        .split(","))
                .map(String::strip)
                .toList();
        assertThat(names).isNotEmpty();
        List<String> files = new ArrayList<>();
        for (String name : names) {
            String path = location.endsWith("/") ? location + name : location + "/" + name;
            files.add(CqlScripts.read(path));
        }
        return files;
    }

    private static Map<String, Table> contract(List<String> files) {
        return CassandraTables.fromCql(files, writerSetting("event-writer.cassandra.keyspace", "keyspace"));
    }

    private static String writerSetting(String key, String method) {
        return new ServiceSetting("event-writer", key, WRITER_CONFIG, method).productionValue();
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
