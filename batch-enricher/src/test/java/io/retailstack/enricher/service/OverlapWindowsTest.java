package io.retailstack.enricher.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.retailstack.enricher.persistence.OpsRepository.OverlapCount;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OverlapWindowsTest {
    private static final Instant W = Instant.parse("2026-11-22T12:20:00Z");
    private static final Duration OVERLAP = Duration.ofMinutes(30);
    private static final Function<Instant, Instant> SELF = t -> t;

    /** The next run after W: reads [W - 30 min, W + 20 min) of shard 3, in two bucket partitions. */
    private static OverlapWindows nextRun(Map<Integer, OverlapCount> known, List<Instant> first, List<Instant> second) {
        OverlapWindows w = new OverlapWindows(known, OVERLAP);
        w.cover(3, W.minus(OVERLAP), Instant.parse("2026-11-22T12:00:00Z"));
        w.cover(3, Instant.parse("2026-11-22T12:00:00Z"), W.plus(Duration.ofMinutes(20)));
        w.count(3, first, SELF);
        w.count(3, second, SELF);
        return w;
    }

    private static Instant at(String hhmm) {
        return Instant.parse("2026-11-22T" + hhmm + ":00Z");
    }

    @Test
    void shouldSkipTheWindowWhenItHoldsAsManyRowsAsTheRunThatSetTheWatermarkSaw() {
        OverlapCount stored = new OverlapCount(W.minus(OVERLAP), W, 3);
        OverlapWindows w =
                nextRun(Map.of(3, stored), List.of(at("11:55"), at("11:59")), List.of(at("12:10"), at("12:30")));

        assertThat(w.alreadyEnriched(3)).isEqualTo(stored);
        assertThat(stored.contains(at("12:10"))).isTrue();
        assertThat(stored.contains(at("12:30"))).isFalse(); // new: at or after the old watermark
    }

    @Test
    void shouldProcessTheWholeWindowWhenARowWasRecordedLateIntoIt() {
        OverlapCount stored = new OverlapCount(W.minus(OVERLAP), W, 3);
        OverlapWindows w = nextRun(
                Map.of(3, stored), List.of(at("11:55"), at("11:59")), List.of(at("12:10"), at("12:15"), at("12:30")));

        assertThat(w.alreadyEnriched(3)).isNull();
    }

    @Test
    void shouldSkipNothingWithoutAStoredCountOrWhenTheChunkDoesNotHoldTheWholeWindow() {
        assertThat(nextRun(Map.of(), List.of(at("11:55")), List.of()).alreadyEnriched(3))
                .isNull();

        OverlapWindows partOfIt = new OverlapWindows(Map.of(3, new OverlapCount(W.minus(OVERLAP), W, 0)), OVERLAP);
        partOfIt.cover(3, Instant.parse("2026-11-22T12:00:00Z"), W.plus(Duration.ofMinutes(20)));
        partOfIt.count(3, List.of(), SELF);
        assertThat(partOfIt.alreadyEnriched(3)).isNull(); // [11:50, 12:00) is in another chunk
    }

    @Test
    void shouldCountTheRowsBelowTheNewWatermarkForTheNextRun() {
        OverlapWindows w =
                nextRun(Map.of(), List.of(at("11:55")), List.of(at("12:09"), at("12:10"), at("12:30"), at("12:39")));

        // new watermark 12:40, window [12:10, 12:40)
        assertThat(w.counts()).containsEntry(3, new OverlapCount(at("12:10"), at("12:40"), 3));
    }

    @Test
    void shouldNotCountAWindowTheChunkDoesNotHoldEntirely() {
        OverlapWindows w = new OverlapWindows(Map.of(), OVERLAP);
        w.cover(5, at("12:30"), at("12:40")); // the chunk starts 10 minutes below its new watermark
        w.count(5, List.of(at("12:35")), SELF);

        assertThat(w.counts()).doesNotContainKey(5);
    }
}
