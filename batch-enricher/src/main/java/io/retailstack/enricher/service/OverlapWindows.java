package io.retailstack.enricher.service;

import io.retailstack.enricher.persistence.OpsRepository.OverlapCount;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Tells which re-read rows of a chunk were enriched already, and counts the rows below the chunk's new watermarks for
 * the next run to do the same.
 *
 * <p>Every run re-reads a window below each store shard's watermark (the overlap) to catch events recorded late. The
 * chunk that set the watermark stored how many rows it read in that window ({@link OverlapCount}). The event store is
 * append-only with a fixed key per event, so when this chunk holds the whole window and finds the same number of rows
 * there, they are the same rows and are skipped: no decoding into facts, no fact lookups. Any other count means
 * something was recorded late, and the whole window is processed as usual (every write is an upsert). The effect:
 * an incremental run costs what its new events cost, not twice that.
 *
 * <p>Use in three passes over a chunk: {@link #cover} each partition (in read order), {@link #count} the rows of each,
 * then ask {@link #alreadyEnriched} and {@link #counts}. Not thread-safe.
 */
final class OverlapWindows {
    private final Map<Integer, OverlapCount> known;
    private final Duration overlap;
    private final Map<Integer, Shard> shards = new HashMap<>();

    /** What this chunk covers of one store shard, and the rows it holds in the two windows of interest. */
    private static final class Shard {
        Instant coveredFrom;
        Instant coveredTo;
        OverlapCount known; // the stored window, when this chunk covers all of it
        long knownRows;
        Instant newFrom; // the window below the new watermark, when this chunk covers all of it
        long newRows;
        boolean sealed;
    }

    /**
     * @param known the stored window of each store shard (empty when rebuilding: nothing is skipped)
     * @param overlap how far below a watermark the next run re-reads
     */
    OverlapWindows(Map<Integer, OverlapCount> known, Duration overlap) {
        this.known = known;
        this.overlap = overlap;
    }

    /** Pass 1: the chunk holds the shard's rows recorded in {@code [start, end)} (contiguous with earlier calls). */
    void cover(int shard, Instant start, Instant end) {
        Shard s = shards.computeIfAbsent(shard, k -> new Shard());
        if (s.coveredFrom == null || start.isBefore(s.coveredFrom)) {
            s.coveredFrom = start;
        }
        if (s.coveredTo == null || end.isAfter(s.coveredTo)) {
            s.coveredTo = end;
        }
    }

    /** Pass 2: the rows of one partition covered in pass 1 (decodable or not). */
    <T> void count(int shard, List<T> rows, Function<T, Instant> recordedAt) {
        Shard s = shard(shard);
        if (s.known == null && s.newFrom == null) {
            return;
        }
        for (T row : rows) {
            Instant t = recordedAt.apply(row);
            if (s.known != null && s.known.contains(t)) {
                s.knownRows++;
            }
            if (s.newFrom != null && !t.isBefore(s.newFrom) && t.isBefore(s.coveredTo)) {
                s.newRows++;
            }
        }
    }

    /**
     * Pass 3: the window of a store shard whose rows were all enriched by an earlier run (so they need nothing now),
     * or null. It holds the same number of rows as then, and the store is append-only with fixed keys: the same rows.
     */
    OverlapCount alreadyEnriched(int shard) {
        Shard s = shard(shard);
        return s.known != null && s.knownRows == s.known.rows() ? s.known : null;
    }

    /** The rows below each new watermark this chunk could count (store shards it did not fully cover are absent). */
    Map<Integer, OverlapCount> counts() {
        Map<Integer, OverlapCount> out = new HashMap<>();
        shards.forEach((shard, s) -> {
            if (!s.sealed) {
                seal(shard, s);
            }
            if (s.newFrom != null) {
                out.put(shard, new OverlapCount(s.newFrom, s.coveredTo, s.newRows));
            }
        });
        return out;
    }

    private Shard shard(int shard) {
        Shard s = shards.get(shard);
        if (s == null) {
            throw new IllegalStateException("store shard " + shard + " was not covered");
        }
        if (!s.sealed) {
            seal(shard, s);
        }
        return s;
    }

    /** After pass 1: which windows this chunk covers completely, so their counts mean something. */
    private void seal(int shard, Shard s) {
        s.sealed = true;
        OverlapCount k = known.get(shard);
        if (k != null && !s.coveredFrom.isAfter(k.from()) && !s.coveredTo.isBefore(k.through())) {
            s.known = k;
        }
        Instant from = s.coveredTo.minus(overlap);
        if (!s.coveredFrom.isAfter(from)) {
            s.newFrom = from;
        }
    }
}
