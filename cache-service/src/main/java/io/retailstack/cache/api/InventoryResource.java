package io.retailstack.cache.api;

import io.retailstack.cache.config.CacheConfig;
import io.retailstack.cache.persistence.CachedState;
import io.retailstack.cache.service.ReadResult;
import io.retailstack.cache.service.StateReadService;
import io.retailstack.events.fold.InventoryState;
import io.retailstack.events.state.StateCodec;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Inventory availability per SKU: per location and in total, one location, and "can I buy N?".
 *
 * <p>Hot SKUs held in this instance's near tier are answered on the event loop; everything else on a worker thread.
 *
 * <p>ETag of a SKU: {@code "<sum of location versions>.<number of locations>"}. Location versions only grow and
 * locations never disappear, so any change yields a new tag.
 */
@Path("/v1/inventory/{sku}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "inventory", description = "Is this article still available, and where?")
public class InventoryResource {
    static final long MAX_QUANTITY = 1_000_000;

    private final StateReadService reads;
    private final String cacheControl;
    private final StateCodec stateCodec = new StateCodec();

    public InventoryResource(StateReadService reads, CacheConfig config) {
        this.reads = reads;
        this.cacheControl = config.http().inventoryCacheControl();
    }

    /** Stock of the SKU at one location. */
    public record LocationStock(String locationId, long onHand, long reserved, long available, long version) {}

    /** Stock of the SKU everywhere. */
    public record SkuStock(
            String sku, long totalOnHand, long totalReserved, long totalAvailable, List<LocationStock> locations) {}

    /** Answer to "can I buy this quantity?". */
    public record AvailabilityCheck(
            String sku,
            long quantity,
            boolean available,
            long totalAvailable,
            List<String> fulfillableFrom,
            List<LocationStock> locations) {}

    @GET
    @Operation(summary = "Availability of a SKU per location and in total")
    @APIResponse(
            responseCode = "200",
            description = "Stock per location",
            content = @Content(schema = @Schema(implementation = SkuStock.class)))
    @APIResponse(responseCode = "404", description = "Unknown SKU")
    public CompletionStage<Response> sku(
            @PathParam("sku") String sku, @HeaderParam("If-None-Match") String ifNoneMatch) {
        Ids.require("sku", sku);
        return answer(sku, result -> skuStock(sku, result, ifNoneMatch));
    }

    private Response skuStock(String sku, ReadResult<Map<String, CachedState>> result, String ifNoneMatch) {
        List<LocationStock> locations = stocks(result.value());
        long onHand = 0;
        long reserved = 0;
        long available = 0;
        for (LocationStock l : locations) {
            onHand += l.onHand();
            reserved += l.reserved();
            available += l.available();
        }
        return HttpCaching.respond(
                new SkuStock(sku, onHand, reserved, available, locations),
                etag(result.value()),
                cacheControl,
                result.source(),
                ifNoneMatch);
    }

    @GET
    @Path("/locations/{locationId}")
    @Operation(summary = "Availability of a SKU at one location")
    @APIResponse(
            responseCode = "200",
            description = "Stock at the location",
            content = @Content(schema = @Schema(implementation = LocationStock.class)))
    @APIResponse(responseCode = "404", description = "Unknown SKU or no stock record at this location")
    public CompletionStage<Response> location(
            @PathParam("sku") String sku,
            @PathParam("locationId") String locationId,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        Ids.require("sku", sku);
        Ids.require("locationId", locationId);
        return answer(sku, result -> locationStock(sku, locationId, result, ifNoneMatch));
    }

    private Response locationStock(
            String sku, String locationId, ReadResult<Map<String, CachedState>> result, String ifNoneMatch) {
        CachedState state = result.value().get(locationId);
        if (state == null) {
            throw ProblemException.notFound("sku " + sku + " has no stock record at location " + locationId);
        }
        return HttpCaching.respond(
                stock(locationId, state),
                HttpCaching.etag(Long.toString(state.version())),
                cacheControl,
                result.source(),
                ifNoneMatch);
    }

    @GET
    @Path("/availability")
    @Operation(
            summary = "Can this quantity be bought?",
            description = "available = total availability covers the quantity; fulfillableFrom = locations that can"
                    + " ship the whole quantity alone.")
    @APIResponse(
            responseCode = "200",
            description = "The answer",
            content = @Content(schema = @Schema(implementation = AvailabilityCheck.class)))
    @APIResponse(responseCode = "400", description = "Malformed SKU or quantity out of 1..1000000")
    @APIResponse(responseCode = "404", description = "Unknown SKU")
    public CompletionStage<Response> availability(
            @PathParam("sku") String sku,
            @QueryParam("quantity") @DefaultValue("1") String quantity,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        Ids.require("sku", sku);
        long qty = quantity(quantity);
        return answer(sku, result -> availabilityCheck(sku, qty, result, ifNoneMatch));
    }

    private Response availabilityCheck(
            String sku, long qty, ReadResult<Map<String, CachedState>> result, String ifNoneMatch) {
        List<LocationStock> locations = stocks(result.value());
        long total = 0;
        List<String> from = new ArrayList<>();
        for (LocationStock l : locations) {
            total += l.available();
            if (l.available() >= qty) {
                from.add(l.locationId());
            }
        }
        return HttpCaching.respond(
                new AvailabilityCheck(sku, qty, total >= qty, total, from, locations),
                etag(result.value()),
                cacheControl,
                result.source(),
                ifNoneMatch);
    }

    /**
     * Answers on the event loop when this instance holds the SKU in memory; otherwise on a worker thread, since Redis
     * and Cassandra reads block.
     */
    private CompletionStage<Response> answer(
            String sku, Function<ReadResult<Map<String, CachedState>>, Response> respond) {
        ReadResult<Map<String, CachedState>> near = reads.nearInventory(sku);
        if (near != null) {
            return CompletableFuture.completedFuture(respond.apply(known(sku, near)));
        }
        return Offload.toWorker(() -> respond.apply(known(sku, reads.inventory(sku))));
    }

    private static ReadResult<Map<String, CachedState>> known(String sku, ReadResult<Map<String, CachedState>> result) {
        if (result.value().isEmpty()) {
            throw new ProblemException(
                    404,
                    "Not Found",
                    "sku " + sku + " is unknown",
                    Map.of(HttpCaching.X_CACHE, result.source().name()));
        }
        return result;
    }

    private List<LocationStock> stocks(Map<String, CachedState> states) {
        List<LocationStock> out = new ArrayList<>(states.size());
        states.forEach((location, state) -> out.add(stock(location, state)));
        return out;
    }

    private LocationStock stock(String locationId, CachedState state) {
        InventoryState s = stateCodec.inventoryState(state.jsonString());
        return new LocationStock(locationId, s.onHand(), s.reserved(), s.available(), state.version());
    }

    private static String etag(Map<String, CachedState> states) {
        long sum = 0;
        for (CachedState s : states.values()) {
            sum += s.version();
        }
        return HttpCaching.etag(sum + "." + states.size());
    }

    private static long quantity(String value) {
        try {
            long q = Long.parseLong(value.trim());
            if (q >= 1 && q <= MAX_QUANTITY) {
                return q;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw ProblemException.badRequest("quantity must be an integer in 1.." + MAX_QUANTITY);
    }
}
