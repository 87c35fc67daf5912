package io.retailstack.events;

import java.util.Optional;

/** The two kinds of aggregate events belong to; the prefix is the first segment of a subject. */
public enum AggregateType {
    /** One customer or internal order, keyed by order id. */
    ORDER("order"),
    /** Stock of one SKU at one location, keyed by {@code sku@locationId}. */
    INVENTORY("inventory");

    private final String prefix;

    AggregateType(String prefix) {
        this.prefix = prefix;
    }

    /** The subject prefix, e.g. {@code order}. */
    public String prefix() {
        return prefix;
    }

    /** The aggregate type with this subject prefix, if any. */
    public static Optional<AggregateType> fromPrefix(String prefix) {
        for (AggregateType type : values()) {
            if (type.prefix.equals(prefix)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
