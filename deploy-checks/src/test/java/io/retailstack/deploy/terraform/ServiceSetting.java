package io.retailstack.deploy.terraform;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting of a service as it stands in production, read from the service's sources (not from a running service):
 * the value of a production profile ({@code %prod}, {@code %eventhubs}, {@code %cosmos}) in its
 * {@code src/main/resources/application.properties}, else the plain key there, else the {@code @WithDefault} of the
 * config-mapping method. Test-only profiles ({@code %test}, {@code %dev}, ...) never count. A value of the form
 * {@code ${ENV_VAR:default}} resolves to its default.
 *
 * @param module the service's Maven module, e.g. {@code ingest-service}
 * @param key the property, e.g. {@code ingest.topics.raw}
 * @param configMapping the {@code @ConfigMapping} source, relative to the module's {@code src/main/java}
 * @param method the mapping method that reads the property, e.g. {@code raw}
 */
record ServiceSetting(String module, String key, String configMapping, String method) {

    /** Profiles a production deployment activates (QUARKUS_PROFILE=prod,eventhubs,cosmos). */
    static final Set<String> PRODUCTION_PROFILES = Set.of("prod", "eventhubs", "cosmos");

    private static final Pattern ENV_WITH_DEFAULT = Pattern.compile("^\\$\\{[A-Za-z0-9_.-]+:(.*)}$");

    /** The production value; fails when the setting is only given by the environment or defined ambiguously. */
    String productionValue() {
        Properties properties = properties(module);
        Set<String> profiled = new LinkedHashSet<>();
        String plain = null;
        for (String name : properties.stringPropertyNames()) {
            String value = properties.getProperty(name).strip();
            if (name.equals(key)) {
                plain = value;
            } else if (name.startsWith("%")) {
                int dot = name.indexOf('.');
                if (dot > 0 && name.substring(dot + 1).equals(key)) {
                    List<String> profiles = List.of(name.substring(1, dot).split(","));
                    if (profiles.stream().anyMatch(PRODUCTION_PROFILES::contains)) {
                        profiled.add(value);
                    }
                }
            }
        }
        if (profiled.size() > 1) {
            throw new AssertionError(module + ": " + key + " has different production values " + profiled);
        }
        String value = !profiled.isEmpty() ? profiled.iterator().next() : plain;
        if (value == null) {
            value = withDefault();
        }
        return resolve(value);
    }

    private String resolve(String value) {
        Matcher env = ENV_WITH_DEFAULT.matcher(value);
        if (env.matches()) {
            return env.group(1);
        }
        if (value.contains("${")) {
            throw new AssertionError(module + ": " + key + " is only set from the environment: " + value);
        }
        return value;
    }

    /** The {@code @WithDefault} value of {@link #method()} in {@link #configMapping()}; exactly one must exist. */
    String withDefault() {
        Path source = TerraformConfig.repoRoot()
                .resolve(module)
                .resolve("src/main/java")
                .resolve(configMapping);
        String java = read(source);
        Pattern pattern = Pattern.compile("@WithDefault\\(\"((?:[^\"\\\\]|\\\\.)*)\"\\)\\s+[\\w.<>, ]+?\\s+"
                + Pattern.quote(method) + "\\s*\\(\\s*\\)");
        Matcher matcher = pattern.matcher(java);
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group(1).replace("\\\"", "\""));
        }
        if (found.size() != 1) {
            throw new AssertionError(source + ": expected one @WithDefault on " + method + "(), found " + found);
        }
        return found.get(0);
    }

    static Properties properties(String module) {
        Path file = TerraformConfig.repoRoot().resolve(module).resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
