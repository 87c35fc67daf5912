package io.retailstack.cache.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.retailstack.cache.persistence.CachedState;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NearCacheTest {
    private final AtomicLong nanos = new AtomicLong();
    private final NearCache<CachedState> orders =
            new NearCache<>(Duration.ofMillis(250), 100, StateReadService::newer, nanos::get);

    @Test
    void keepsTheNewerVersionWhateverTheOrderOfOffers() {
        orders.offer("O1", CachedState.of(3, "{\"v\":3}"));
        orders.offer("O1", CachedState.of(2, "{\"v\":2}"));
        assertThat(orders.get("O1").version()).isEqualTo(3);
        orders.offer("O1", CachedState.of(4, "{\"v\":4}"));
        assertThat(orders.get("O1").version()).isEqualTo(4);
    }

    @Test
    void aRealStateReplacesTheNotFoundMarkerButNotTheOtherWayRound() {
        orders.offer("O2", CachedState.NOT_FOUND);
        orders.refresh("O2", CachedState.of(1, "{}"));
        assertThat(orders.get("O2").version()).isEqualTo(1);
        orders.offer("O2", CachedState.NOT_FOUND);
        assertThat(orders.get("O2").version()).isEqualTo(1);
    }

    @Test
    void refreshOnlyUpdatesHeldEntries() {
        orders.refresh("O3", CachedState.of(5, "{}"));
        assertThat(orders.get("O3")).isNull();
    }

    @Test
    void entriesExpireAfterTheTtl() {
        orders.offer("O4", CachedState.of(1, "{}"));
        nanos.addAndGet(Duration.ofMillis(249).toNanos());
        assertThat(orders.get("O4")).isNotNull();
        nanos.addAndGet(Duration.ofMillis(2).toNanos());
        assertThat(orders.get("O4")).isNull();
    }

    @Test
    void aZeroTtlTurnsTheTierOff() {
        NearCache<CachedState> off = new NearCache<>(Duration.ZERO, 100, StateReadService::newer);
        off.offer("O5", CachedState.of(1, "{}"));
        assertThat(off.get("O5")).isNull();
    }

    @Test
    void inventoryMergesPerLocationAndKeepsNewerLocations() {
        Map<String, CachedState> held = Map.of("A", CachedState.of(3, "{}"), "B", CachedState.of(1, "{}"));
        Map<String, CachedState> merged = StateReadService.mergeLocations(
                held, Map.of("A", CachedState.of(2, "{}"), "B", CachedState.of(4, "{}"), "C", CachedState.of(1, "{}")));
        assertThat(merged).containsOnlyKeys("A", "B", "C");
        assertThat(merged.get("A").version()).isEqualTo(3);
        assertThat(merged.get("B").version()).isEqualTo(4);
        assertThat(StateReadService.mergeLocations(held, Map.of("A", CachedState.of(1, "{}"))))
                .isSameAs(held);
    }
}
