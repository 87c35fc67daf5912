package io.retailstack.writer.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaApplierTest {

    private static String resource(String name) throws IOException {
        try (InputStream in =
                SchemaApplierTest.class.getClassLoader().getResourceAsStream("retail/cassandra/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldSplitTheContractFilesIntoIdempotentStatements() throws IOException {
        List<String> v1 = SchemaApplier.statements(resource("V001__event_store.cql"));
        assertThat(v1).hasSize(5);
        assertThat(v1.get(0)).startsWith("CREATE KEYSPACE IF NOT EXISTS ${keyspace}");
        assertThat(v1.subList(1, 5)).allMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS ${keyspace}."));
        List<String> v2 = SchemaApplier.statements(resource("V002__event_outcome.cql"));
        assertThat(v2).hasSize(2).allMatch(s -> s.contains("ADD IF NOT EXISTS (applied boolean, ignore_reason text)"));
        List<String> v3 = SchemaApplier.statements(resource("V003__order_state_by_aggregate.cql"));
        assertThat(v3).singleElement().satisfies(s -> assertThat(s)
                .startsWith("CREATE TABLE IF NOT EXISTS ${keyspace}.order_state_by_aggregate")
                .contains("PRIMARY KEY ((aggregate_type, aggregate_id))"));
        assertThat(v1).noneMatch(s -> s.contains("--"));
        assertThat(v3).noneMatch(s -> s.contains("--"));
    }
}
