package io.retailstack.writer.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.retailstack.events.store.CqlScripts;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Applies the versioned CQL files of the storage contract ({@code retail/cassandra/V001__event_store.cql}, ...) in
 * order. Every statement is idempotent ({@code IF NOT EXISTS}), so applying at every start is safe. Substitutes
 * {@code ${keyspace}} and {@code ${replication}}. Off on Cosmos DB, where Terraform owns keyspace and tables.
 */
public final class SchemaApplier {

    private static final Logger LOG = Logger.getLogger(SchemaApplier.class);
    private static final Pattern KEYSPACE_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,47}");
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);

    private SchemaApplier() {}

    /** Runs every statement of every file; returns how many statements ran. */
    public static int apply(
            CqlSession session, String location, List<String> files, String keyspace, String replication) {
        if (!KEYSPACE_NAME.matcher(keyspace).matches()) {
            throw new IllegalArgumentException("not a keyspace name: " + keyspace);
        }
        int count = 0;
        for (String file : files) {
            String path = location.endsWith("/") ? location + file : location + "/" + file;
            for (String statement : CqlScripts.statements(CqlScripts.read(path), keyspace, replication)) {
                session.execute(SimpleStatement.newInstance(statement).setTimeout(DDL_TIMEOUT));
                count++;
            }
            LOG.infof("schema file %s applied to keyspace %s", file, keyspace);
        }
        if (!session.checkSchemaAgreement()) {
            LOG.warn("schema not yet in agreement across nodes after applying the CQL files");
        }
        return count;
    }
}
