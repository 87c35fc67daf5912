package io.retailstack.enricher.reference;

import com.datastax.oss.driver.shaded.guava.common.net.InetAddresses;
import io.retailstack.enricher.persistence.CopyWriter;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Loads reference data from CSV or Parquet into {@code ref}, then brings the {@code bi} dimensions in line and
 * re-points facts that were written with the unknown member (-1) before their location or SKU was known.
 *
 * <p>Idempotent: rows go through COPY into a staging table and one upsert that only touches rows whose content
 * differs, so loading the same file twice (or the same data as CSV and then as Parquet) changes nothing the second
 * time. Rows are never deleted: a location that disappears from the file keeps its dimension member, as facts may
 * still point to it. Invalid rows (no key, a number or IP that does not parse) are skipped and counted.
 */
@ApplicationScoped
public class ReferenceDataLoader {
    private static final Logger LOG = Logger.getLogger(ReferenceDataLoader.class);

    /** What one load did. */
    public record LoadResult(ReferenceKind kind, String source, int rowsRead, int rejected, long changed) {}

    /** Loads one file; the format follows the extension ({@code .csv} or {@code .parquet}). Caller commits. */
    public LoadResult load(Connection c, ReferenceKind kind, Path file) throws SQLException, IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Map<String, String>> rows;
        if (name.endsWith(".parquet") || name.endsWith(".parq")) {
            rows = ParquetTable.read(file);
        } else if (name.endsWith(".csv")) {
            try (InputStream in = Files.newInputStream(file)) {
                rows = CsvTable.read(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } else {
            throw new IllegalArgumentException("unknown reference file type (want .csv or .parquet): " + file);
        }
        return upsert(c, kind, rows, file.getFileName().toString());
    }

    /** Loads the CSVs shipped in the jar (classpath {@code reference/*.csv}) and syncs the dimensions. */
    public List<LoadResult> loadBundled(Connection c) throws SQLException {
        List<LoadResult> results = new ArrayList<>();
        for (ReferenceKind kind : ReferenceKind.values()) {
            String resource = "reference/" + kind.fileName() + ".csv";
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing bundled resource " + resource);
                }
                results.add(upsert(
                        c,
                        kind,
                        CsvTable.read(new InputStreamReader(in, StandardCharsets.UTF_8)),
                        "bundled:" + resource));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        syncDimensions(c);
        return results;
    }

    /** Loads the bundled CSVs if {@code ref.location} is empty (a fresh database); autocommit as the caller has it. */
    public void loadBundledIfEmpty(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM ref.location)")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return;
            }
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            List<LoadResult> results = loadBundled(c);
            c.commit();
            LOG.infof("reference data was empty; loaded the bundled CSVs: %s", results);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private LoadResult upsert(Connection c, ReferenceKind kind, List<Map<String, String>> rows, String source)
            throws SQLException {
        String stg = "stg_ref_" + kind.fileName();
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + stg);
            StringBuilder ddl = new StringBuilder("CREATE TEMP TABLE " + stg + " (");
            for (String col : kind.columns()) {
                ddl.append(col).append(" text, ");
            }
            ddl.append("source text)");
            st.execute(ddl.toString());
        }
        int rejected = 0;
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        int line = 1;
        for (Map<String, String> row : rows) {
            line++;
            List<String> values = new ArrayList<>();
            for (String col : kind.columns()) {
                String v = row.get(col);
                values.add(v == null || v.isBlank() ? null : v.trim());
            }
            String problem = problem(kind, values);
            if (problem != null) {
                rejected++;
                LOG.warnf("%s row %d rejected (%s): %s", source, line, problem, row);
                continue;
            }
            byKey.put(normalizeKey(kind, values.get(0)), values); // last one wins within a file
        }
        try (CopyWriter w = CopyWriter.open(c, stg, String.join(", ", kind.columns()) + ", source")) {
            for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
                List<String> values = e.getValue();
                w.text(e.getKey());
                for (int i = 1; i < values.size(); i++) {
                    w.text(values.get(i));
                }
                w.text(source);
                w.endRow();
            }
            w.finish();
        }
        long changed;
        try (Statement st = c.createStatement()) {
            changed = st.executeUpdate(upsertSql(kind, stg));
            st.execute("DROP TABLE " + stg);
        }
        LOG.infof(
                "%s: %d rows read, %d rejected, %d changed in %s",
                source, rows.size(), rejected, changed, kind.table());
        return new LoadResult(kind, source, rows.size(), rejected, changed);
    }

    private static String normalizeKey(ReferenceKind kind, String key) {
        return kind == ReferenceKind.FRAUD_IPS ? key.toLowerCase(Locale.ROOT) : key;
    }

    private static String problem(ReferenceKind kind, List<String> v) {
        if (v.get(0) == null) {
            return "no " + kind.columns().get(0);
        }
        switch (kind) {
            case LOCATIONS -> {
                if (v.get(1) == null) {
                    return "no name";
                }
                for (int i = 5; i <= 6; i++) {
                    if (v.get(i) != null && !isDecimal(v.get(i))) {
                        return kind.columns().get(i) + " is not a number";
                    }
                }
            }
            case PRODUCTS -> {
                if (v.get(1) == null) {
                    return "no name";
                }
                if (v.get(4) != null && !isDecimal(v.get(4))) {
                    return "list_price is not a number";
                }
            }
            case FRAUD_IPS -> {
                if (!isIpOrCidr(v.get(0))) {
                    return "not an IP address or CIDR";
                }
            }
        }
        return null;
    }

    private static boolean isDecimal(String s) {
        try {
            new BigDecimal(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean isIpOrCidr(String s) {
        int slash = s.indexOf('/');
        String ip = slash < 0 ? s : s.substring(0, slash);
        if (!InetAddresses.isInetAddress(ip)) {
            return false;
        }
        if (slash < 0) {
            return true;
        }
        try {
            int bits = Integer.parseInt(s.substring(slash + 1));
            int max = ip.contains(":") ? 128 : 32;
            if (bits < 0 || bits > max) {
                return false;
            }
            // PostgreSQL's cidr rejects host bits set to the right of the mask
            byte[] addr = InetAddresses.forString(ip).getAddress();
            for (int bit = bits; bit < addr.length * 8; bit++) {
                if ((addr[bit / 8] & (0x80 >> (bit % 8))) != 0) {
                    return false;
                }
            }
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String upsertSql(ReferenceKind kind, String stg) {
        return switch (kind) {
            case LOCATIONS ->
                """
                    INSERT INTO ref.location AS t (location_id, name, city, region, country, lat, lon, source)
                    SELECT location_id, name, city, region, country, lat::numeric, lon::numeric, source FROM %s
                    ON CONFLICT (location_id) DO UPDATE SET name = excluded.name, city = excluded.city,
                        region = excluded.region, country = excluded.country, lat = excluded.lat, lon = excluded.lon,
                        source = excluded.source, updated_at = now()
                    WHERE (t.name, t.city, t.region, t.country, t.lat, t.lon)
                          IS DISTINCT FROM (excluded.name, excluded.city, excluded.region, excluded.country,
                                            excluded.lat, excluded.lon)
                    """
                        .formatted(stg);
            case PRODUCTS ->
                """
                    INSERT INTO ref.product AS t (sku, name, category, brand, list_price, source)
                    SELECT sku, name, category, brand, list_price::numeric, source FROM %s
                    ON CONFLICT (sku) DO UPDATE SET name = excluded.name, category = excluded.category,
                        brand = excluded.brand, list_price = excluded.list_price, source = excluded.source,
                        updated_at = now()
                    WHERE (t.name, t.category, t.brand, t.list_price)
                          IS DISTINCT FROM (excluded.name, excluded.category, excluded.brand, excluded.list_price)
                    """
                        .formatted(stg);
            case FRAUD_IPS ->
                """
                    INSERT INTO ref.fraud_ip AS t (ip_or_cidr, reason, source)
                    SELECT DISTINCT ON (ip_or_cidr::cidr) ip_or_cidr::cidr, reason, source FROM %s
                    ORDER BY ip_or_cidr::cidr
                    ON CONFLICT (ip_or_cidr) DO UPDATE SET reason = excluded.reason, source = excluded.source,
                        updated_at = now()
                    WHERE t.reason IS DISTINCT FROM excluded.reason
                    """
                        .formatted(stg);
        };
    }

    /** The dimension members, upserted from {@code ref}. */
    private static final List<String> DIMENSION_UPSERTS = List.of(
            """
            INSERT INTO bi.dim_location AS d (location_id, name, city, region, country, lat, lon)
            SELECT location_id, name, city, region, country, lat, lon FROM ref.location
            ON CONFLICT (location_id) DO UPDATE SET name = excluded.name, city = excluded.city,
                region = excluded.region, country = excluded.country, lat = excluded.lat, lon = excluded.lon
            WHERE (d.name, d.city, d.region, d.country, d.lat, d.lon)
                  IS DISTINCT FROM (excluded.name, excluded.city, excluded.region, excluded.country, excluded.lat,
                                    excluded.lon)
            """,
            """
            INSERT INTO bi.dim_product AS d (sku, name, category, brand, list_price)
            SELECT sku, name, category, brand, list_price FROM ref.product
            ON CONFLICT (sku) DO UPDATE SET name = excluded.name, category = excluded.category,
                brand = excluded.brand, list_price = excluded.list_price
            WHERE (d.name, d.category, d.brand, d.list_price)
                  IS DISTINCT FROM (excluded.name, excluded.category, excluded.brand, excluded.list_price)
            """);

    /** Which facts a re-point statement touches, by the key a chunk knows them by. */
    private enum Scope {
        ORDERS("f.order_id"),
        ORDER_LINES("l.order_id"),
        MOVEMENTS("m.event_id");

        final String column;

        Scope(String column) {
            this.column = column;
        }
    }

    /** A fact update that follows the dimensions; {@code %s} takes the scope condition (empty: every fact). */
    private record Repoint(Scope scope, String sql) {
        String scoped(boolean all) {
            return sql.formatted(all ? "" : " AND " + scope.column + " = ANY(?)");
        }
    }

    /** Facts re-pointed to the dimensions: unknown (-1) keys whose id is now known, list prices, the blocklist flag. */
    private static final List<Repoint> REPOINTS = List.of(
            new Repoint(
                    Scope.ORDERS,
                    """
                    UPDATE bi.fact_order f SET from_location_key = d.location_key, enriched_at = now()
                    FROM bi.dim_location d WHERE f.from_location_key = -1 AND d.location_id = f.from_location_id%s
                    """),
            new Repoint(
                    Scope.ORDERS,
                    """
                    UPDATE bi.fact_order f SET to_location_key = d.location_key, enriched_at = now()
                    FROM bi.dim_location d WHERE f.to_location_key = -1 AND d.location_id = f.to_location_id%s
                    """),
            new Repoint(
                    Scope.ORDER_LINES,
                    """
                    UPDATE bi.fact_order_line l SET from_location_key = o.from_location_key,
                        to_location_key = o.to_location_key, enriched_at = now()
                    FROM bi.fact_order o WHERE l.order_id = o.order_id
                      AND (l.from_location_key, l.to_location_key)
                          IS DISTINCT FROM (o.from_location_key, o.to_location_key)%s
                    """),
            new Repoint(
                    Scope.ORDER_LINES,
                    """
                    UPDATE bi.fact_order_line l SET product_key = p.product_key, list_price = p.list_price,
                        enriched_at = now()
                    FROM bi.dim_product p WHERE p.sku = l.sku
                      AND (l.product_key, l.list_price) IS DISTINCT FROM (p.product_key, p.list_price)%s
                    """),
            new Repoint(
                    Scope.MOVEMENTS,
                    """
                    UPDATE bi.fact_inventory_movement m SET product_key = p.product_key, enriched_at = now()
                    FROM bi.dim_product p WHERE m.product_key = -1 AND p.sku = m.sku%s
                    """),
            new Repoint(
                    Scope.MOVEMENTS,
                    """
                    UPDATE bi.fact_inventory_movement m SET location_key = d.location_key, enriched_at = now()
                    FROM bi.dim_location d WHERE m.location_key = -1 AND d.location_id = m.location_id%s
                    """),
            new Repoint(
                    Scope.ORDERS,
                    """
                    UPDATE bi.fact_order f
                    SET ip_blocklisted = EXISTS (SELECT 1 FROM ref.fraud_ip r WHERE r.ip_or_cidr >>= f.client_ip),
                        enriched_at = now()
                    WHERE f.client_ip IS NOT NULL
                      AND f.ip_blocklisted IS DISTINCT FROM
                          EXISTS (SELECT 1 FROM ref.fraud_ip r WHERE r.ip_or_cidr >>= f.client_ip)%s
                    """));

    /**
     * Upserts the dimensions from {@code ref} and re-points every fact to them, then bumps the reference version so
     * that chunks of runs in progress re-point their own rows too ({@link ReferenceVersion}). Needs the caller's
     * transaction and holds the reference lock until the caller commits. Returns the rows changed.
     */
    public long syncDimensions(Connection c) throws SQLException {
        ReferenceVersion.lockAndBumpForLoad(c);
        long changed = 0;
        try (Statement st = c.createStatement()) {
            for (String sql : DIMENSION_UPSERTS) {
                changed += st.executeUpdate(sql);
            }
            for (Repoint repoint : REPOINTS) {
                changed += st.executeUpdate(repoint.scoped(true));
            }
        }
        return changed;
    }

    /**
     * Re-points the facts of one chunk (its orders, with their lines, and its movements) to the dimensions as they
     * are now: for a chunk computed from dimensions that a load has changed since. Caller commits.
     */
    public long repoint(Connection c, Collection<String> orderIds, Collection<String> movementIds) throws SQLException {
        java.sql.Array orders = c.createArrayOf("text", orderIds.toArray());
        java.sql.Array movements = c.createArrayOf("text", movementIds.toArray());
        long changed = 0;
        for (Repoint repoint : REPOINTS) {
            boolean byOrder = repoint.scope() != Scope.MOVEMENTS;
            if (byOrder ? orderIds.isEmpty() : movementIds.isEmpty()) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement(repoint.scoped(false))) {
                ps.setArray(1, byOrder ? orders : movements);
                changed += ps.executeUpdate();
            }
        }
        return changed;
    }
}
