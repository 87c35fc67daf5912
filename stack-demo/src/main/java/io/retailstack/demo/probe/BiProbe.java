package io.retailstack.demo.probe;

import io.retailstack.demo.pipeline.DemoResult.BiAnswers;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The questions an analyst would ask the star schema, restricted to one run's orders. */
public final class BiProbe {
    private final String jdbcUrl;
    private final String user;
    private final String password;

    public BiProbe(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /** Creates {@code database} if it does not exist, connecting as the stack's superuser. */
    public static void createDatabaseIfMissing(
            String serverJdbcUrl, String superPassword, String database, String owner) throws SQLException {
        try (Connection c = DriverManager.getConnection(serverJdbcUrl, "postgres", superPassword);
                PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement s = c.createStatement()) {
                // identifiers cannot be bound; the name is ours (letters, digits, underscore), never user input
                s.execute("CREATE DATABASE " + database + " OWNER " + owner);
            }
        }
    }

    public BiAnswers answers(Collection<String> orderIds) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            Array ids = c.createArrayOf("text", orderIds.toArray());
            long orders;
            BigDecimal revenue;
            long flagged;
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT count(*), coalesce(sum(total), 0), count(*) FILTER (WHERE flagged)"
                            + " FROM bi.fact_order WHERE order_id = ANY (?)")) {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    orders = rs.getLong(1);
                    revenue = rs.getBigDecimal(2);
                    flagged = rs.getLong(3);
                }
            }
            List<List<Object>> top = rows(
                    c,
                    "SELECT coalesce(l.name, f.to_location_id), count(*), sum(f.total) FROM bi.fact_order f"
                            + " LEFT JOIN bi.dim_location l ON l.location_key = f.to_location_key"
                            + " WHERE f.order_id = ANY (?) AND f.status <> 'CANCELLED'"
                            + " GROUP BY 1 ORDER BY 3 DESC LIMIT 5",
                    ids);
            List<List<Object>> perHour = rows(
                    c,
                    "SELECT f.to_location_id, date_trunc('hour', f.placed_at), count(*) FROM bi.fact_order f"
                            + " WHERE f.order_id = ANY (?) GROUP BY 1, 2 ORDER BY 2, 1",
                    ids);
            List<List<Object>> hot = rows(
                    c,
                    "SELECT m.sku, count(*) FROM bi.fact_inventory_movement m"
                            + " WHERE m.order_id = ANY (?) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1",
                    ids);
            String hotSku = hot.isEmpty() ? null : (String) hot.get(0).get(0);
            List<List<Object>> availability = hotSku == null
                    ? List.of()
                    : rows(
                            c,
                            "SELECT event_time, sum(sum(on_hand_delta - reserved_delta)) OVER (ORDER BY event_time"
                                    + " ROWS UNBOUNDED PRECEDING) FROM bi.fact_inventory_movement WHERE sku = ?"
                                    + " GROUP BY event_time ORDER BY event_time",
                            hotSku);
            return new BiAnswers(orders, revenue, flagged, top, perHour, hotSku, availability);
        }
    }

    private static List<List<Object>> rows(Connection c, String sql, Object parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                List<List<Object>> rows = new ArrayList<>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }
}
