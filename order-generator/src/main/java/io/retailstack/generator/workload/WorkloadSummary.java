package io.retailstack.generator.workload;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.EventType;
import io.retailstack.events.data.OrderPlaced;
import io.retailstack.events.fold.FoldStep;
import io.retailstack.events.fold.InventoryFold;
import io.retailstack.events.fold.InventoryState;
import io.retailstack.events.fold.OrderFold;
import io.retailstack.events.fold.OrderState;
import io.retailstack.events.fold.OrderStatus;
import io.retailstack.generator.model.ReferenceData;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The totals a downstream system must reproduce from a set of events: what reconciliation checks.
 * Computed from the events alone (plus the fraud list), by folding them with events-model's folds.
 *
 * @param validEvents number of valid events
 * @param eventsByType count per CloudEvents type, every type of the catalogue listed
 * @param orders number of placed orders
 * @param ordersByStatus count per folded order status
 * @param revenueByCurrency sum of placed order totals per currency, every order included
 * @param revenueByStatus the same sums split by folded status
 * @param flaggedOrders orders placed from a blocklisted client IP (ingest flags them)
 * @param flaggedOrderIds their ids, in placing order
 * @param malformed number of malformed records
 * @param malformedByMutation count per mutation
 * @param inventoryAggregates number of SKU-at-location positions
 * @param onHand total units on hand after folding
 * @param reserved total units reserved after folding
 * @param ignoredInventoryEvents inventory events the fold ignored (0 for a generated workload)
 * @param orderIds every order id, in placing order
 */
public record WorkloadSummary(
        long validEvents,
        Map<String, Long> eventsByType,
        long orders,
        Map<String, Long> ordersByStatus,
        Map<String, BigDecimal> revenueByCurrency,
        Map<String, Map<String, BigDecimal>> revenueByStatus,
        long flaggedOrders,
        List<String> flaggedOrderIds,
        long malformed,
        Map<String, Long> malformedByMutation,
        long inventoryAggregates,
        long onHand,
        long reserved,
        long ignoredInventoryEvents,
        List<String> orderIds) {

    /** Totals of {@code events} (in send order) and {@code malformed}, flags judged by {@code reference}. */
    public static WorkloadSummary of(
            List<CloudEvent> events, Collection<WorkloadRecord.Malformed> malformed, ReferenceData reference) {
        Map<String, Long> byType = new LinkedHashMap<>();
        for (EventType type : EventType.values()) {
            byType.put(type.type(), 0L);
        }
        Map<String, List<CloudEvent>> orderEvents = new LinkedHashMap<>();
        Map<String, List<CloudEvent>> inventoryEvents = new LinkedHashMap<>();
        for (CloudEvent event : events) {
            byType.merge(event.type().type(), 1L, Long::sum);
            AggregateKey key = event.aggregateKey();
            (key.type() == AggregateType.ORDER ? orderEvents : inventoryEvents)
                    .computeIfAbsent(key.id(), k -> new ArrayList<>())
                    .add(event);
        }

        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, BigDecimal> revenue = new TreeMap<>();
        Map<String, Map<String, BigDecimal>> revenueByStatus = new TreeMap<>();
        List<String> orderIds = new ArrayList<>();
        List<String> flagged = new ArrayList<>();
        orderEvents.forEach((orderId, list) -> {
            OrderState state = OrderFold.fold(orderId, list);
            if (state.status() == OrderStatus.NONE) {
                return; // placed event not among these events
            }
            orderIds.add(orderId);
            String status = state.status().name();
            byStatus.merge(status, 1L, Long::sum);
            revenue.merge(state.currency(), state.total(), BigDecimal::add);
            revenueByStatus
                    .computeIfAbsent(status, s -> new TreeMap<>())
                    .merge(state.currency(), state.total(), BigDecimal::add);
            list.stream()
                    .filter(e -> e.data() instanceof OrderPlaced)
                    .findFirst()
                    .map(e -> ((OrderPlaced) e.data()).clientIp())
                    .filter(ip -> reference.blocklisted(ip).isPresent())
                    .ifPresent(ip -> flagged.add(orderId));
        });

        long onHand = 0;
        long reserved = 0;
        long ignored = 0;
        for (Map.Entry<String, List<CloudEvent>> entry : inventoryEvents.entrySet()) {
            AggregateKey key = new AggregateKey(AggregateType.INVENTORY, entry.getKey());
            InventoryState state = InventoryState.initial(key.sku(), key.locationId());
            for (CloudEvent event : entry.getValue()) {
                FoldStep<InventoryState> step = InventoryFold.apply(state, event);
                if (!step.applied()) {
                    ignored++;
                }
                state = step.state();
            }
            onHand += state.onHand();
            reserved += state.reserved();
        }

        Map<String, Long> byMutation = new TreeMap<>();
        malformed.forEach(m -> byMutation.merge(m.mutation().name(), 1L, Long::sum));
        return new WorkloadSummary(
                events.size(),
                byType,
                orderIds.size(),
                byStatus,
                revenue,
                revenueByStatus,
                flagged.size(),
                flagged,
                malformed.size(),
                byMutation,
                inventoryEvents.size(),
                onHand,
                reserved,
                ignored,
                orderIds);
    }

    /** The totals of a whole workload. */
    public static WorkloadSummary of(Workload workload, ReferenceData reference) {
        return of(workload.validEvents(), workload.malformed(), reference);
    }

    /** As JSON (numbers exact: revenue is written as JSON numbers with their scale). */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.withExactBigDecimals(true);
        ObjectNode node = f.objectNode();
        node.put("validEvents", validEvents);
        ObjectNode types = node.putObject("eventsByType");
        eventsByType.forEach(types::put);
        node.put("orders", orders);
        ObjectNode statuses = node.putObject("ordersByStatus");
        ordersByStatus.forEach(statuses::put);
        ObjectNode rev = node.putObject("revenueByCurrency");
        revenueByCurrency.forEach(rev::put);
        ObjectNode revStatus = node.putObject("revenueByStatus");
        revenueByStatus.forEach((status, byCurrency) -> {
            ObjectNode inner = revStatus.putObject(status);
            byCurrency.forEach(inner::put);
        });
        node.put("flaggedOrders", flaggedOrders);
        ArrayNode flaggedIds = node.putArray("flaggedOrderIds");
        flaggedOrderIds.forEach(flaggedIds::add);
        node.put("malformed", malformed);
        ObjectNode mutations = node.putObject("malformedByMutation");
        malformedByMutation.forEach(mutations::put);
        ObjectNode inventory = node.putObject("inventory");
        inventory.put("aggregates", inventoryAggregates);
        inventory.put("onHand", onHand);
        inventory.put("reserved", reserved);
        inventory.put("available", onHand - reserved);
        inventory.put("ignoredEvents", ignoredInventoryEvents);
        ArrayNode ids = node.putArray("orderIds");
        orderIds.forEach(ids::add);
        return node;
    }
}
