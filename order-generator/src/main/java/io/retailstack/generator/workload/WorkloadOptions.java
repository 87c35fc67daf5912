package io.retailstack.generator.workload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Everything the generated workload depends on. Same options, same workload: event ids, times and
 * contents included.
 *
 * @param seed seed of the one random generator the workload is drawn from
 * @param orders number of orders
 * @param skus number of distinct SKUs to sell, 0 for every product of the reference data
 * @param customers size of the customer pool, 0 for {@code max(20, orders / 3)}
 * @param fraudShare share of orders placed from a blocklisted client IP, 0..1
 * @param malformedShare share of malformed records among all records, 0..0.9
 * @param cancelShare share of remote (web, app, marketplace) orders that end cancelled, 0..1
 * @param startTime time of the first order; every event time derives from it (opening stock is
 *     received one hour before)
 * @param span orders are placed over this much time after {@code startTime}; their lives go on after
 */
public record WorkloadOptions(
        long seed,
        int orders,
        int skus,
        int customers,
        double fraudShare,
        double malformedShare,
        double cancelShare,
        Instant startTime,
        Duration span) {

    /** Monday 6 January 2025, 08:00 UTC: far enough in the past that whole lives fit before today. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-06T08:00:00Z");

    public static final int DEFAULT_ORDERS = 1000;
    public static final double DEFAULT_FRAUD_SHARE = 0.02;
    public static final double DEFAULT_MALFORMED_SHARE = 0.01;
    public static final double DEFAULT_CANCEL_SHARE = 0.10;
    public static final Duration DEFAULT_SPAN = Duration.ofDays(1);

    /** Events before this are rejected by validation; opening stock arrives an hour before the start. */
    private static final Instant EARLIEST_START = Instant.parse("2000-01-02T00:00:00Z");

    public WorkloadOptions {
        if (orders < 1) {
            throw new IllegalArgumentException("orders must be at least 1, got " + orders);
        }
        if (skus < 0) {
            throw new IllegalArgumentException("skus must be 0 (all) or positive, got " + skus);
        }
        if (customers < 0) {
            throw new IllegalArgumentException("customers must be 0 (automatic) or positive, got " + customers);
        }
        requireShare("fraud share", fraudShare, 1.0);
        requireShare("malformed share", malformedShare, 0.9);
        requireShare("cancel share", cancelShare, 1.0);
        if (startTime == null || startTime.isBefore(EARLIEST_START)) {
            throw new IllegalArgumentException("start time must be on or after " + EARLIEST_START);
        }
        if (span == null || span.isNegative() || span.isZero()) {
            throw new IllegalArgumentException("span must be positive");
        }
    }

    /** Defaults for everything but the seed. */
    public static WorkloadOptions defaults(long seed) {
        return new WorkloadOptions(
                seed,
                DEFAULT_ORDERS,
                0,
                0,
                DEFAULT_FRAUD_SHARE,
                DEFAULT_MALFORMED_SHARE,
                DEFAULT_CANCEL_SHARE,
                DEFAULT_START,
                DEFAULT_SPAN);
    }

    public WorkloadOptions withSeed(long seed) {
        return new WorkloadOptions(
                seed, orders, skus, customers, fraudShare, malformedShare, cancelShare, startTime, span);
    }

    public WorkloadOptions withOrders(int orders) {
        return new WorkloadOptions(
                seed, orders, skus, customers, fraudShare, malformedShare, cancelShare, startTime, span);
    }

    public WorkloadOptions withSkus(int skus) {
        return new WorkloadOptions(
                seed, orders, skus, customers, fraudShare, malformedShare, cancelShare, startTime, span);
    }

    public WorkloadOptions withFraudShare(double fraudShare) {
        return new WorkloadOptions(
                seed, orders, skus, customers, fraudShare, malformedShare, cancelShare, startTime, span);
    }

    public WorkloadOptions withMalformedShare(double malformedShare) {
        return new WorkloadOptions(
                seed, orders, skus, customers, fraudShare, malformedShare, cancelShare, startTime, span);
    }

    public WorkloadOptions withCancelShare(double cancelShare) {
        return new WorkloadOptions(
                seed, orders, skus, customers, fraudShare, malformedShare, cancelShare, startTime, span);
    }

    public WorkloadOptions withStartTime(Instant startTime) {
        return new WorkloadOptions(
                seed, orders, skus, customers, fraudShare, malformedShare, cancelShare, startTime, span);
    }

    /**
     * Eight hex digits naming this exact workload, part of every order and event id. Two workloads
     * with different options never share ids, so neither overwrites the other downstream, while
     * re-sending the same workload repeats the same ids (a harmless replay for idempotent sinks).
     */
    public String runTag() {
        String canonical = String.join(
                "|",
                Long.toString(seed),
                Integer.toString(orders),
                Integer.toString(skus),
                Integer.toString(customers),
                Double.toString(fraudShare),
                Double.toString(malformedShare),
                Double.toString(cancelShare),
                startTime.toString(),
                span.toString());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static void requireShare(String name, double value, double max) {
        if (!(value >= 0.0 && value <= max)) {
            throw new IllegalArgumentException(name + " must be between 0 and " + max + ", got " + value);
        }
    }
}
