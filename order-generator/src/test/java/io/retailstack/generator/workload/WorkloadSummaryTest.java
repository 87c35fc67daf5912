package io.retailstack.generator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.data.OrderLine;
import io.retailstack.events.data.OrderPlaced;
import io.retailstack.generator.model.OrderPlan;
import io.retailstack.generator.model.ReferenceData;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WorkloadSummaryTest {

    private static final ReferenceData REFERENCE = ReferenceData.bundled();

    @Test
    void totalsEqualARecomputationFromTheEvents() {
        Workload workload = WorkloadGenerator.generate(
                REFERENCE, WorkloadOptions.defaults(5).withOrders(800).withFraudShare(0.05));
        WorkloadSummary summary = WorkloadSummary.of(workload, REFERENCE);
        List<CloudEvent> events = workload.validEvents();

        assertThat(summary.validEvents()).isEqualTo(events.size());
        Map<String, Long> byType = events.stream()
                .collect(Collectors.groupingBy(e -> e.type().type(), TreeMap::new, Collectors.counting()));
        byType.forEach((type, count) -> assertThat(summary.eventsByType()).containsEntry(type, count));
        assertThat(summary.eventsByType().values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(events.size());

        List<OrderPlaced> placed = events.stream()
                .filter(e -> e.data() instanceof OrderPlaced)
                .map(e -> (OrderPlaced) e.data())
                .toList();
        Map<String, BigDecimal> revenue = new TreeMap<>();
        for (OrderPlaced order : placed) {
            BigDecimal total = BigDecimal.ZERO;
            for (OrderLine line : order.lines()) {
                total = total.add(line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())));
            }
            revenue.merge(order.currency(), total, BigDecimal::add);
        }
        assertThat(summary.revenueByCurrency()).isEqualTo(revenue);
        assertThat(summary.orders()).isEqualTo(placed.size()).isEqualTo(800);

        Map<String, Long> byStatus = workload.orders().stream()
                .collect(
                        Collectors.groupingBy(p -> p.fate().finalStatus().name(), TreeMap::new, Collectors.counting()));
        assertThat(summary.ordersByStatus()).isEqualTo(byStatus);
        Map<String, BigDecimal> statusRevenueSum = new TreeMap<>();
        summary.revenueByStatus()
                .values()
                .forEach(m -> m.forEach((c, v) -> statusRevenueSum.merge(c, v, BigDecimal::add)));
        assertThat(statusRevenueSum).isEqualTo(revenue);

        List<String> flagged = workload.orders().stream()
                .filter(OrderPlan::blocklisted)
                .map(OrderPlan::orderId)
                .toList();
        assertThat(summary.flaggedOrderIds()).isEqualTo(flagged);
        assertThat(summary.flaggedOrders()).isEqualTo(40);
        assertThat(summary.orderIds())
                .isEqualTo(workload.orders().stream().map(OrderPlan::orderId).toList());
        assertThat(summary.malformed()).isEqualTo(workload.malformed().size());
        assertThat(summary.ignoredInventoryEvents()).isZero();
        assertThat(summary.onHand()).isGreaterThanOrEqualTo(summary.reserved());
    }

    @Test
    void jsonCarriesExactRevenueAndEveryType() {
        Workload workload = WorkloadGenerator.generate(
                REFERENCE, WorkloadOptions.defaults(5).withOrders(50));
        WorkloadSummary summary = WorkloadSummary.of(workload, REFERENCE);
        JsonNode json = summary.toJson();

        assertThat(json.get("eventsByType").size()).isEqualTo(io.retailstack.events.EventType.values().length);
        summary.revenueByCurrency().forEach((currency, total) -> assertThat(
                        json.get("revenueByCurrency").get(currency).decimalValue())
                .isEqualTo(total));
        assertThat(json.get("orderIds").size()).isEqualTo(50);
        assertThat(json.get("inventory").get("ignoredEvents").asLong()).isZero();
    }

    @Test
    void partialEventListsCountOnlyOrdersWhosePlacedEventIsIncluded() {
        Workload workload = WorkloadGenerator.generate(
                REFERENCE, WorkloadOptions.defaults(5).withOrders(100));
        List<CloudEvent> half =
                workload.validEvents().subList(0, workload.validEvents().size() / 2);
        WorkloadSummary summary = WorkloadSummary.of(half, List.of(), REFERENCE);

        long placedInHalf =
                half.stream().filter(e -> e.data() instanceof OrderPlaced).count();
        assertThat(summary.orders()).isEqualTo(placedInHalf);
        assertThat(summary.validEvents()).isEqualTo(half.size());
    }
}
