package io.retailstack.events.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The format of the storage contract's CQL files ({@code retail/cassandra/V001__event_store.cql}, ...): full-line
 * {@code --} comments, statements ended by {@code ;}, placeholders {@code ${keyspace}} and {@code ${replication}}.
 * One reader for everything that applies or inspects them: event-writer's schema applier, the tests' fixtures, and
 * the check that terraform/ creates the same tables on Cosmos DB.
 */
public final class CqlScripts {

    /** Class-path folder of the contract's files. */
    public static final String LOCATION = "retail/cassandra/";

    private CqlScripts() {}

    /** The statements of a file's text, placeholders left as they are. */
    public static List<String> statements(String text) {
        StringBuilder withoutComments = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!line.strip().startsWith("--")) {
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

    /** The statements of a file's text with {@code ${keyspace}} and {@code ${replication}} substituted. */
    public static List<String> statements(String text, String keyspace, String replication) {
        List<String> statements = new ArrayList<>();
        for (String s : statements(text)) {
            statements.add(s.replace("${keyspace}", keyspace).replace("${replication}", replication));
        }
        return statements;
    }

    /** The text of a class-path resource ({@code path} from the root, e.g. {@code LOCATION + "V001__event_store.cql"}). */
    public static String read(String path) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = CqlScripts.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("CQL file not on the class path: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
