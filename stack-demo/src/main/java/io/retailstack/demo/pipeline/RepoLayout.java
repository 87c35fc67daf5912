package io.retailstack.demo.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the other modules' build outputs are, relative to the repository root. */
public record RepoLayout(Path root) {

    /** The root from {@code -Dretail.root}, else the first parent of the working directory holding {@code mvnw}. */
    public static RepoLayout locate() {
        String configured = System.getProperty("retail.root");
        if (configured != null && !configured.isBlank()) {
            return new RepoLayout(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("local-stack"))) {
                return new RepoLayout(dir);
            }
        }
        throw new IllegalStateException("cannot find the repository root; run from inside it or set -Dretail.root");
    }

    public Path serviceJar(String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** The generator's class path as its build recorded it (classes dir first). */
    public String generatorClasspath() throws IOException {
        Path module = root.resolve("order-generator");
        Path recorded = module.resolve("target/classpath.txt");
        if (!Files.isRegularFile(recorded)) {
            throw new IllegalStateException("order-generator is not built: " + recorded + " is missing");
        }
        return module.resolve("target/classes")
                + java.io.File.pathSeparator
                + Files.readString(recorded).trim();
    }
}
