package io.retailstack.writer.persistence;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import io.retailstack.localstack.StackEndpoints;
import io.retailstack.localstack.junit.LocalStackExtension;
import io.retailstack.writer.support.StandaloneWriter;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Against the real local Cassandra: a keyspace from before V003 with order states in it is refused, others pass. */
@ExtendWith(LocalStackExtension.class)
class LegacyOrderStateGuardTest {

    private final String keyspace =
            "event_writer_legacy_" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void refusesAKeyspaceWhoseOrderStatesAreStillInTheTableV003Replaced(StackEndpoints stack) {
        try (CqlSession cql = StandaloneWriter.session(stack)) {
            StandaloneWriter.applySchema(cql, keyspace);
            assertThatCode(() -> LegacyOrderStateGuard.check(cql, keyspace)).doesNotThrowAnyException();

            // the table as V001 created it before V003
            cql.execute("CREATE TABLE " + keyspace + ".order_state (order_id text PRIMARY KEY, version bigint,"
                    + " last_seq bigint, status text, flagged boolean, state text, source_partition int,"
                    + " source_offset bigint, updated_at timestamp)");
            assertThatCode(() -> LegacyOrderStateGuard.check(cql, keyspace)).doesNotThrowAnyException();

            cql.execute("INSERT INTO " + keyspace + ".order_state (order_id, version, last_seq) VALUES ('O-1', 2, 2)");
            assertThatThrownBy(() -> LegacyOrderStateGuard.check(cql, keyspace))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("order_state_by_aggregate")
                    .hasMessageContaining(keyspace);
        } finally {
            try (CqlSession cql = StandaloneWriter.session(stack)) {
                cql.execute("DROP KEYSPACE IF EXISTS " + keyspace);
            }
        }
    }
}
