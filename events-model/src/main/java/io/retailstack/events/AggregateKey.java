package io.retailstack.events;

import java.util.Objects;

/**
 * Names one aggregate: an order ({@code order/ORD-1}) or the stock of one SKU at one location
 * ({@code inventory/SKU-1@LOC-9}).
 *
 * <p>The same string is the CloudEvents {@code subject}, the Kafka record key and the natural key in
 * the stores, so every event of one aggregate lands on one partition, in order. An instance is always
 * well formed: the constructor rejects ids that break {@link Identifiers#RULE}.
 *
 * @param type the aggregate type
 * @param id the order id, or {@code sku@locationId} for inventory
 */
public record AggregateKey(AggregateType type, String id) {

    private static final char SUBJECT_SEPARATOR = '/';
    private static final char LOCATION_SEPARATOR = '@';

    public AggregateKey {
        Objects.requireNonNull(type, "type");
        if (type == AggregateType.ORDER) {
            requireId("order id", id);
        } else {
            int at = id == null ? -1 : id.indexOf(LOCATION_SEPARATOR);
            if (at < 0) {
                throw new IllegalArgumentException("inventory id must look like sku@locationId, got '" + id + "'");
            }
            requireId("sku", id.substring(0, at));
            requireId("location id", id.substring(at + 1));
        }
    }

    /** Key of the order with this id. */
    public static AggregateKey order(String orderId) {
        return new AggregateKey(AggregateType.ORDER, orderId);
    }

    /** Key of the stock of {@code sku} at {@code locationId}. */
    public static AggregateKey inventory(String sku, String locationId) {
        return new AggregateKey(AggregateType.INVENTORY, sku + LOCATION_SEPARATOR + locationId);
    }

    /**
     * Parses a subject such as {@code order/ORD-1} or {@code inventory/SKU-1@LOC-9}.
     *
     * @throws IllegalArgumentException if the subject is null, has an unknown prefix or a bad id
     */
    public static AggregateKey fromSubject(String subject) {
        if (subject == null) {
            throw new IllegalArgumentException("subject is missing");
        }
        int slash = subject.indexOf(SUBJECT_SEPARATOR);
        if (slash < 0) {
            throw new IllegalArgumentException("subject must look like order/<id> or inventory/<sku>@<location>");
        }
        String prefix = subject.substring(0, slash);
        AggregateType type = AggregateType.fromPrefix(prefix)
                .orElseThrow(() -> new IllegalArgumentException(
                        "subject prefix '" + prefix + "' is neither 'order' nor 'inventory'"));
        return new AggregateKey(type, subject.substring(slash + 1));
    }

    /** The CloudEvents subject, e.g. {@code inventory/SKU-1@LOC-9}. */
    public String subject() {
        return type.prefix() + SUBJECT_SEPARATOR + id;
    }

    /** The Kafka record key: the subject, so one aggregate maps to one partition. */
    public String kafkaKey() {
        return subject();
    }

    /** The SKU of an inventory key. */
    public String sku() {
        requireInventory();
        return id.substring(0, id.indexOf(LOCATION_SEPARATOR));
    }

    /** The location id of an inventory key. */
    public String locationId() {
        requireInventory();
        return id.substring(id.indexOf(LOCATION_SEPARATOR) + 1);
    }

    @Override
    public String toString() {
        return subject();
    }

    private void requireInventory() {
        if (type != AggregateType.INVENTORY) {
            throw new IllegalStateException("only inventory keys have a sku and a location: " + subject());
        }
    }

    private static void requireId(String what, String value) {
        if (!Identifiers.isValid(value)) {
            throw new IllegalArgumentException(what + " must be " + Identifiers.RULE + ", got '" + value + "'");
        }
    }
}
