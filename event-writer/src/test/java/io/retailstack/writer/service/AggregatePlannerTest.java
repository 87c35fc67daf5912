package io.retailstack.writer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.fold.IgnoreReason;
import io.retailstack.events.fold.InventoryState;
import io.retailstack.events.fold.OrderState;
import io.retailstack.events.fold.OrderStatus;
import io.retailstack.writer.support.TestEvents;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AggregatePlannerTest {

    private final AggregatePlanner planner = new AggregatePlanner();
    private final EventCodec codec = new EventCodec();
    private final String orderId = TestEvents.id("ORD");
    private final AggregateKey order = AggregateKey.order(orderId);

    private List<DecodedEvent> records(long firstOffset, CloudEvent... events) {
        List<DecodedEvent> out = new ArrayList<>();
        long offset = firstOffset;
        for (CloudEvent e : events) {
            out.add(new DecodedEvent(e, e.aggregateKey(), codec.encode(e), 0, offset, 1_700_000_000_000L + offset));
            offset++;
        }
        return out;
    }

    @Test
    void shouldAssignGaplessSeqAndCoalesceThePollIntoOneStateRowAndOneMessage() {
        AggregateContext empty = AggregateContext.empty(order, true);
        AggregatePlan plan = planner.plan(
                empty,
                records(10, TestEvents.placed(orderId), TestEvents.paid(orderId), TestEvents.shipped(orderId)),
                Map.of());

        assertThat(plan.events()).extracting(EventRow::seq).containsExactly(1L, 2L, 3L);
        assertThat(plan.events()).extracting(EventRow::sourceOffset).containsExactly(10L, 11L, 12L);
        assertThat(plan.events()).allMatch(EventRow::applied);
        assertThat(plan.stateRow().version()).isEqualTo(3);
        assertThat(plan.stateRow().lastSeq()).isEqualTo(3);
        assertThat(plan.stateRow().sourceOffset()).isEqualTo(12);
        assertThat(plan.publish().version()).isEqualTo(3);
        assertThat(((OrderState) plan.state()).status()).isEqualTo(OrderStatus.SHIPPED);
        assertThat(plan.appliedTimestamps()).hasSize(3);
    }

    @Test
    void shouldStoreIgnoredEventsWithTheirReasonWithoutChangingTheState() {
        AggregatePlan plan = planner.plan(
                AggregateContext.empty(order, true),
                records(0, TestEvents.shipped(orderId), TestEvents.placed(orderId), TestEvents.delivered(orderId)),
                Map.of());

        assertThat(plan.events()).extracting(EventRow::seq).containsExactly(1L, 2L, 3L);
        assertThat(plan.events())
                .extracting(EventRow::ignoreReason)
                .containsExactly(IgnoreReason.NOT_PLACED.name(), null, IgnoreReason.INVALID_TRANSITION.name());
        assertThat(plan.stateRow().version()).isEqualTo(1);
        assertThat(plan.stateRow().lastSeq()).isEqualTo(3);
        assertThat(plan.ignored())
                .containsEntry(IgnoreReason.NOT_PLACED, 1)
                .containsEntry(IgnoreReason.INVALID_TRANSITION, 1);
    }

    @Test
    void shouldWriteNoStateAndPublishNothingWhileNothingApplied() {
        AggregatePlan plan =
                planner.plan(AggregateContext.empty(order, true), records(0, TestEvents.paid(orderId)), Map.of());
        assertThat(plan.events()).hasSize(1);
        assertThat(plan.stateRow()).isNull();
        assertThat(plan.publish()).isNull();
    }

    @Test
    void shouldSkipRecordsTheStoredStateAlreadyReflectsAndRepublishItOnceWhenFresh() {
        AggregatePlan first = planner.plan(
                AggregateContext.empty(order, true),
                records(5, TestEvents.placed(orderId), TestEvents.paid(orderId)),
                Map.of());
        // as loaded from Cassandra after a crash between the state write and the publish
        AggregateContext stored =
                new AggregateContext(order, first.state(), 2, 0, 6, new HashMap<>(first.newIds()), true);

        AggregatePlan replay =
                planner.plan(stored, records(5, TestEvents.placed(orderId), TestEvents.paid(orderId)), Map.of());

        assertThat(replay.events()).isEmpty();
        assertThat(replay.replayed()).isEqualTo(2);
        assertThat(replay.stateRow()).isNull();
        assertThat(replay.publish()).isNotNull();
        assertThat(replay.publish().version()).isEqualTo(2);

        AggregateContext notFresh = stored.successor(replay, 512);
        assertThat(planner.plan(notFresh, records(5, TestEvents.placed(orderId)), Map.of())
                        .publish())
                .isNull();
    }

    @Test
    void shouldStoreAnEventDeliveredAgainAtAnotherOffsetOnce() {
        CloudEvent placed = TestEvents.placed(orderId);
        CloudEvent paid = TestEvents.paid(orderId);
        AggregatePlan plan =
                planner.plan(AggregateContext.empty(order, true), records(0, placed, paid, placed, paid), Map.of());
        assertThat(plan.events()).extracting(EventRow::eventId).containsExactly(placed.id(), paid.id());
        assertThat(plan.duplicates()).isEqualTo(2);
        assertThat(plan.stateRow().sourceOffset()).isEqualTo(3);

        // the same event in a later poll, the stored index knows it
        AggregateContext after = AggregateContext.empty(order, true).successor(plan, 512);
        AggregatePlan later = planner.plan(after, records(9, paid), Map.of());
        assertThat(later.events()).isEmpty();
        assertThat(later.duplicates()).isEqualTo(1);

        // a large aggregate without a complete index: the looked-up ids decide
        AggregateContext large = new AggregateContext(order, plan.state(), 2, 0, 3, null, false);
        AggregatePlan looked = planner.plan(large, records(9, paid), Map.of(paid.id(), 2L));
        assertThat(looked.events()).isEmpty();
        assertThat(looked.duplicates()).isEqualTo(1);
    }

    @Test
    void shouldRewriteEventsAnEarlierAttemptStoredBeyondTheStateWithTheSameSeq() {
        List<DecodedEvent> log = records(0, TestEvents.placed(orderId), TestEvents.paid(orderId));
        AggregatePlan full = planner.plan(AggregateContext.empty(order, true), log, Map.of());
        // crash after the event rows, before the state row: no state, but the id index has both events
        AggregateContext loaded = new AggregateContext(
                order, AggregateContext.initialState(order), 0, -1, -1, new HashMap<>(full.newIds()), true);

        AggregatePlan again = planner.plan(loaded, log, Map.of());

        assertThat(again.events()).isEqualTo(full.events());
        assertThat(again.stateRow()).isEqualTo(full.stateRow());
        assertThat(again.duplicates()).isZero();
    }

    @Test
    void shouldWriteTheSameRowsHoweverTheLogIsCutIntoPolls() {
        String sku = TestEvents.id("SKU");
        AggregateKey stock = AggregateKey.inventory(sku, "L1");
        Random random = new Random(3);
        List<CloudEvent> events = new ArrayList<>();
        events.add(TestEvents.received(sku, "L1", 10));
        for (int i = 0; i < 60; i++) {
            CloudEvent e =
                    switch (random.nextInt(4)) {
                        case 0 -> TestEvents.received(sku, "L1", 1 + random.nextInt(5));
                        case 1 -> TestEvents.reserved(sku, "L1", "O" + random.nextInt(5), 1 + random.nextInt(6));
                        case 2 -> TestEvents.released(sku, "L1", "O" + random.nextInt(5), 1 + random.nextInt(3));
                        default -> events.get(random.nextInt(events.size())); // a duplicate
                    };
            events.add(e);
        }
        List<DecodedEvent> all = records(100, events.toArray(CloudEvent[]::new));

        AggregatePlan once = planner.plan(AggregateContext.empty(stock, true), all, Map.of());
        List<EventRow> rows = new ArrayList<>();
        AggregateContext context = AggregateContext.empty(stock, true);
        StateRow last = null;
        for (int from = 0; from < all.size(); ) {
            int to = Math.min(all.size(), from + 1 + random.nextInt(9));
            AggregatePlan plan = planner.plan(context, all.subList(from, to), Map.of());
            rows.addAll(plan.events());
            last = plan.stateRow() != null ? plan.stateRow() : last;
            context = context.successor(plan, 512);
            from = to;
        }
        assertThat(rows).isEqualTo(once.events());
        assertThat(last).isEqualTo(once.stateRow());
        assertThat(((InventoryState) once.state()).available()).isNotNegative();
    }
}
