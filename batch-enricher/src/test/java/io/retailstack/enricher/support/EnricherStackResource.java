package io.retailstack.enricher.support;

import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The shared local stack, plus what Azure's admin user has and the local {@code retail} role lacks: CREATEROLE, so
 * the Flyway migration can create the {@code bi_reader} role as it would on Azure Database for PostgreSQL.
 */
public class EnricherStackResource extends LocalStackTestResource {
    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        String url = config.get("retail.stack.postgres.jdbc-url");
        // the local stack gives the superuser the same generated password as the application user
        try (Connection c = DriverManager.getConnection(url, "postgres", config.get("retail.stack.postgres.password"));
                Statement st = c.createStatement()) {
            st.execute("ALTER ROLE " + config.get("retail.stack.postgres.username") + " CREATEROLE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot grant CREATEROLE to the application user", e);
        }
        return config;
    }
}
