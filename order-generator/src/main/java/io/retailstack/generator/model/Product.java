package io.retailstack.generator.model;

import java.math.BigDecimal;

/** An article from {@code reference/products.csv}; {@code listPrice} is in EUR. */
public record Product(String sku, String name, String category, String brand, BigDecimal listPrice) {}
