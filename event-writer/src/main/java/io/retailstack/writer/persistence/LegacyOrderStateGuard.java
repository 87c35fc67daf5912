package io.retailstack.writer.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;

/**
 * Refuses to write into a keyspace whose order states still live in {@code order_state}, the table keyed by order id
 * that V003 replaced with {@code order_state_by_aggregate}.
 *
 * <p>Why refuse rather than carry on: the writer reads an order's state to learn its last stored {@code seq}. In such
 * a keyspace it would find none for an order that has events, take them for the leftovers of a crashed attempt, and
 * give the order's next event a {@code seq} that is already taken. Nothing was deployed with the old table, so the
 * way out is to recreate the keyspace (or copy the rows over with cqlsh {@code COPY}, then drop {@code order_state}).
 * Checked where the writer applies the schema itself (local); on Cosmos DB, Terraform owns the tables.
 */
public final class LegacyOrderStateGuard {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private LegacyOrderStateGuard() {}

    /**
     * @throws IllegalStateException if {@code keyspace} has an {@code order_state} table with any row in it
     */
    public static void check(CqlSession session, String keyspace) {
        boolean exists = session.execute(SimpleStatement.newInstance(
                                        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name"
                                                + " = 'order_state'",
                                        keyspace)
                                .setTimeout(TIMEOUT))
                        .one()
                != null;
        if (!exists) {
            return;
        }
        boolean hasRows =
                session.execute(SimpleStatement.newInstance("SELECT order_id FROM " + keyspace + ".order_state LIMIT 1")
                                        .setTimeout(TIMEOUT))
                                .one()
                        != null;
        if (hasRows) {
            throw new IllegalStateException("keyspace " + keyspace + " holds order states in order_state, the table"
                    + " V003 replaced with order_state_by_aggregate; the writer will not run on it, as it would"
                    + " assign order events a seq that is already taken. Recreate the keyspace, or copy the rows"
                    + " into order_state_by_aggregate (aggregate_type 'order', aggregate_id = order_id) and drop"
                    + " order_state.");
        }
    }
}
