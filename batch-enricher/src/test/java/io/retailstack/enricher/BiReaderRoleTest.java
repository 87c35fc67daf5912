package io.retailstack.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.enricher.service.ShardSpec;
import io.retailstack.enricher.support.EnricherTestBase;
import io.retailstack.enricher.support.Scenario;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BiReaderRoleTest extends EnricherTestBase {

    private static final List<String> WRITES = List.of(
            "INSERT INTO bi.dim_location (location_id, name) VALUES ('X-HACK', 'x')",
            "UPDATE bi.fact_order SET status = 'DELIVERED'",
            "DELETE FROM bi.fact_order_line",
            "TRUNCATE bi.fact_inventory_movement",
            "CREATE TABLE bi.scratch (x int)",
            "CREATE VIEW bi.\"Scratch\" AS SELECT 1",
            "INSERT INTO ref.location (location_id, name) VALUES ('X-HACK', 'x')",
            "UPDATE ops.watermark SET recorded_through = now()",
            "SELECT * FROM ref.fraud_ip");

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @Test
    void shouldReadEveryViewAndWriteNothingAsBiReader() throws SQLException {
        store.storeTimed(Scenario.randomDay(3, 20, Instant.now().minus(Duration.ofHours(30)), Duration.ofHours(2)));
        job.run(ShardSpec.all());
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("GRANT bi_reader TO CURRENT_USER");
            st.execute("SET ROLE bi_reader");
            try {
                List<String> views = views(st);
                assertThat(views)
                        .contains(
                                "Orders",
                                "Order Lines",
                                "Inventory Movements",
                                "Hourly Sales by Location",
                                "Date",
                                "Location",
                                "Product",
                                "Enrichment Runs");
                for (String view : views) {
                    try (ResultSet rs = st.executeQuery("SELECT * FROM bi.\"" + view + "\" LIMIT 5")) {
                        assertThat(rs.next()).as(view + " has rows").isTrue();
                    }
                }
                for (String write : WRITES) {
                    assertThatThrownBy(() -> st.execute(write))
                            .as(write)
                            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState())
                                    .isEqualTo("42501"));
                }
            } finally {
                st.execute("RESET ROLE");
            }
        }
        assertThat(pg.count("bi.dim_location WHERE location_id = 'X-HACK'")).isZero();
        assertThat(pg.count("bi.fact_order")).isEqualTo(20);
    }

    @Test
    void shouldLetALoginUserThatInheritsBiReaderReadButNotWrite() throws SQLException {
        pg.exec("DROP ROLE IF EXISTS powerbi_test");
        pg.exec("CREATE ROLE powerbi_test LOGIN PASSWORD 'pbi-test-pw' IN ROLE bi_reader");
        try (Connection c = DriverManager.getConnection(url, "powerbi_test", "pbi-test-pw");
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM bi.\"Location\"")) {
                rs.next();
                assertThat(rs.getLong(1)).isGreaterThan(1);
            }
            assertThatThrownBy(() -> st.execute("DELETE FROM bi.dim_location"))
                    .isInstanceOfSatisfying(
                            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        } finally {
            pg.exec("DROP ROLE IF EXISTS powerbi_test");
        }
    }

    private static List<String> views(Statement st) throws SQLException {
        List<String> views = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(
                "SELECT table_name FROM information_schema.views WHERE table_schema = 'bi' ORDER BY 1")) {
            while (rs.next()) {
                views.add(rs.getString(1));
            }
        }
        return views;
    }
}
