package io.retailstack.generator.model;

/**
 * A store or warehouse from {@code reference/locations.csv}.
 *
 * <p>The CSV has no type column; the id says it: ids starting with {@code WH-} are warehouses
 * (fulfilment centres that ship remote orders), every other location is a store.
 */
public record Location(String id, String name, String city, String region, String country, double lat, double lon) {

    /** Whether this location is a warehouse ({@code WH-} id prefix). */
    public boolean isWarehouse() {
        return id.startsWith("WH-");
    }
}
