package io.retailstack.enricher.reference;

import java.util.List;

/** The three reference tables, their file names and columns (the same headers in CSV and Parquet). */
public enum ReferenceKind {
    LOCATIONS("locations", "ref.location", List.of("location_id", "name", "city", "region", "country", "lat", "lon")),
    PRODUCTS("products", "ref.product", List.of("sku", "name", "category", "brand", "list_price")),
    FRAUD_IPS("fraud_ips", "ref.fraud_ip", List.of("ip_or_cidr", "reason"));

    private final String fileName;
    private final String table;
    private final List<String> columns;

    ReferenceKind(String fileName, String table, List<String> columns) {
        this.fileName = fileName;
        this.table = table;
        this.columns = columns;
    }

    /** Base name of the file, e.g. {@code locations} for locations.csv / locations.parquet. */
    public String fileName() {
        return fileName;
    }

    public String table() {
        return table;
    }

    /** Columns in file order; the first is the key. */
    public List<String> columns() {
        return columns;
    }
}
