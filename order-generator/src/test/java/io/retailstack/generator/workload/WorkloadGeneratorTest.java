package io.retailstack.generator.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.Identifiers;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.codec.EventDecodingException;
import io.retailstack.events.data.Channel;
import io.retailstack.events.data.OrderPlaced;
import io.retailstack.events.data.OrderType;
import io.retailstack.events.fold.FoldStep;
import io.retailstack.events.fold.InventoryFold;
import io.retailstack.events.fold.InventoryState;
import io.retailstack.events.fold.OrderFold;
import io.retailstack.events.fold.OrderState;
import io.retailstack.events.fold.OrderStatus;
import io.retailstack.events.validation.EventValidator;
import io.retailstack.generator.model.Fate;
import io.retailstack.generator.model.Location;
import io.retailstack.generator.model.OrderPlan;
import io.retailstack.generator.model.Product;
import io.retailstack.generator.model.ReferenceData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkloadGeneratorTest {

    private static final ReferenceData REFERENCE = ReferenceData.bundled();
    private static final EventCodec CODEC = new EventCodec();
    private static Workload workload;

    @BeforeAll
    static void generate() {
        workload = WorkloadGenerator.generate(
                REFERENCE, WorkloadOptions.defaults(7).withOrders(2000).withMalformedShare(0.05));
    }

    @Test
    void sameSeedAndOptionsGiveIdenticalRecords() {
        WorkloadOptions options = WorkloadOptions.defaults(99).withOrders(300).withMalformedShare(0.05);
        Workload first = WorkloadGenerator.generate(REFERENCE, options);
        Workload second = WorkloadGenerator.generate(REFERENCE, options);

        assertThat(second.records()).isEqualTo(first.records());
        assertThat(second.orders()).isEqualTo(first.orders());
        assertThat(encodeAll(second)).isEqualTo(encodeAll(first));
    }

    @Test
    void differentSeedGivesDifferentRecords() {
        WorkloadOptions options = WorkloadOptions.defaults(99).withOrders(300);
        Workload first = WorkloadGenerator.generate(REFERENCE, options);
        Workload other = WorkloadGenerator.generate(REFERENCE, options.withSeed(100));

        assertThat(other.runTag()).isNotEqualTo(first.runTag());
        assertThat(encodeAll(other)).isNotEqualTo(encodeAll(first));
        // Not just other ids: the contents differ too.
        assertThat(other.orders().stream().map(OrderPlan::total).toList())
                .isNotEqualTo(first.orders().stream().map(OrderPlan::total).toList());
    }

    @Test
    void timesDeriveFromTheStartTimeNotTheClock() {
        Instant start = Instant.parse("2024-03-01T00:00:00Z");
        Workload shifted = WorkloadGenerator.generate(
                REFERENCE, WorkloadOptions.defaults(7).withOrders(50).withStartTime(start));

        assertThat(shifted.validEvents())
                .allSatisfy(e -> assertThat(e.time()).isAfterOrEqualTo(start.minusSeconds(3600)));
        assertThat(shifted.validEvents().get(0).time()).isEqualTo(start.minusSeconds(3600));
        assertThat(shifted.orders().get(0).placedAt()).isAfterOrEqualTo(start);
    }

    @Test
    void everyValidEventPassesValidationAndRoundTripsThroughTheCodec() {
        EventValidator validator = new EventValidator();
        for (CloudEvent event : workload.validEvents()) {
            assertThat(validator.validate(event)).as(event.id()).isEmpty();
            assertThat(CODEC.decode(CODEC.encode(event))).as(event.id()).isEqualTo(event);
        }
        assertThat(CODEC.decodeBatch(CODEC.encodeBatch(workload.validEvents()))).isEqualTo(workload.validEvents());
    }

    @Test
    void idsAreValidAndUnique() {
        Set<String> ids = new HashSet<>();
        for (CloudEvent event : workload.validEvents()) {
            assertThat(Identifiers.isValid(event.id())).as(event.id()).isTrue();
            assertThat(ids.add(event.id())).as("duplicate id " + event.id()).isTrue();
        }
        for (WorkloadRecord.Malformed bad : workload.malformed()) {
            assertThat(ids.add(bad.id())).as("duplicate id " + bad.id()).isTrue();
        }
        assertThat(workload.orders().stream().map(OrderPlan::orderId).distinct())
                .hasSize(workload.orders().size());
    }

    @Test
    void eventsAreInTimeOrder() {
        List<CloudEvent> events = workload.validEvents();
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).time()).isAfterOrEqualTo(events.get(i - 1).time());
        }
    }

    @Test
    void skusAndLocationsComeFromTheReferenceData() {
        Set<String> skus = REFERENCE.products().stream().map(Product::sku).collect(Collectors.toSet());
        Set<String> locations = REFERENCE.locations().stream().map(Location::id).collect(Collectors.toSet());
        for (CloudEvent event : workload.validEvents()) {
            AggregateKey key = event.aggregateKey();
            if (key.type() == AggregateType.INVENTORY) {
                assertThat(skus).contains(key.sku());
                assertThat(locations).contains(key.locationId());
            } else if (event.data() instanceof OrderPlaced placed) {
                assertThat(locations).contains(placed.fromLocationId(), placed.toLocationId());
                placed.lines().forEach(line -> assertThat(skus).contains(line.sku()));
            }
        }
    }

    @Test
    void skusOptionLimitsTheAssortment() {
        Workload small = WorkloadGenerator.generate(
                REFERENCE, WorkloadOptions.defaults(3).withOrders(200).withSkus(5));
        Set<String> used = small.orders().stream()
                .flatMap(o -> o.lines().stream())
                .map(line -> line.sku())
                .collect(Collectors.toSet());
        assertThat(used).hasSizeLessThanOrEqualTo(5);
        assertThatThrownBy(() -> WorkloadGenerator.generate(
                        REFERENCE,
                        WorkloadOptions.defaults(3)
                                .withSkus(REFERENCE.products().size() + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only");
    }

    @Test
    void foldingEachOrderGivesItsPlannedStatusAndTotal() {
        Map<String, List<CloudEvent>> byOrder = eventsByAggregate(workload.validEvents(), AggregateType.ORDER);
        for (OrderPlan plan : workload.orders()) {
            List<CloudEvent> events = byOrder.get(plan.orderId());
            OrderState state = OrderState.initial(plan.orderId());
            for (CloudEvent event : events) {
                FoldStep<OrderState> step = OrderFold.apply(state, event);
                assertThat(step.applied())
                        .as(plan.orderId() + " " + event.type() + ": " + step.detail())
                        .isTrue();
                state = step.state();
            }
            assertThat(state.status()).as(plan.orderId()).isEqualTo(plan.fate().finalStatus());
            assertThat(state.total()).isEqualByComparingTo(plan.total());
            assertThat(state.customerId()).isEqualTo(plan.customerId());
        }
    }

    @Test
    void statusDistributionFollowsTheLifeModel() {
        List<OrderPlan> remote = workload.orders().stream()
                .filter(p -> p.orderType() == OrderType.EXTERNAL && p.channel() != Channel.STORE)
                .toList();
        Map<OrderStatus, Long> remoteStatus = new EnumMap<>(OrderStatus.class);
        remote.forEach(p -> remoteStatus.merge(p.fate().finalStatus(), 1L, Long::sum));
        double n = remote.size();
        double cancelShare = workload.options().cancelShare();

        assertThat(remoteStatus.get(OrderStatus.CANCELLED) / n).isCloseTo(cancelShare, within(0.03));
        assertThat(remoteStatus.get(OrderStatus.DELIVERED) / n).isCloseTo((1 - cancelShare) * 0.80, within(0.04));
        assertThat(remoteStatus.get(OrderStatus.SHIPPED) / n).isCloseTo((1 - cancelShare) * 0.09, within(0.03));
        assertThat(remoteStatus.get(OrderStatus.PAID) / n).isCloseTo((1 - cancelShare) * 0.06, within(0.03));
        assertThat(remoteStatus.get(OrderStatus.PLACED) / n).isCloseTo((1 - cancelShare) * 0.05, within(0.03));
        // Cancellations happen at every stage.
        assertThat(remote.stream().map(OrderPlan::fate).collect(Collectors.toSet()))
                .contains(Fate.CANCELLED_BEFORE_PAYMENT, Fate.CANCELLED_AFTER_PAYMENT, Fate.CANCELLED_AFTER_SHIPPING);
        // Store purchases complete on the spot; the channel mix is roughly as documented.
        assertThat(workload.orders().stream()
                        .filter(p -> p.orderType() == OrderType.EXTERNAL && p.channel() == Channel.STORE)
                        .map(OrderPlan::fate))
                .isNotEmpty()
                .allMatch(f -> f == Fate.DELIVERED);
        long internal = workload.orders().stream()
                .filter(p -> p.orderType() == OrderType.INTERNAL)
                .count();
        assertThat(internal / (double) workload.orders().size()).isCloseTo(0.05, within(0.02));
        assertThat(workload.orders().stream().filter(OrderPlan::cashOnDelivery)).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void inventoryFoldNeverIgnoresAGeneratedEvent(long seed) {
        // Few SKUs and many orders: stock runs short all the time, so top-ups and adjustments are exercised.
        Workload busy = WorkloadGenerator.generate(
                REFERENCE, WorkloadOptions.defaults(seed).withOrders(1500).withSkus(4));
        assertInventoryNeverIgnored(busy);
        assertInventoryNeverIgnored(workload);
    }

    @Test
    void inventoryMovementsMatchTheOrders() {
        Map<String, List<CloudEvent>> byInventory = eventsByAggregate(workload.validEvents(), AggregateType.INVENTORY);
        Map<String, InventoryState> states = new LinkedHashMap<>();
        byInventory.forEach((id, events) -> {
            AggregateKey key = new AggregateKey(AggregateType.INVENTORY, id);
            states.put(id, InventoryFold.fold(key.sku(), key.locationId(), events));
        });
        for (OrderPlan plan : workload.orders()) {
            boolean stillReserved = plan.fate() == Fate.PLACED || plan.fate() == Fate.PAID;
            for (var line : plan.lines()) {
                InventoryState state = states.get(line.sku() + "@" + plan.fromLocationId());
                assertThat(state.reservedFor(plan.orderId()))
                        .as(plan.orderId() + " " + line.sku() + " " + plan.fate())
                        .isEqualTo(stillReserved ? line.quantity() : 0);
            }
        }
    }

    @Test
    void malformedRecordsFailDecodingOrValidation() {
        EventValidator validator = new EventValidator();
        assertThat(workload.malformed()).isNotEmpty();
        for (WorkloadRecord.Malformed bad : workload.malformed()) {
            boolean rejected;
            try {
                CloudEvent decoded = CODEC.decode(bad.body());
                rejected = !validator.validate(decoded).isEmpty();
            } catch (EventDecodingException e) {
                rejected = true;
            }
            assertThat(rejected).as(bad + ": " + bad.bodyText()).isTrue();
        }
        assertThat(workload.malformed().stream()
                        .map(WorkloadRecord.Malformed::mutation)
                        .collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(Mutation.values());
    }

    @Test
    void malformedShareIsHonoured() {
        double share = workload.malformed().size() / (double) workload.records().size();
        assertThat(share).isCloseTo(0.05, within(0.002));
        Workload none = WorkloadGenerator.generate(
                REFERENCE, WorkloadOptions.defaults(7).withOrders(100).withMalformedShare(0));
        assertThat(none.malformed()).isEmpty();
    }

    @Test
    void fraudShareIsHonouredAndOnlyBlocklistedOrdersAreFlagged() {
        for (double share : new double[] {0.0, 0.02, 0.25}) {
            Workload w = WorkloadGenerator.generate(
                    REFERENCE, WorkloadOptions.defaults(11).withOrders(1000).withFraudShare(share));
            List<OrderPlan> flagged =
                    w.orders().stream().filter(OrderPlan::blocklisted).toList();
            assertThat(flagged.size() / 1000.0).as("share " + share).isCloseTo(share, within(0.005));
            for (OrderPlan plan : w.orders()) {
                assertThat(REFERENCE.blocklisted(plan.clientIp()).isPresent())
                        .as(plan.orderId() + " " + plan.clientIp())
                        .isEqualTo(plan.blocklisted());
            }
            assertThat(flagged).allSatisfy(p -> assertThat(p.clientIp()).isNotNull());
        }
    }

    @Test
    void customersAreTheSameWhateverTheSeed() {
        assertThat(WorkloadGenerator.customer(REFERENCE, 42)).isEqualTo(WorkloadGenerator.customer(REFERENCE, 42));
        assertThat(WorkloadGenerator.customer(REFERENCE, 42).ips())
                .allSatisfy(ip -> assertThat(REFERENCE.blocklisted(ip)).isEmpty());
        Set<String> homeStores = REFERENCE.locations().stream()
                .filter(l -> !l.isWarehouse())
                .map(Location::id)
                .collect(Collectors.toSet());
        assertThat(homeStores).contains(WorkloadGenerator.customer(REFERENCE, 7).homeStoreId());
    }

    @Test
    void invalidOptionsAreRejected() {
        assertThatThrownBy(() -> WorkloadOptions.defaults(1).withOrders(0)).hasMessageContaining("orders");
        assertThatThrownBy(() -> WorkloadOptions.defaults(1).withFraudShare(1.5))
                .hasMessageContaining("fraud share");
        assertThatThrownBy(() -> WorkloadOptions.defaults(1).withMalformedShare(0.95))
                .hasMessageContaining("malformed share");
        assertThatThrownBy(() -> WorkloadOptions.defaults(1).withStartTime(Instant.parse("1999-01-01T00:00:00Z")))
                .hasMessageContaining("start time");
    }

    private static void assertInventoryNeverIgnored(Workload w) {
        Map<String, List<CloudEvent>> byInventory = eventsByAggregate(w.validEvents(), AggregateType.INVENTORY);
        assertThat(byInventory).isNotEmpty();
        byInventory.forEach((id, events) -> {
            AggregateKey key = new AggregateKey(AggregateType.INVENTORY, id);
            InventoryState state = InventoryState.initial(key.sku(), key.locationId());
            for (CloudEvent event : events) {
                FoldStep<InventoryState> step = InventoryFold.apply(state, event);
                assertThat(step.applied())
                        .as(id + " " + event.id() + " " + event.type() + ": " + step.ignoreReason() + " "
                                + step.detail())
                        .isTrue();
                state = step.state();
            }
        });
        assertThat(w.validEvents().stream().map(CloudEvent::type))
                .contains(io.retailstack.events.EventType.INVENTORY_ADJUSTED);
    }

    static Map<String, List<CloudEvent>> eventsByAggregate(List<CloudEvent> events, AggregateType type) {
        Map<String, List<CloudEvent>> result = new LinkedHashMap<>();
        for (CloudEvent event : events) {
            AggregateKey key = event.aggregateKey();
            if (key.type() == type) {
                result.computeIfAbsent(key.id(), k -> new ArrayList<>()).add(event);
            }
        }
        return result;
    }

    private static List<String> encodeAll(Workload w) {
        return w.records().stream()
                .map(r -> r instanceof WorkloadRecord.Valid v
                        ? new String(CODEC.encode(v.event()), java.nio.charset.StandardCharsets.UTF_8)
                        : ((WorkloadRecord.Malformed) r).bodyText())
                .toList();
    }
}
