package io.retailstack.deploy.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import io.retailstack.events.store.CqlScripts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cassandra table definitions from two sources, and their differences: the CQL storage contract (the versioned files
 * of events-model, applied in order the way event-writer's SchemaApplier does) and the
 * {@code azurerm_cosmosdb_cassandra_table} resources of {@code terraform/}. The CQL reader knows the statements those
 * files use (CREATE KEYSPACE, CREATE TABLE, ALTER TABLE ... ADD) and rejects anything else, so a new kind of
 * migration cannot slip past unnoticed.
 */
final class CassandraTables {

    /** A clustering column and its order, {@code ASC} or {@code DESC}. */
    record ClusteringKey(String column, String order) {
        @Override
        public String toString() {
            return column + " " + order;
        }
    }

    /** A table: columns by name with their (normalized) CQL types, the partition key and the clustering key. */
    record Table(String name, Map<String, String> columns, List<String> partitionKey, List<ClusteringKey> clustering) {}

    private static final Pattern CREATE_KEYSPACE = Pattern.compile("(?is)^CREATE\\s+KEYSPACE\\b.*");
    private static final Pattern CREATE_TABLE =
            Pattern.compile("(?is)^CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([\\w.]+)\\s*\\((.*)$");
    private static final Pattern ALTER_ADD =
            Pattern.compile("(?is)^ALTER\\s+TABLE\\s+([\\w.]+)\\s+ADD\\s+(IF\\s+NOT\\s+EXISTS\\s+)?(.*)$");
    private static final Pattern PRIMARY_KEY = Pattern.compile("(?is)^PRIMARY\\s+KEY\\s*\\((.*)\\)$");
    private static final Pattern COLUMN = Pattern.compile("(?is)^(\\w+)\\s+(.+?)(\\s+PRIMARY\\s+KEY)?$");
    private static final Pattern CLUSTERING_ORDER =
            Pattern.compile("(?is)^WITH\\s+CLUSTERING\\s+ORDER\\s+BY\\s*\\((.*)\\)$");

    private CassandraTables() {}

    /**
     * Applies the CQL files, in order, to an empty keyspace and returns its tables. {@code ${keyspace}} becomes
     * {@code keyspace}; every table must be in it.
     */
    static Map<String, Table> fromCql(List<String> files, String keyspace) {
        Map<String, Table> tables = new LinkedHashMap<>();
        for (String file : files) {
            for (String statement : CqlScripts.statements(file.replace("${keyspace}", keyspace))) {
                apply(tables, statement, keyspace);
            }
        }
        return tables;
    }

    private static void apply(Map<String, Table> tables, String statement, String keyspace) {
        if (CREATE_KEYSPACE.matcher(statement).matches()) {
            return;
        }
        Matcher create = CREATE_TABLE.matcher(statement);
        if (create.matches()) {
            String name = tableName(create.group(1), keyspace, statement);
            String rest = create.group(2);
            int close = matchingParenthesis(rest, statement);
            Table table = table(
                    name, rest.substring(0, close), rest.substring(close + 1).strip(), statement);
            if (tables.containsKey(name)) {
                if (!statement.toUpperCase(Locale.ROOT).matches("(?s)CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS.*")) {
                    throw new IllegalArgumentException("table " + name + " created twice: " + statement);
                }
                return;
            }
            tables.put(name, table);
            return;
        }
        Matcher alter = ALTER_ADD.matcher(statement);
        if (alter.matches()) {
            String name = tableName(alter.group(1), keyspace, statement);
            Table table = tables.get(name);
            if (table == null) {
                throw new IllegalArgumentException("ALTER TABLE of an unknown table: " + statement);
            }
            String added = alter.group(3).strip();
            if (added.startsWith("(")) {
                int close = matchingParenthesis(added.substring(1), statement);
                if (!added.substring(close + 2).isBlank()) {
                    throw new IllegalArgumentException("unexpected text after the added columns: " + statement);
                }
                added = added.substring(1, close + 1);
            }
            for (String definition : splitTopLevel(added)) {
                Matcher column = COLUMN.matcher(definition);
                if (!column.matches() || column.group(3) != null) {
                    throw new IllegalArgumentException("not a column definition: " + definition + " in " + statement);
                }
                String columnName = column.group(1).toLowerCase(Locale.ROOT);
                String type = normalizeType(column.group(2));
                String existing = table.columns().get(columnName);
                if (existing != null && (alter.group(2) == null || !existing.equals(type))) {
                    throw new IllegalArgumentException("column " + columnName + " already exists: " + statement);
                }
                table.columns().put(columnName, type);
            }
            return;
        }
        throw new IllegalArgumentException("statement the contract reader does not support: " + statement);
    }

    private static Table table(String name, String body, String options, String statement) {
        Map<String, String> columns = new LinkedHashMap<>();
        List<String> partitionKey = new ArrayList<>();
        List<String> clusteringColumns = new ArrayList<>();
        for (String element : splitTopLevel(body)) {
            Matcher primaryKey = PRIMARY_KEY.matcher(element);
            if (primaryKey.matches()) {
                if (!partitionKey.isEmpty()) {
                    throw new IllegalArgumentException("two primary keys in " + statement);
                }
                String key = primaryKey.group(1).strip();
                if (key.startsWith("(")) {
                    int close = matchingParenthesis(key.substring(1), statement);
                    splitTopLevel(key.substring(1, close + 1))
                            .forEach(c -> partitionKey.add(c.toLowerCase(Locale.ROOT)));
                    String clustering = key.substring(close + 2).strip();
                    if (!clustering.isEmpty()) {
                        if (!clustering.startsWith(",")) {
                            throw new IllegalArgumentException("cannot read the primary key of " + statement);
                        }
                        splitTopLevel(clustering.substring(1))
                                .forEach(c -> clusteringColumns.add(c.toLowerCase(Locale.ROOT)));
                    }
                } else {
                    List<String> parts = splitTopLevel(key);
                    partitionKey.add(parts.get(0).toLowerCase(Locale.ROOT));
                    parts.subList(1, parts.size()).forEach(c -> clusteringColumns.add(c.toLowerCase(Locale.ROOT)));
                }
                continue;
            }
            Matcher column = COLUMN.matcher(element);
            if (!column.matches()) {
                throw new IllegalArgumentException("cannot read `" + element + "` in " + statement);
            }
            String columnName = column.group(1).toLowerCase(Locale.ROOT);
            if (columns.put(columnName, normalizeType(column.group(2))) != null) {
                throw new IllegalArgumentException("column " + columnName + " twice in " + statement);
            }
            if (column.group(3) != null) {
                if (!partitionKey.isEmpty()) {
                    throw new IllegalArgumentException("two primary keys in " + statement);
                }
                partitionKey.add(columnName);
            }
        }
        if (partitionKey.isEmpty()) {
            throw new IllegalArgumentException("no primary key in " + statement);
        }
        Map<String, String> orders = new LinkedHashMap<>();
        if (!options.isEmpty()) {
            Matcher order = CLUSTERING_ORDER.matcher(options);
            if (!order.matches()) {
                throw new IllegalArgumentException("table options the contract reader does not support: " + options);
            }
            for (String part : splitTopLevel(order.group(1))) {
                String[] words = part.strip().split("\\s+");
                if (words.length != 2) {
                    throw new IllegalArgumentException("cannot read clustering order `" + part + "`");
                }
                orders.put(words[0].toLowerCase(Locale.ROOT), words[1].toUpperCase(Locale.ROOT));
            }
            if (!List.copyOf(orders.keySet())
                    .equals(clusteringColumns.subList(0, Math.min(orders.size(), clusteringColumns.size())))) {
                throw new IllegalArgumentException(
                        "clustering order does not follow the clustering columns: " + statement);
            }
        }
        List<ClusteringKey> clustering = new ArrayList<>();
        for (String column : clusteringColumns) {
            clustering.add(new ClusteringKey(column, orders.getOrDefault(column, "ASC")));
        }
        return new Table(name, columns, partitionKey, clustering);
    }

    /**
     * The tables {@code terraform/} creates: the data in {@code local.cassandra_tables} (table => columns as [name,
     * type] pairs, partition key, clustering key), which the one {@code azurerm_cosmosdb_cassandra_table} resource
     * creates with {@code for_each}. Checks that the resource really takes every value from that data, so the data
     * is what Azure gets.
     */
    static Map<String, Table> fromTerraform(TerraformConfig terraform) {
        Map<String, JsonNode> resources = terraform.resources("azurerm_cosmosdb_cassandra_table");
        if (resources.size() != 1) {
            throw new AssertionError("expected one azurerm_cosmosdb_cassandra_table (for_each over"
                    + " local.cassandra_tables), found " + resources.keySet());
        }
        JsonNode resource = resources.values().iterator().next();
        JsonNode schema = TerraformConfig.block(resource, "schema");
        Map<String, String> wiring = new LinkedHashMap<>();
        wiring.put("for_each", TerraformConfig.text(resource.path("for_each")));
        wiring.put("name", TerraformConfig.text(resource.path("name")));
        wiring.put("column", dynamicContent(schema, "column"));
        wiring.put("partition_key", dynamicContent(schema, "partition_key"));
        wiring.put("cluster_key", dynamicContent(schema, "cluster_key"));
        Map<String, String> expected = Map.of(
                "for_each", "${local.cassandra_tables}",
                "name", "${each.key}",
                "column", "${each.value.columns}: name=${column.value[0]} type=${column.value[1]}",
                "partition_key", "${each.value.partition_key}: name=${partition_key.value}",
                "cluster_key",
                        "${each.value.cluster_key}: name=${cluster_key.value.name}"
                                + " order_by=${cluster_key.value.order_by}");
        for (Map.Entry<String, String> e : wiring.entrySet()) {
            if (!expected.get(e.getKey()).equals(e.getValue())) {
                throw new AssertionError("azurerm_cosmosdb_cassandra_table " + e.getKey() + " is " + e.getValue()
                        + ", expected " + expected.get(e.getKey()));
            }
        }

        Map<String, Table> tables = new LinkedHashMap<>();
        terraform.local("cassandra_tables").fields().forEachRemaining(entry -> {
            String name = entry.getKey();
            JsonNode table = entry.getValue();
            Map<String, String> columns = new LinkedHashMap<>();
            for (JsonNode column : table.path("columns")) {
                String columnName = column.path(0).asText();
                if (columns.put(columnName, normalizeType(column.path(1).asText())) != null) {
                    throw new AssertionError("terraform table " + name + " declares column " + columnName + " twice");
                }
            }
            List<String> partitionKey = new ArrayList<>();
            table.path("partition_key").forEach(key -> partitionKey.add(key.asText()));
            List<ClusteringKey> clustering = new ArrayList<>();
            for (JsonNode key : table.path("cluster_key")) {
                clustering.add(new ClusteringKey(
                        key.path("name").asText(), key.path("order_by").asText().toUpperCase(Locale.ROOT)));
            }
            tables.put(name, new Table(name, columns, partitionKey, clustering));
        });
        return tables;
    }

    /** A dynamic block as one line: {@code <for_each>: <attribute>=<expression> ...}. */
    private static String dynamicContent(JsonNode schema, String block) {
        JsonNode dynamic = TerraformConfig.block(schema, "dynamic").path(block);
        JsonNode body = dynamic.isArray() ? dynamic.path(0) : dynamic;
        StringBuilder line = new StringBuilder(TerraformConfig.text(body.path("for_each"))).append(":");
        JsonNode content = TerraformConfig.block(body, "content");
        content.fields()
                .forEachRemaining(f ->
                        line.append(' ').append(f.getKey()).append('=').append(TerraformConfig.text(f.getValue())));
        return line.toString();
    }

    /** Every way {@code actual} differs from {@code expected}, one line each; empty when they are the same. */
    static List<String> differences(Map<String, Table> expected, Map<String, Table> actual) {
        List<String> differences = new ArrayList<>();
        Set<String> names = new TreeSet<>(expected.keySet());
        names.addAll(actual.keySet());
        for (String name : names) {
            Table want = expected.get(name);
            Table got = actual.get(name);
            if (got == null) {
                differences.add("table " + name + ": in the CQL contract, missing in terraform");
                continue;
            }
            if (want == null) {
                differences.add("table " + name + ": in terraform, not in the CQL contract");
                continue;
            }
            Set<String> columns = new TreeSet<>(want.columns().keySet());
            columns.addAll(got.columns().keySet());
            for (String column : columns) {
                String wantType = want.columns().get(column);
                String gotType = got.columns().get(column);
                if (gotType == null) {
                    differences.add("table " + name + ": column " + column + " " + wantType + " missing in terraform");
                } else if (wantType == null) {
                    differences.add(
                            "table " + name + ": column " + column + " " + gotType + " not in the CQL contract");
                } else if (!wantType.equals(gotType)) {
                    differences.add("table " + name + ": column " + column + " is " + gotType + " in terraform, "
                            + wantType + " in the CQL contract");
                }
            }
            if (!want.partitionKey().equals(got.partitionKey())) {
                differences.add("table " + name + ": partition key " + got.partitionKey() + " in terraform, "
                        + want.partitionKey() + " in the CQL contract");
            }
            if (!want.clustering().equals(got.clustering())) {
                differences.add("table " + name + ": clustering key " + got.clustering() + " in terraform, "
                        + want.clustering() + " in the CQL contract");
            }
            for (String key : got.partitionKey()) {
                if (!got.columns().containsKey(key)) {
                    differences.add("table " + name + ": partition key column " + key + " is not a column");
                }
            }
            for (ClusteringKey key : got.clustering()) {
                if (!got.columns().containsKey(key.column())) {
                    differences.add("table " + name + ": clustering column " + key.column() + " is not a column");
                }
            }
        }
        return differences;
    }

    private static String tableName(String qualified, String keyspace, String statement) {
        String[] parts = qualified.split("\\.");
        if (parts.length != 2 || !parts[0].equals(keyspace)) {
            throw new IllegalArgumentException("table outside keyspace " + keyspace + ": " + statement);
        }
        return parts[1].toLowerCase(Locale.ROOT);
    }

    /** Lower case, no blanks: {@code map<text, int>} and {@code MAP<text,int>} are the same type. */
    static String normalizeType(String type) {
        return Objects.requireNonNull(type).replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }

    /** Index in {@code text} of the ')' closing a '(' just before {@code text} starts. */
    private static int matchingParenthesis(String text, String statement) {
        int depth = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced parentheses: " + statement);
    }

    /** Splits on commas outside parentheses and angle brackets; parts are stripped, empty parts dropped. */
    static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '(' || c == '<') {
                depth++;
            } else if (c == ')' || c == '>') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                parts.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString().strip());
        parts.removeIf(String::isEmpty);
        return parts;
    }
}
