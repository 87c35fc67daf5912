package io.retailstack.cache.service;

import io.retailstack.cache.persistence.CassandraStateRepository;
import io.retailstack.cache.persistence.CassandraStateRepository.EventRow;
import io.retailstack.events.AggregateType;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.fold.OrderFold;
import io.retailstack.events.fold.OrderState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * History and "time machine" reads, straight from events_by_aggregate (one partition per aggregate). Not cached: they
 * are rare, and an as-of answer for a past instant can still change when a late event for that past arrives.
 *
 * <p>As-of uses the event time ({@code time}, when it happened), not the recording time: "what was the order's status
 * at 14:00" means the events that had happened by 14:00, folded in stored (seq) order with {@link OrderFold}.
 */
@ApplicationScoped
public class HistoryService {
    private final CassandraStateRepository cassandra;
    private final EventCodec codec = new EventCodec();

    HistoryService() {
        this.cassandra = null;
    }

    @Inject
    public HistoryService(CassandraStateRepository cassandra) {
        this.cassandra = cassandra;
    }

    /** The stored events of an order in seq order, those with event time after {@code asOf} left out if given. */
    public List<EventRow> orderEvents(String orderId, Instant asOf) {
        List<EventRow> rows =
                StateReadService.fromCassandra(() -> cassandra.readEvents(AggregateType.ORDER.prefix(), orderId));
        if (asOf == null) {
            return rows;
        }
        List<EventRow> upTo = new ArrayList<>(rows.size());
        for (EventRow row : rows) {
            if (row.eventTime() != null && !row.eventTime().isAfter(asOf)) {
                upTo.add(row);
            }
        }
        return upTo;
    }

    /** The order as folded from its events up to {@code asOf}; status NONE (version 0) if nothing applies by then. */
    public OrderState orderAsOf(String orderId, Instant asOf) {
        List<CloudEvent> events = new ArrayList<>();
        for (EventRow row : orderEvents(orderId, asOf)) {
            events.add(codec.decode(row.payload().getBytes(StandardCharsets.UTF_8)));
        }
        return OrderFold.fold(orderId, events);
    }
}
