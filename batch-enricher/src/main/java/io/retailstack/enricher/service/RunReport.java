package io.retailstack.enricher.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a run did.
 *
 * @param runId the ops.run row, or -1 when the run was skipped
 * @param status SUCCEEDED, or SKIPPED_LOCKED when another run holds this shard
 * @param readFrom lower bound of recorded_at read
 * @param readTo upper bound (exclusive) of recorded_at read
 * @param watermark the shard's watermark after the run
 * @param buckets buckets read
 * @param partitions (bucket, shard) partitions read
 * @param eventsRead rows read from events_by_bucket
 * @param overlapSkipped of those, rows re-read below a watermark and known to be enriched already (see
 *     OverlapWindows): nothing was done with them
 * @param undecodable rows whose payload could not be decoded (skipped, counted)
 * @param ordersFolded orders whose fact was recomputed
 * @param historyReads orders whose full history was read from events_by_aggregate
 * @param mergedFromFacts orders whose new events were folded onto the state stored in their fact
 * @param rowsChanged rows inserted or updated per target table (0 everywhere on a rerun with no new data)
 * @param unknownLocationIds location ids not in the reference data (facts point to key -1)
 * @param unknownSkus SKUs not in the reference data (facts point to key -1)
 * @param unknownRows fact rows written with an unknown (-1) dimension key
 * @param elapsed wall time
 */
public record RunReport(
        long runId,
        String status,
        Instant readFrom,
        Instant readTo,
        Instant watermark,
        int buckets,
        int partitions,
        long eventsRead,
        long overlapSkipped,
        long undecodable,
        long ordersFolded,
        long historyReads,
        long mergedFromFacts,
        Map<String, Long> rowsChanged,
        List<String> unknownLocationIds,
        List<String> unknownSkus,
        long unknownRows,
        Duration elapsed) {

    public long totalRowsChanged() {
        return rowsChanged.values().stream().mapToLong(Long::longValue).sum();
    }

    public double eventsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : eventsRead / s;
    }

    public String summary() {
        return String.format(
                "run %d %s: %d events (%d of them re-read and enriched already) from %d partitions (%d buckets, %s .. "
                        + "%s) in %.1f s (%.0f events/s), "
                        + "%d orders folded (%d full-history reads, %d merged onto facts), rows changed %s, "
                        + "unknown locations %s, "
                        + "unknown skus %s (%d rows to key -1), undecodable %d, watermark %s",
                runId,
                status,
                eventsRead,
                overlapSkipped,
                partitions,
                buckets,
                readFrom,
                readTo,
                elapsed.toMillis() / 1000.0,
                eventsPerSecond(),
                ordersFolded,
                historyReads,
                mergedFromFacts,
                rowsChanged,
                unknownLocationIds,
                unknownSkus,
                unknownRows,
                undecodable,
                watermark);
    }
}
