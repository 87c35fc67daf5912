package io.retailstack.generator.workload;

import io.retailstack.events.CloudEvent;
import io.retailstack.generator.model.OrderPlan;
import java.util.List;

/**
 * A generated workload: the order plans and the records to send, in send order (event time order,
 * malformed records interleaved).
 */
public record Workload(WorkloadOptions options, String runTag, List<OrderPlan> orders, List<WorkloadRecord> records) {

    public Workload {
        orders = List.copyOf(orders);
        records = List.copyOf(records);
    }

    /** The valid events, in send order. */
    public List<CloudEvent> validEvents() {
        return records.stream()
                .filter(WorkloadRecord.Valid.class::isInstance)
                .map(r -> ((WorkloadRecord.Valid) r).event())
                .toList();
    }

    /** The malformed records, in send order. */
    public List<WorkloadRecord.Malformed> malformed() {
        return records.stream()
                .filter(WorkloadRecord.Malformed.class::isInstance)
                .map(WorkloadRecord.Malformed.class::cast)
                .toList();
    }
}
