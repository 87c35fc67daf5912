package io.retailstack.deploy.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Terraform configuration in {@code terraform/}, parsed offline by {@code deploy-checks/hcl2json.mjs}
 * (@cdktf/hcl2json under Node.js): no terraform binary, no provider download. Expressions stay text ({@code
 * "${var.x}"}), blocks are arrays of objects, as hcl2json writes them.
 */
public final class TerraformConfig {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TerraformConfig repository;

    private final JsonNode files;

    private TerraformConfig(JsonNode files) {
        this.files = files;
    }

    /** The repository's {@code terraform/}, parsed once per test JVM. */
    public static synchronized TerraformConfig repository() {
        if (repository == null) {
            repository = parse(terraformDir());
        }
        return repository;
    }

    /** Parses every {@code *.tf} file of {@code dir}; a file hcl2json cannot parse is an {@link IllegalStateException}. */
    static TerraformConfig parse(Path dir) {
        return new TerraformConfig(runHcl2json(dir));
    }

    static Path repoRoot() {
        String root = System.getProperty("repo.root");
        Path path = root != null && !root.isBlank()
                ? Path.of(root)
                : Path.of(System.getProperty("user.dir")).getParent();
        return path.toAbsolutePath().normalize();
    }

    static Path terraformDir() {
        return repoRoot().resolve("terraform");
    }

    /** deploy-checks/, where hcl2json.mjs and node_modules are. */
    static Path moduleDir() {
        return repoRoot().resolve("deploy-checks");
    }

    /** {@code { "<file name>": <hcl2json output> }}. */
    JsonNode files() {
        return files;
    }

    List<String> fileNames() {
        List<String> names = new ArrayList<>();
        files.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Resources of one type, by label (the first and only body of each block). */
    Map<String, JsonNode> resources(String type) {
        return labelled("resource", type);
    }

    /** Data sources of one type, by label. */
    Map<String, JsonNode> dataSources(String type) {
        return labelled("data", type);
    }

    /** The one resource {@code type.label}; fails the test when it does not exist. */
    JsonNode resource(String type, String label) {
        JsonNode body = resources(type).get(label);
        if (body == null) {
            throw new AssertionError("no resource " + type + "." + label + " in terraform/");
        }
        return body;
    }

    Map<String, JsonNode> variables() {
        return named("variable");
    }

    Map<String, JsonNode> outputs() {
        return named("output");
    }

    /** All {@code locals} of all files, by name; a name defined twice is an error. */
    Map<String, JsonNode> locals() {
        Map<String, JsonNode> locals = new LinkedHashMap<>();
        for (JsonNode file : files) {
            for (JsonNode block : file.path("locals")) {
                block.fields().forEachRemaining(e -> putOnce(locals, e.getKey(), e.getValue(), "local"));
            }
        }
        return locals;
    }

    public JsonNode local(String name) {
        JsonNode value = locals().get(name);
        if (value == null) {
            throw new AssertionError("no local." + name + " in terraform/");
        }
        return value;
    }

    /** The {@code terraform} blocks (required_version, required_providers) of all files. */
    List<JsonNode> terraformBlocks() {
        List<JsonNode> blocks = new ArrayList<>();
        for (JsonNode file : files) {
            file.path("terraform").forEach(blocks::add);
        }
        return blocks;
    }

    /** The first body of a nested block ({@code schema}, {@code default_node_pool}, ...), or a missing node. */
    static JsonNode block(JsonNode body, String name) {
        JsonNode blocks = body.path(name);
        if (blocks.isArray()) {
            return blocks.isEmpty() ? MissingNode.getInstance() : blocks.get(0);
        }
        return blocks;
    }

    /** All bodies of a repeated nested block ({@code column}, {@code partition_key}, ...), in file order. */
    static List<JsonNode> blocks(JsonNode body, String name) {
        List<JsonNode> list = new ArrayList<>();
        JsonNode blocks = body.path(name);
        if (blocks.isArray()) {
            blocks.forEach(list::add);
        } else if (!blocks.isMissingNode()) {
            list.add(blocks);
        }
        return list;
    }

    /** The source text of an attribute: a literal as text, an expression as {@code ${...}}, a map or list as JSON. */
    static String text(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private Map<String, JsonNode> labelled(String kind, String type) {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        for (JsonNode file : files) {
            JsonNode ofType = file.path(kind).path(type);
            ofType.fields().forEachRemaining(e -> putOnce(result, e.getKey(), block(e.getValue()), kind + " " + type));
        }
        return result;
    }

    private Map<String, JsonNode> named(String kind) {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        for (JsonNode file : files) {
            file.path(kind).fields().forEachRemaining(e -> putOnce(result, e.getKey(), block(e.getValue()), kind));
        }
        return result;
    }

    private static JsonNode block(JsonNode bodies) {
        return bodies.isArray() && bodies.size() == 1 ? bodies.get(0) : bodies;
    }

    private static void putOnce(Map<String, JsonNode> map, String name, JsonNode value, String what) {
        if (map.put(name, value) != null) {
            throw new AssertionError(what + " " + name + " is defined more than once in terraform/");
        }
    }

    private static JsonNode runHcl2json(Path dir) {
        Path script = moduleDir().resolve("hcl2json.mjs");
        ProcessBuilder builder = new ProcessBuilder(
                        "node", script.toString(), dir.toAbsolutePath().toString())
                .directory(moduleDir().toFile());
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> stdout = readAsync(process.getInputStream());
            CompletableFuture<String> stderr = readAsync(process.getErrorStream());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("hcl2json did not finish within 120 s on " + dir);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("hcl2json failed on " + dir + " (exit " + process.exitValue() + "): "
                        + stderr.join().strip());
            }
            return JSON.readTree(stdout.join());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot run node " + script + " (is Node.js installed, and `npm ci` done?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The {@code *.tf} files of a directory, by name. */
    static List<String> tfFiles(Path dir) {
        try (var stream = Files.list(dir)) {
            return stream.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".tf"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Field names of an object node, in order. */
    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
