package io.retailstack.enricher.service;

import com.datastax.oss.driver.shaded.guava.common.net.InetAddresses;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dimension keys and the IP blocklist, read once per run: lookups while rows are built instead of joins in every
 * upsert. Ids missing from the reference data map to -1, the unknown member, and are collected for the report.
 * Reference data changes between runs are applied to existing facts by {@code ReferenceDataLoader.syncDimensions}.
 */
public final class Dimensions {
    public static final int UNKNOWN = -1;

    private final Map<String, Integer> locations;
    private final Map<String, Product> products;
    private final List<Cidr> blocklist;
    final Set<String> unknownLocations = new TreeSet<>();
    final Set<String> unknownSkus = new TreeSet<>();

    record Product(int key, BigDecimal listPrice) {}

    private record Cidr(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    Dimensions(Map<String, Integer> locations, Map<String, Product> products, List<Cidr> blocklist) {
        this.locations = locations;
        this.products = products;
        this.blocklist = blocklist;
    }

    public static Dimensions load(Connection c) throws SQLException {
        Map<String, Integer> locations = new HashMap<>();
        Map<String, Product> products = new HashMap<>();
        List<Cidr> blocklist = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT location_id, location_key FROM bi.dim_location")) {
                while (rs.next()) {
                    locations.put(rs.getString(1), rs.getInt(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT sku, product_key, list_price FROM bi.dim_product")) {
                while (rs.next()) {
                    products.put(rs.getString(1), new Product(rs.getInt(2), rs.getBigDecimal(3)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT host(ip_or_cidr), masklen(ip_or_cidr) FROM ref.fraud_ip")) {
                while (rs.next()) {
                    blocklist.add(
                            new Cidr(InetAddresses.forString(rs.getString(1)).getAddress(), rs.getInt(2)));
                }
            }
        }
        locations.remove("(unknown)");
        products.remove("(unknown)");
        return new Dimensions(locations, products, blocklist);
    }

    synchronized int location(String id) {
        Integer key = id == null ? null : locations.get(id);
        if (key == null) {
            if (id != null) {
                unknownLocations.add(id);
            }
            return UNKNOWN;
        }
        return key;
    }

    synchronized Product product(String sku) {
        Product p = products.get(sku);
        if (p == null) {
            unknownSkus.add(sku);
            return new Product(UNKNOWN, null);
        }
        return p;
    }

    /** Whether a client IP (already checked to be a literal) lies in a blocklisted address or range. */
    boolean blocklisted(String ip) {
        if (ip == null || blocklist.isEmpty()) {
            return false;
        }
        InetAddress address = InetAddresses.forString(ip);
        byte[] bytes = address.getAddress();
        for (Cidr cidr : blocklist) {
            if (cidr.contains(bytes)) {
                return true;
            }
        }
        return false;
    }
}
