package io.retailstack.generator.model;

/** One line of {@code reference/fraud_ips.csv}: a blocklisted address or CIDR range and why. */
public record FraudEntry(IpRange range, String reason) {}
