package io.retailstack.events.data;

import java.math.BigDecimal;

/**
 * Payment for an order was captured.
 *
 * @param amount amount captured, exact decimal
 * @param currency ISO 4217 code of the amount
 * @param paymentRef the payment provider's reference
 */
public record OrderPaid(BigDecimal amount, String currency, String paymentRef) implements OrderData {}
