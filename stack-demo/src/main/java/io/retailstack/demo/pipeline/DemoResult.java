package io.retailstack.demo.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one demo run did and found, for the console summary, the HTML report and the end-to-end test.
 *
 * @param generatorSummary the generator's expected totals
 * @param sentValid valid events the generator sent
 * @param ingested records ingest published to the validated topic during the run
 * @param stored valid events found in the Cassandra event store
 * @param storedDuplicates events found more than once in an aggregate (must be 0)
 * @param deadLettered records on the dead-letter topic during the run
 * @param enrichExitCode exit code of the run-once enrichment
 * @param cacheCalls live calls to the cache API
 * @param bi answers from the star schema
 * @param timings wall time per step
 * @param urls where the running services answer
 */
public record DemoResult(
        JsonNode generatorSummary,
        long sentValid,
        long ingested,
        long stored,
        long storedDuplicates,
        long deadLettered,
        int enrichExitCode,
        List<CacheCall> cacheCalls,
        BiAnswers bi,
        Map<String, Duration> timings,
        Map<String, String> urls) {

    /** One call to the cache API. */
    public record CacheCall(String path, int status, String cache, long micros, String body) {}

    /**
     * @param orders order facts of this run's orders
     * @param revenue their revenue (sum of order totals)
     * @param flaggedOrders how many of them are flagged
     * @param topDestinations top destination locations by revenue: name, orders, revenue
     * @param ordersPerLocationHour (location, hour, orders) for the chart
     * @param hotSku the SKU with most movements
     * @param hotSkuAvailability (time, available units across locations) of the hot SKU
     */
    public record BiAnswers(
            long orders,
            java.math.BigDecimal revenue,
            long flaggedOrders,
            List<List<Object>> topDestinations,
            List<List<Object>> ordersPerLocationHour,
            String hotSku,
            List<List<Object>> hotSkuAvailability) {}
}
