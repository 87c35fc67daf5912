package io.retailstack.enricher.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Small JDBC helpers for assertions. */
public final class Pg {
    public static final List<String> FACT_TABLES =
            List.of("bi.fact_order", "bi.fact_order_line", "bi.fact_inventory_movement", "bi.fact_location_hourly");

    private final DataSource ds;

    public Pg(DataSource ds) {
        this.ds = ds;
    }

    /** Empties facts and ops (reference data and dimensions stay, so surrogate keys are stable). */
    public void resetFacts() {
        exec("TRUNCATE bi.fact_order, bi.fact_order_line, bi.fact_inventory_movement, bi.fact_location_hourly, "
                + "ops.watermark, ops.run");
    }

    public void exec(String sql) {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public List<Map<String, Object>> rows(String sql) {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<Map<String, Object>> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= n; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public Object one(String sql) {
        List<Map<String, Object>> rows = rows(sql);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    public long count(String table) {
        return ((Number) one("SELECT count(*) FROM " + table)).longValue();
    }

    /** md5 of every row of every fact table (enriched_at left out): equal checksums, equal content. */
    public Map<String, String> checksums() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String table : FACT_TABLES) {
            out.put(table, (String) one("SELECT md5(coalesce(string_agg(j, '|' ORDER BY j), '')) FROM "
                    + "(SELECT (to_jsonb(t) - 'enriched_at')::text AS j FROM " + table + " t) x"));
        }
        return out;
    }
}
