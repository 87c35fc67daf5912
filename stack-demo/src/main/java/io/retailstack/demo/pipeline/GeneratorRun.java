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
 * {@code retail.events.raw} like an external producer. Keeps what it sent (NDJSON) and its expected totals for
 * reconciliation.
 *
 * @param summary the {@code expected} part of the generator's summary JSON: the totals downstream must reproduce
 * @param events the valid events it sent
 */
public record GeneratorRun(JsonNode summary, List<CloudEvent> events) {

    /**
     * Writes the fraud blocklist the generator draws its fraud IPs from, in the format ingest watches (a dry run: sends
     * nothing). Ingest must have it before the first event arrives, so flagged orders reconcile exactly.
     */
    public static Path writeBlocklist(RepoLayout layout, DemoSettings settings, Path workDir)
            throws IOException, InterruptedException {
        Path blocklist = workDir.resolve("fraud-blocklist.txt");
        List<String> command = command(layout, settings);
        command.addAll(List.of("--dry-run", "--no-progress", "--blocklist-out", blocklist.toString()));
        execute(command, workDir.resolve("generator-blocklist.log"), false);
        return blocklist;
    }

    /** Sends the workload to {@code topic}; the generator's progress line shows when a person is watching. */
    public static GeneratorRun runTo(
            RepoLayout layout, DemoSettings settings, String bootstrapServers, String topic, Path workDir)
            throws IOException, InterruptedException {
        boolean showProgress = System.console() != null;
        Path out = workDir.resolve("generated-events.ndjson");
        Path summary = workDir.resolve("generator-summary.json");
        Files.deleteIfExists(summary);
        List<String> command = command(layout, settings);
        command.addAll(List.of(
                "--target",
                "kafka",
                "--bootstrap-servers",
                bootstrapServers,
                "--topic",
                topic,
                "--out",
                out.toString(),
                "--summary-json",
                summary.toString()));
        if (!showProgress) {
            command.add("--no-progress");
        }
        execute(command, workDir.resolve("generator.log"), showProgress);
        EventCodec codec = new EventCodec();
        List<CloudEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                events.add(codec.decode(line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return new GeneratorRun(new ObjectMapper().readTree(summary.toFile()).path("expected"), events);
    }

    private static List<String> command(RepoLayout layout, DemoSettings settings) throws IOException {
        return new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                layout.generatorClasspath(),
                "io.retailstack.generator.cli.GeneratorCli",
                "--orders",
                Integer.toString(settings.orders()),
                "--seed",
                Long.toString(settings.seed()),
                "--fraud-share",
                Double.toString(settings.fraudShare()),
                "--malformed-share",
                Double.toString(settings.malformedShare())));
    }

    private static void execute(List<String> command, Path log, boolean showProgress)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (showProgress) {
            builder.inheritIO();
        } else {
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
        }
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the generator did not finish within 10 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    "the generator failed with exit code " + process.exitValue() + " (see " + log + ")");
        }
    }
}
