package io.retailstack.enricher.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.retailstack.enricher.config.EnricherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Reads the event store by partition key only: {@code events_by_bucket} one (bucket, shard) partition at a time and
 * {@code events_by_aggregate} one aggregate at a time. No scans, no token ranges (Cosmos DB). Every read is async;
 * a semaphore bounds the requests in flight, and a throttled page is retried with backoff ({@link
 * ThrottleAwareRequests}).
 */
@ApplicationScoped
public class EventStoreReader {

    @Inject
    CassandraSessionProducer sessions;

    @Inject
    EnricherConfig config;

    @Inject
    ThrottleAwareRequests requests;

    private volatile Statements statements;
    private volatile Semaphore inFlight;

    private record Statements(PreparedStatement bucket, PreparedStatement aggregate) {}

    private Statements statements() {
        Statements s = statements;
        if (s == null) {
            synchronized (this) {
                if (statements == null) {
                    CqlSession session = sessions.session();
                    String ks = config.cassandra().keyspace();
                    statements = new Statements(
                            session.prepare("SELECT shard, recorded_at, event_id, aggregate_type, aggregate_id, seq, "
                                    + "event_type, payload FROM " + ks + ".events_by_bucket "
                                    + "WHERE bucket = ? AND shard = ? AND recorded_at >= ? AND recorded_at < ?"),
                            session.prepare("SELECT seq, recorded_at, event_id, event_type, payload FROM " + ks
                                    + ".events_by_aggregate WHERE aggregate_type = ? AND aggregate_id = ?"));
                    inFlight = new Semaphore(config.cassandra().maxConcurrentReads());
                }
                s = statements;
            }
        }
        return s;
    }

    /** All rows of one bucket partition recorded in {@code [from, to)}, in clustering order. */
    public CompletableFuture<List<EventRow>> readPartition(String bucket, int shard, Instant from, Instant to) {
        Statements s = statements();
        acquire();
        List<EventRow> rows = new ArrayList<>();
        CompletableFuture<List<EventRow>> result = new CompletableFuture<>();
        page(s.bucket().bind(bucket, shard, from, to), rows, result, EventStoreReader::bucketRow);
        return result.whenComplete((r, e) -> inFlight.release());
    }

    /** The full history of one aggregate, by seq. */
    public CompletableFuture<List<EventRow>> readAggregate(String aggregateType, String aggregateId, int shard) {
        Statements s = statements();
        acquire();
        List<EventRow> rows = new ArrayList<>();
        CompletableFuture<List<EventRow>> result = new CompletableFuture<>();
        page(
                s.aggregate().bind(aggregateType, aggregateId),
                rows,
                result,
                row -> new EventRow(
                        shard,
                        row.getInstant(1),
                        row.getString(2),
                        aggregateType,
                        aggregateId,
                        row.getLong(0),
                        row.getString(3),
                        bytes(row, 4)));
        return result.whenComplete((r, e) -> inFlight.release());
    }

    private static EventRow bucketRow(Row row) {
        return new EventRow(
                row.getInt(0),
                row.getInstant(1),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getLong(5),
                row.getString(6),
                bytes(row, 7));
    }

    /** A text column's UTF-8 bytes as the server sent them: no String decoding on the driver's I/O thread. */
    private static byte[] bytes(Row row, int column) {
        java.nio.ByteBuffer raw = row.getBytesUnsafe(column);
        if (raw == null) {
            return null;
        }
        byte[] out = new byte[raw.remaining()];
        raw.duplicate().get(out);
        return out;
    }

    /**
     * Reads one page of {@code statement}, then the next from its paging state, each through {@link
     * ThrottleAwareRequests}: a throttled page is retried on its own, the pages before it are kept.
     */
    private void page(
            BoundStatement statement,
            List<EventRow> rows,
            CompletableFuture<List<EventRow>> result,
            Function<Row, EventRow> mapper) {
        CompletionStage<AsyncResultSet> request;
        try {
            request = requests.execute(statement);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        request.whenComplete((rs, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
                return;
            }
            try {
                for (Row row : rs.currentPage()) {
                    rows.add(mapper.apply(row));
                }
                if (rs.hasMorePages()) {
                    page(statement.setPagingState(rs.getExecutionInfo().getPagingState()), rows, result, mapper);
                } else {
                    result.complete(rows);
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    private void acquire() {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a Cassandra read slot", e);
        }
    }
}
