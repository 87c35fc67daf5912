package io.retailstack.demo.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the order generator as its own process, exactly as a user would run its CLI, sending to Kafka
 * {@code retail.events.raw} like an external producer. Keeps what it sent (NDJSON) and its expected totals (summary
 * JSON) for reconciliation.
 *
 * @param summary the generator's summary JSON (expected totals)
 * @param events the valid events it sent
 * @param exitCode the generator's exit code
 */
public record GeneratorRun(JsonNode summary, List<CloudEvent> events, int exitCode) {

    /** Sends the workload to {@code topic}; the generator's progress line shows when a person is watching. */
    public static GeneratorRun runTo(
            RepoLayout layout, DemoSettings settings, String bootstrapServers, String topic, Path workDir)
            throws IOException, InterruptedException {
        boolean showProgress = System.console() != null;
        Path out = workDir.resolve("generated-events.ndjson");
        Path summary = workDir.resolve("generator-summary.json");
        Files.deleteIfExists(summary);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                layout.generatorClasspath(),
                "io.retailstack.generator.cli.GeneratorCli",
                "--target",
                "kafka",
                "--bootstrap-servers",
                bootstrapServers,
                "--topic",
                topic,
                "--orders",
                Integer.toString(settings.orders()),
                "--seed",
                Long.toString(settings.seed()),
                "--fraud-share",
                Double.toString(settings.fraudShare()),
                "--malformed-share",
                Double.toString(settings.malformedShare()),
                "--out",
                out.toString(),
                "--summary-json",
                summary.toString()));
        if (!showProgress) {
            command.add("--no-progress");
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        if (showProgress) {
            builder.inheritIO();
        } else {
            builder.redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("generator.log").toFile());
        }
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the generator did not finish within 10 minutes");
        }
        int exit = process.exitValue();
        if (exit != 0 || !Files.isRegularFile(summary)) {
            throw new IllegalStateException(
                    "the generator failed with exit code " + exit + " (log in " + workDir + ")");
        }
        EventCodec codec = new EventCodec();
        List<CloudEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                events.add(codec.decode(line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return new GeneratorRun(new ObjectMapper().readTree(summary.toFile()), events, exit);
    }
}
