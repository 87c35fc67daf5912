package io.retailstack.events.fold;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The array-backed reservations behave like a sorted map changed in place, and never change once built. */
class ReservationsPropertiesTest {

    record Step(boolean add, String orderId, int quantity) {}

    @Property(tries = 500)
    void behavesLikeASortedMap(@ForAll("steps") List<Step> steps) {
        TreeMap<String, Long> model = new TreeMap<>();
        Map<String, Long> reservations = Reservations.of(Map.of());
        List<Map<String, Long>> earlier = new ArrayList<>();
        List<TreeMap<String, Long>> earlierModels = new ArrayList<>();
        for (Step step : steps) {
            long held = model.getOrDefault(step.orderId(), 0L);
            if (step.add()) {
                model.merge(step.orderId(), (long) step.quantity(), Long::sum);
                reservations = Reservations.plus(reservations, step.orderId(), step.quantity());
            } else if (held >= step.quantity()) {
                if (held == step.quantity()) {
                    model.remove(step.orderId());
                } else {
                    model.put(step.orderId(), held - step.quantity());
                }
                reservations = Reservations.minus(reservations, step.orderId(), step.quantity());
            } else {
                continue;
            }
            earlier.add(reservations);
            earlierModels.add(new TreeMap<>(model));
            assertThat(reservations).isEqualTo(model).hasSameHashCodeAs(model);
            assertThat(List.copyOf(reservations.keySet())).isEqualTo(List.copyOf(model.keySet()));
            assertThat(reservations.get(step.orderId())).isEqualTo(model.get(step.orderId()));
        }
        for (int i = 0; i < earlier.size(); i++) {
            assertThat(earlier.get(i)).as("state %d changed later", i).isEqualTo(earlierModels.get(i));
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(
                        Arbitraries.of(true, true, false),
                        Arbitraries.of("ORD-1", "ORD-2", "ORD-3", "ORD-10", "ORD-7", "A", "z"),
                        Arbitraries.integers().between(1, 5))
                .as(Step::new)
                .list()
                .ofMaxSize(40);
    }
}
