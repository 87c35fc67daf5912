package io.retailstack.events.fold;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The shared-array window behaves like copying the last {@value RecentEventIds#WINDOW} ids into a new list on every
 * append, including when one window is appended to twice (a fork), and no window ever changes once built.
 */
class RecentEventIdsPropertiesTest {

    /** Append a fresh id to the window made {@code back} appends ago (0: the newest). */
    record Step(int back) {}

    @Property(tries = 300)
    void behavesLikeACopyingWindow(@ForAll("steps") List<Step> steps) {
        List<List<String>> windows = new ArrayList<>();
        List<List<String>> models = new ArrayList<>();
        windows.add(List.of());
        models.add(List.of());
        int n = 0;
        for (Step step : steps) {
            int from = Math.max(0, windows.size() - 1 - step.back());
            String id = "E-" + n++;
            List<String> next = RecentEventIds.append(windows.get(from), id);
            List<String> model = reference(models.get(from), id);

            assertThat(next).isEqualTo(model).hasSameHashCodeAs(model);
            assertThat(next.contains(id)).isTrue();
            assertThat(next.contains("E-" + (n - 1 - RecentEventIds.WINDOW)))
                    .isEqualTo(model.contains("E-" + (n - 1 - RecentEventIds.WINDOW)));
            assertThat(RecentEventIds.of(next)).isSameAs(next);
            windows.add(next);
            models.add(model);
        }
        for (int i = 0; i < windows.size(); i++) {
            assertThat(windows.get(i)).as("window %d changed later", i).isEqualTo(models.get(i));
        }
    }

    @Property(tries = 50)
    void startsFromAnyList(@ForAll("plainLists") List<String> ids) {
        List<String> next = RecentEventIds.append(ids, "NEW");
        assertThat(next).isEqualTo(reference(ids, "NEW"));
        assertThat(next.contains("NEW")).isTrue();
        assertThat(next.contains(null)).isFalse();
    }

    /** The old implementation: a new list of the last WINDOW - 1 ids plus the new one. */
    private static List<String> reference(List<String> ids, String id) {
        List<String> next =
                new ArrayList<>(ids.subList(Math.max(0, ids.size() + 1 - RecentEventIds.WINDOW), ids.size()));
        next.add(id);
        return List.copyOf(next);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        // mostly linear growth (one state after another), sometimes a fork from an earlier window
        return Arbitraries.frequency(List.of(Tuple.of(12, 0), Tuple.of(1, 1), Tuple.of(1, 7)))
                .map(Step::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(400);
    }

    @Provide
    Arbitrary<List<String>> plainLists() {
        return Arbitraries.strings()
                .alpha()
                .ofMinLength(1)
                .ofMaxLength(5)
                .list()
                .ofMaxSize(150);
    }
}
