package io.retailstack.demo.cli;

import io.retailstack.demo.pipeline.DemoResult;
import io.retailstack.demo.pipeline.DemoSettings;
import io.retailstack.demo.pipeline.PipelineRunner;
import io.retailstack.demo.pipeline.RepoLayout;
import io.retailstack.demo.report.HtmlReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bin/demo}: runs the whole pipeline locally and shows the result. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the retail stack's main job on this machine: starts Kafka, Cassandra, PostgreSQL and Redis,",
            "the four services, sends a generated workload, enriches it into the star schema, prints a summary",
            "and writes an HTML report. Leaves the stack up (URLs printed) unless --stop; Ctrl-C stops everything."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the pipeline ran and reconciled", "1:a step failed", "2:bad options"})
public final class DemoCli implements Callable<Integer> {

    /** The clients' INFO lines (consumer registered, session opened) would bury the summary; held so JUL keeps them. */
    private static final Logger[] QUIET = {
        Logger.getLogger("org.apache.kafka"), Logger.getLogger("com.datastax.oss.driver")
    };

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--orders", defaultValue = "1000", description = "Orders to generate. Default: ${DEFAULT-VALUE}.")
    int orders;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--fraud-share",
            defaultValue = "0.02",
            description = "Share of orders from blocklisted IPs. Default: ${DEFAULT-VALUE}.")
    double fraudShare;

    @Option(
            names = "--malformed-share",
            defaultValue = "0.01",
            description = "Share of malformed records. Default: ${DEFAULT-VALUE}.")
    double malformedShare;

    @Option(
            names = "--report-dir",
            defaultValue = "reports/demo",
            description = "Where the report, logs and generated files go; relative to the current directory."
                    + " Default: ${DEFAULT-VALUE} in the repository.")
    Path reportDir;

    @Option(
            names = "--base-port",
            defaultValue = "8081",
            description = "HTTP ports: ingest, writer, enricher, cache from here on. Default: ${DEFAULT-VALUE}.")
    int basePort;

    @Option(names = "--stop", description = "Stop the services and the engines at the end.")
    boolean stop;

    /**
     * bin/demo runs from the repository root, where the default lives; a relative directory the user gave is meant
     * from where they were ({@code callerDir}, passed by bin/demo).
     */
    static Path reportDir(Path given, boolean explicit, String callerDir) {
        return explicit && callerDir != null && !given.isAbsolute()
                ? Path.of(callerDir).resolve(given)
                : given;
    }

    public static void main(String[] args) {
        for (Logger noisy : QUIET) {
            noisy.setLevel(Level.WARNING);
        }
        System.exit(new CommandLine(new DemoCli()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // checked here, before minutes of engine start-up, with the generator's own limits
        if (orders < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--orders must be at least 1");
        }
        if (!(fraudShare >= 0 && fraudShare <= 1)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--fraud-share must be between 0 and 1, got " + fraudShare);
        }
        if (!(malformedShare >= 0 && malformedShare <= 0.9)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--malformed-share must be between 0 and 0.9, got " + malformedShare);
        }
        if (basePort < 1024 || basePort > 65532) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--base-port must be between 1024 and 65532 (four services from there on), got " + basePort);
        }
        reportDir = reportDir(
                reportDir,
                spec.commandLine().getParseResult().hasMatchedOption("--report-dir"),
                System.getProperty("retail.caller.dir"));
        DemoSettings settings =
                new DemoSettings(orders, seed, fraudShare, malformedShare, reportDir, basePort, "retail", stop);
        PipelineRunner runner = new PipelineRunner(
                RepoLayout.locate(),
                settings,
                "",
                "retail_bi",
                line -> {
                    out.println("[demo] " + line);
                    out.flush();
                },
                !stop);
        AtomicBoolean finished = new AtomicBoolean();
        Thread onCtrlC = new Thread(() -> {
            if (!finished.get()) {
                out.println("[demo] interrupted: stopping the services and the engines");
                out.flush();
                runner.shutdown(true);
            }
        });
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        long t0 = System.nanoTime();
        DemoResult result;
        try {
            result = runner.run();
        } catch (Exception e) {
            finished.set(true);
            runner.shutdownAfterFailure();
            spec.commandLine().getErr().println("[demo] failed: " + e.getMessage());
            if (!stop) {
                spec.commandLine()
                        .getErr()
                        .println("[demo] the engines stop by themselves within a minute; to stop them now: "
                                + "local-stack/bin/stack down");
            }
            return 1;
        }
        Path report = HtmlReport.write(result, reportDir.resolve("report.html"));
        print(out, result, report, (System.nanoTime() - t0) / 1_000_000_000.0);
        finished.set(true);
        if (stop) {
            runner.shutdown(true);
            out.println("[demo] stopped the services and the engines");
        } else {
            out.println("[demo] everything keeps running; Ctrl-C stops the services and the engines");
            out.flush();
            Runtime.getRuntime().removeShutdownHook(onCtrlC);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> runner.shutdown(true)));
            Thread.currentThread().join(); // keep the services (our children) alive until Ctrl-C
        }
        return result.enrichExitCode() == 0 && result.stored() == result.sentValid() ? 0 : 1;
    }

    private static void print(PrintWriter out, DemoResult r, Path report, double seconds) {
        out.println();
        out.println("== Summary");
        out.printf("  %-44s %10d%n", "valid events generated and sent", r.sentValid());
        out.printf("  %-44s %10d%n", "records published by ingest (retail.events)", r.ingested());
        out.printf("  %-44s %10d%n", "valid events stored in Cassandra", r.stored());
        out.printf("  %-44s %10d%n", "duplicates in the event store", r.storedDuplicates());
        out.printf("  %-44s %10d%n", "records dead-lettered", r.deadLettered());
        out.printf(
                "  %-44s %10d%n",
                "malformed records injected",
                r.generatorSummary().path("malformed").asLong());
        out.printf("  %-44s %10d%n", "flagged orders (BI)", r.bi().flaggedOrders());
        out.printf("  %-44s %10d%n", "orders in BI", r.bi().orders());
        out.printf("  %-44s %10s%n", "revenue in BI", r.bi().revenue());
        out.println("== Step times");
        r.timings().forEach((k, v) -> out.printf("  %-44s %8.1f s%n", k, v.toMillis() / 1000.0));
        out.printf("  %-44s %8.1f s%n", "total", seconds);
        out.println("== Cache API");
        for (DemoResult.CacheCall c : r.cacheCalls()) {
            out.printf("  GET %-50s %3d %-5s %7.2f ms%n", c.path(), c.status(), c.cache(), c.micros() / 1000.0);
        }
        out.println("== Top destination locations by revenue");
        for (List<Object> row : r.bi().topDestinations()) {
            out.printf("  %-40s %6s orders %14s%n", row.get(0), row.get(1), row.get(2));
        }
        out.println("== Where things are");
        for (Map.Entry<String, String> e : r.urls().entrySet()) {
            out.printf("  %-22s %s%n", e.getKey(), e.getValue());
        }
        out.println("  report                 " + report.toAbsolutePath());
        out.flush();
    }
}
