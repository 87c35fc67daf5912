package io.retailstack.demo.probe;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.retailstack.events.AggregateKey;
import io.retailstack.localstack.StackEndpoints;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads what event-writer stored, to reconcile and to report. */
public final class CassandraProbe implements AutoCloseable {
    private final CqlSession session;
    private final PreparedStatement eventsOf;
    private final PreparedStatement orderState;
    private final PreparedStatement inventoryOfSku;

    public CassandraProbe(StackEndpoints endpoints, String keyspace) {
        session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(endpoints.cassandraHost(), endpoints.cassandraPort()))
                .withLocalDatacenter(endpoints.cassandraLocalDatacenter())
                .withKeyspace(keyspace)
                .build();
        eventsOf = session.prepare(
                "SELECT seq, event_id, payload FROM events_by_aggregate WHERE aggregate_type = ? AND aggregate_id = ?");
        orderState = session.prepare(
                "SELECT version, state FROM order_state_by_aggregate WHERE aggregate_type = 'order' AND aggregate_id = ?");
        inventoryOfSku = session.prepare(
                "SELECT location_id, version, on_hand, reserved, available FROM inventory_state WHERE sku = ?");
    }

    /** One stored event of an aggregate. */
    public record StoredEvent(long seq, String eventId, String payload) {}

    /** The aggregate's events in seq order. */
    public List<StoredEvent> events(AggregateKey key) {
        List<StoredEvent> events = new ArrayList<>();
        for (Row row : session.execute(eventsOf.bind(key.type().name().toLowerCase(java.util.Locale.ROOT), key.id()))) {
            events.add(new StoredEvent(row.getLong("seq"), row.getString("event_id"), row.getString("payload")));
        }
        return events;
    }

    /** The stored order state: version and JSON. */
    public record StoredState(long version, String json) {}

    public Optional<StoredState> orderState(String orderId) {
        Row row = session.execute(orderState.bind(orderId)).one();
        return row == null
                ? Optional.empty()
                : Optional.of(new StoredState(row.getLong("version"), row.getString("state")));
    }

    /** Availability of one SKU at one location. */
    public record Stock(String locationId, long version, long onHand, long reserved, long available) {}

    public List<Stock> inventory(String sku) {
        List<Stock> stock = new ArrayList<>();
        for (Row row : session.execute(inventoryOfSku.bind(sku))) {
            stock.add(new Stock(
                    row.getString("location_id"),
                    row.getLong("version"),
                    row.getLong("on_hand"),
                    row.getLong("reserved"),
                    row.getLong("available")));
        }
        return stock;
    }

    @Override
    public void close() {
        session.close();
    }
}
