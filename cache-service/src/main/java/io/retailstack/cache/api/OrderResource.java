package io.retailstack.cache.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.retailstack.cache.config.CacheConfig;
import io.retailstack.cache.persistence.CachedState;
import io.retailstack.cache.persistence.CassandraStateRepository.EventRow;
import io.retailstack.cache.service.HistoryService;
import io.retailstack.cache.service.ReadResult;
import io.retailstack.cache.service.StateReadService;
import io.retailstack.events.fold.OrderState;
import io.retailstack.events.state.StateCodec;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Order reads: current state (cache-aside), history and as-of state (event store). */
@Path("/v1/orders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "orders", description = "Where is my order?")
public class OrderResource {
    private final StateReadService reads;
    private final HistoryService history;
    private final String cacheControl;
    private final StateCodec stateCodec = new StateCodec();
    private final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    public OrderResource(StateReadService reads, HistoryService history, CacheConfig config) {
        this.reads = reads;
        this.history = history;
        this.cacheControl = config.http().orderCacheControl();
    }

    /** Record of one stored event in the history. */
    public record HistoryEntry(
            long seq, String eventId, String type, Instant time, Instant recordedAt, JsonNode event) {}

    /** An order's history. */
    public record OrderHistory(String orderId, Instant asOf, List<HistoryEntry> events) {}

    @GET
    @Path("/{orderId}")
    @Operation(
            summary = "Current state of an order",
            description = "From Redis, else Cassandra (then cached). With asOf: the state folded from the events that"
                    + " had happened by then. ETag = version; If-None-Match gives 304. X-Cache: HIT, MISS or BYPASS.")
    @APIResponse(
            responseCode = "200",
            description = "The order state",
            content = @Content(schema = @Schema(implementation = OrderState.class)))
    @APIResponse(responseCode = "304", description = "Not modified")
    @APIResponse(responseCode = "400", description = "Malformed id or asOf")
    @APIResponse(responseCode = "404", description = "Unknown order")
    @APIResponse(responseCode = "503", description = "Neither Redis nor Cassandra can answer")
    public CompletionStage<RestResponse<byte[]>> order(
            @PathParam("orderId") String orderId,
            @Parameter(description = "ISO-8601 instant, e.g. 2026-01-31T12:00:00Z") @QueryParam("asOf") String asOf,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        Ids.require("orderId", orderId);
        Instant at = Ids.instant("asOf", asOf);
        if (at != null) {
            return Offload.toWorker(() -> orderAsOf(orderId, at, ifNoneMatch));
        }
        // A hot order held in this instance's memory is answered right here on the event loop: no I/O, no hand-off.
        // (CompletionStage rather than Uni: no context-propagation wrapping on this path.)
        ReadResult<CachedState> near = reads.nearOrder(orderId);
        if (near != null) {
            return CompletableFuture.completedFuture(current(orderId, near, ifNoneMatch));
        }
        return Offload.toWorker(() -> current(orderId, reads.order(orderId), ifNoneMatch));
    }

    private RestResponse<byte[]> orderAsOf(String orderId, Instant at, String ifNoneMatch) {
        OrderState state = history.orderAsOf(orderId, at);
        if (state.version() == 0) {
            throw ProblemException.notFound("order " + orderId + " did not exist at " + at);
        }
        byte[] body = stateCodec.publicOrderJson(state).getBytes(StandardCharsets.UTF_8);
        return HttpCaching.respondJson(
                body,
                HttpCaching.etag(Long.toString(state.version())),
                cacheControl,
                ReadResult.Source.BYPASS,
                ifNoneMatch);
    }

    private RestResponse<byte[]> current(String orderId, ReadResult<CachedState> result, String ifNoneMatch) {
        CachedState state = result.value();
        if (state.notFound()) {
            throw new ProblemException(
                    404,
                    "Not Found",
                    "order " + orderId + " is unknown",
                    Map.of(HttpCaching.X_CACHE, result.source().name()));
        }
        return HttpCaching.respondJson(
                state.json(),
                HttpCaching.etag(Long.toString(state.version())),
                cacheControl,
                result.source(),
                ifNoneMatch);
    }

    @GET
    @Path("/{orderId}/events")
    @Operation(
            summary = "History of an order",
            description =
                    "The stored events in order (seq), each with its CloudEvent less the client's IP and the fraud"
                            + " flag; with asOf only those whose event time is not after it.")
    @APIResponse(
            responseCode = "200",
            description = "The history",
            content = @Content(schema = @Schema(implementation = OrderHistory.class)))
    @APIResponse(responseCode = "404", description = "No events for this order")
    public Response events(
            @PathParam("orderId") String orderId,
            @QueryParam("asOf") String asOf,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        Ids.require("orderId", orderId);
        Instant at = Ids.instant("asOf", asOf);
        List<EventRow> rows = history.orderEvents(orderId, at);
        if (rows.isEmpty()) {
            throw ProblemException.notFound("order " + orderId + " has no events" + (at == null ? "" : " by " + at));
        }
        List<HistoryEntry> entries = new ArrayList<>(rows.size());
        for (EventRow row : rows) {
            entries.add(new HistoryEntry(
                    row.seq(),
                    row.eventId(),
                    row.eventType(),
                    row.eventTime(),
                    row.recordedAt(),
                    PublicEventView.of(tree(row.payload()))));
        }
        return HttpCaching.respond(
                new OrderHistory(orderId, at, entries),
                HttpCaching.etag("s" + rows.get(rows.size() - 1).seq()),
                cacheControl,
                ReadResult.Source.BYPASS,
                ifNoneMatch);
    }

    private JsonNode tree(String payload) {
        try {
            return json.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
