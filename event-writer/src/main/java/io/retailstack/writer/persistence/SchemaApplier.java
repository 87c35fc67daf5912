package io.retailstack.writer.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
            for (String cql : statements(read(path))) {
                String statement = cql.replace("${keyspace}", keyspace).replace("${replication}", replication);
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

    /** The statements of a CQL file: full-line {@code --} comments dropped, split on {@code ;}. */
    static List<String> statements(String text) {
        StringBuilder withoutComments = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String part : withoutComments.toString().split(";")) {
            String statement = part.strip();
            if (!statement.isEmpty()) {
                statements.add(statement);
            }
        }
        return statements;
    }

    private static String read(String path) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = SchemaApplier.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema file not on the class path: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
