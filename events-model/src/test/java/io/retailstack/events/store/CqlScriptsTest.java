package io.retailstack.events.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CqlScriptsTest {

    private static String resource(String name) {
        return CqlScripts.read(CqlScripts.LOCATION + name);
    }

    @Test
    void shouldSplitTheContractFilesIntoIdempotentStatements() {
        List<String> v1 = CqlScripts.statements(resource("V001__event_store.cql"));
        assertThat(v1).hasSize(5);
        assertThat(v1.get(0)).startsWith("CREATE KEYSPACE IF NOT EXISTS ${keyspace}");
        assertThat(v1.subList(1, 5)).allMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS ${keyspace}."));
        List<String> v2 = CqlScripts.statements(resource("V002__event_outcome.cql"));
        assertThat(v2).hasSize(2).allMatch(s -> s.contains("ADD IF NOT EXISTS (applied boolean, ignore_reason text)"));
        List<String> v3 = CqlScripts.statements(resource("V003__order_state_by_aggregate.cql"));
        assertThat(v3).singleElement().satisfies(s -> assertThat(s)
                .startsWith("CREATE TABLE IF NOT EXISTS ${keyspace}.order_state_by_aggregate")
                .contains("PRIMARY KEY ((aggregate_type, aggregate_id))"));
        assertThat(v1).noneMatch(s -> s.contains("--"));
        assertThat(v3).noneMatch(s -> s.contains("--"));
    }

    @Test
    void shouldSubstituteTheKeyspaceAndReplication() {
        List<String> v1 = CqlScripts.statements(resource("V001__event_store.cql"), "ks1", "{'class':'X'}");
        assertThat(v1.get(0)).isEqualTo("CREATE KEYSPACE IF NOT EXISTS ks1 WITH replication = {'class':'X'}");
        assertThat(v1.subList(1, 5)).allMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS ks1."));
        assertThat(v1).noneMatch(s -> s.contains("${"));
    }

    @Test
    void shouldNameAMissingFile() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CqlScripts.read(CqlScripts.LOCATION + "V999.cql"))
                .hasMessageContaining("retail/cassandra/V999.cql");
    }
}
