package io.retailstack.events.data;

import java.math.BigDecimal;

/**
 * One line of an order.
 *
 * @param sku the article
 * @param quantity units ordered, positive
 * @param unitPrice price of one unit in the order's currency; exact decimal, never a double
 */
public record OrderLine(String sku, int quantity, BigDecimal unitPrice) {

    /** {@code quantity × unitPrice}, exact. */
    public BigDecimal lineTotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
