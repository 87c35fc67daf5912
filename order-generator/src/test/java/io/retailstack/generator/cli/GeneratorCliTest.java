package io.retailstack.generator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.generator.model.ReferenceData;
import io.retailstack.generator.workload.Workload;
import io.retailstack.generator.workload.WorkloadGenerator;
import io.retailstack.generator.workload.WorkloadOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GeneratorCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = GeneratorCli.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void helpExitsZeroAndListsTheOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .contains("--seed", "--orders", "--fraud-share", "--malformed-share", "--target", "--dry-run")
                .contains("--summary-json", "--rate", "--duration", "Exit codes");
    }

    @Test
    void httpTargetDefaultsToIngestServicesLocalPort() {
        // ingest-service listens on 8081 (its application.properties); a default elsewhere posts into the void
        CommandLine cmd = GeneratorCli.commandLine();
        cmd.parseArgs("--target", "http");
        String env = System.getenv("RETAIL_INGEST_URL");
        assertThat(((GeneratorCli) cmd.getCommand()).url).hasToString(env != null ? env : "http://localhost:8081");
    }

    @Test
    void unknownOptionExitsWithUsageError() {
        assertThat(run("--no-such-option")).isEqualTo(GeneratorCli.EXIT_USAGE);
        assertThat(err.toString())
                .contains("error: Unknown option: '--no-such-option'")
                .contains("--help");
    }

    @Test
    void badValuesExitWithUsageErrorAndSayWhy() {
        assertThat(run("--fraud-share", "1.5", "--dry-run")).isEqualTo(GeneratorCli.EXIT_USAGE);
        assertThat(err.toString()).contains("fraud share must be between 0 and 1.0");

        assertThat(run("--orders", "many")).isEqualTo(GeneratorCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--orders");

        assertThat(run("--duration", "soon")).isEqualTo(GeneratorCli.EXIT_USAGE);
        assertThat(err.toString()).contains("'soon' is not a duration");

        assertThat(run("--target", "carrier-pigeon")).isEqualTo(GeneratorCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--target");

        assertThat(run("--skus", "100000", "--dry-run")).isEqualTo(GeneratorCli.EXIT_USAGE);
        assertThat(err.toString()).contains("only");
    }

    @Test
    void dryRunWritesTheEventsAndTheSummary(@TempDir Path dir) throws Exception {
        Path events = dir.resolve("events.ndjson");
        Path summary = dir.resolve("out/summary.json");
        Path blocklist = dir.resolve("blocklist.txt");

        int code = run(
                "--blocklist-out",
                blocklist.toString(),
                "--dry-run",
                "--seed",
                "3",
                "--orders",
                "120",
                "--fraud-share",
                "0.05",
                "--out",
                events.toString(),
                "--summary-json",
                summary.toString());

        assertThat(code).as(err.toString()).isZero();
        Workload expected = WorkloadGenerator.generate(
                ReferenceData.bundled(),
                WorkloadOptions.defaults(3).withOrders(120).withFraudShare(0.05));
        EventCodec codec = new EventCodec();
        List<CloudEvent> written = Files.readAllLines(events).stream()
                .map(line -> codec.decode(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .toList();
        assertThat(written).isEqualTo(expected.validEvents());

        JsonNode json = new ObjectMapper().readTree(summary.toFile());
        assertThat(json.at("/generator/runTag").asText()).isEqualTo(expected.runTag());
        assertThat(json.at("/expected/validEvents").asLong())
                .isEqualTo(expected.validEvents().size());
        assertThat(json.at("/expected/orders").asLong()).isEqualTo(120);
        assertThat(json.at("/expected/flaggedOrders").asLong()).isEqualTo(6);
        assertThat(json.at("/expected/malformed").asLong())
                .isEqualTo(expected.malformed().size());
        assertThat(json.at("/expected/orderIds").size()).isEqualTo(120);
        assertThat(json.at("/run/dryRun").asBoolean()).isTrue();
        assertThat(out.toString()).contains("generated valid", "malformed", "flagged orders", expected.runTag());
        assertThat(Files.readAllLines(blocklist))
                .contains("198.51.100.7  # chargeback ring")
                .anyMatch(line -> line.startsWith("203.0.113.0/24  # "));
    }

    @Test
    void sendsOverHttpAndReportsTheOutcome(@TempDir Path dir) throws Exception {
        try (var ingest = new io.retailstack.generator.send.StubIngestAccess().start()) {
            Path summary = dir.resolve("summary.json");
            int code = run(
                    "--target",
                    "http",
                    "--url",
                    ingest.url().toString(),
                    "--orders",
                    "30",
                    "--malformed-share",
                    "0.1",
                    "--no-progress",
                    "--summary-json",
                    summary.toString());

            assertThat(code).as(err.toString()).isZero();
            JsonNode json = new ObjectMapper().readTree(summary.toFile());
            assertThat(json.at("/run/failed").asLong()).isZero();
            assertThat(json.at("/run/complete").asBoolean()).isTrue();
            assertThat(json.at("/run/acknowledged").asLong())
                    .isEqualTo(json.at("/run/sent").asLong());
            assertThat(json.at("/run/rejectedAsExpected").asLong())
                    .isEqualTo(json.at("/expected/malformed").asLong());
            assertThat(out.toString()).contains("acknowledged", "failed");
        }
    }

    @Test
    void unreachableTargetExitsOneWithAMessage() {
        int code = run("--target", "http", "--url", "http://127.0.0.1:1", "--orders", "5", "--no-progress");
        assertThat(code).isEqualTo(GeneratorCli.EXIT_ERROR);
        assertThat(err.toString()).contains("error: cannot reach ingest at http://127.0.0.1:1/v1/events");
    }
}
