package io.retailstack.generator.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.generator.model.ReferenceData;
import io.retailstack.generator.send.HttpTransport;
import io.retailstack.generator.send.KafkaTransport;
import io.retailstack.generator.send.Progress;
import io.retailstack.generator.send.SendStats;
import io.retailstack.generator.send.Sender;
import io.retailstack.generator.send.Transport;
import io.retailstack.generator.send.TransportException;
import io.retailstack.generator.workload.Workload;
import io.retailstack.generator.workload.WorkloadGenerator;
import io.retailstack.generator.workload.WorkloadOptions;
import io.retailstack.generator.workload.WorkloadRecord;
import io.retailstack.generator.workload.WorkloadSummary;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code generate} command: generate a reproducible retail workload and send it. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        version = "order-generator 0.1.0",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Generates a reproducible retail workload (orders with their lives, the inventory movements that go with"
                    + " them, orders from blocklisted IPs and malformed records) and sends it to Kafka or to the"
                    + " ingest HTTP API.",
            "Same seed and options give the same events, ids and times included (except times with --live).",
            ""
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done: every record sent was acknowledged (or --dry-run)",
            "1:the target could not be used, a file could not be written, or an unexpected error",
            "2:invalid options",
            "3:sent, but some records failed or are unacknowledged"
        })
public final class GeneratorCli implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_FAILED_RECORDS = 3;

    private static final Logger LOG = Logger.getLogger(GeneratorCli.class.getName());
    /** Held so the level set on it is not lost to garbage collection. */
    private static final Logger KAFKA_LOG = Logger.getLogger("org.apache.kafka");

    /** Where records go. */
    public enum Target {
        KAFKA,
        HTTP
    }

    @Spec
    CommandSpec spec;

    // ---------------------------------------------------------------- workload

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the workload. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--orders", defaultValue = "1000", description = "Number of orders. Default: ${DEFAULT-VALUE}.")
    int orders;

    @Option(
            names = "--skus",
            defaultValue = "0",
            description = "Distinct SKUs to sell, drawn from products.csv; 0 = all. Default: all.")
    int skus;

    @Option(
            names = "--customers",
            defaultValue = "0",
            description = "Size of the customer pool; 0 = max(20, orders/3). Default: automatic.")
    int customers;

    @Option(
            names = "--fraud-share",
            defaultValue = "0.02",
            description =
                    "Share of orders placed from a blocklisted IP (fraud_ips.csv), 0..1. Default: ${DEFAULT-VALUE}.")
    double fraudShare;

    @Option(
            names = "--malformed-share",
            defaultValue = "0.01",
            description = "Share of malformed records among all records, 0..0.9. Default: ${DEFAULT-VALUE}.")
    double malformedShare;

    @Option(
            names = "--cancel-share",
            defaultValue = "0.10",
            description =
                    "Share of remote (web, app, marketplace) orders that end cancelled, 0..1. Default: ${DEFAULT-VALUE}.")
    double cancelShare;

    @Option(
            names = "--start-time",
            defaultValue = "2025-01-06T08:00:00Z",
            converter = InstantConverter.class,
            description = "Time of the first order; all event times derive from it. Default: ${DEFAULT-VALUE}.")
    Instant startTime;

    @Option(
            names = "--span",
            defaultValue = "1d",
            converter = DurationConverter.class,
            description =
                    "Orders are placed over this period after --start-time (30s, 5m, 2h, 1d, PT5M). Default: ${DEFAULT-VALUE}.")
    Duration span;

    @Option(
            names = "--reference-dir",
            paramLabel = "DIR",
            description = "Read locations.csv, products.csv and fraud_ips.csv from DIR instead of the bundled ones.")
    Path referenceDir;

    // ---------------------------------------------------------------- sending

    @Option(
            names = "--target",
            defaultValue = "kafka",
            description = "Where to send: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Target target;

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers. Default: $KAFKA_BOOTSTRAP_SERVERS or localhost:9092.")
    String bootstrapServers;

    @Option(
            names = "--topic",
            defaultValue = "retail.events.raw",
            description = "Kafka topic. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(
            names = {"-P", "--producer-property"},
            paramLabel = "KEY=VALUE",
            description = "Extra Kafka producer property, repeatable (e.g. security.protocol=SASL_SSL).")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(
            names = "--url",
            defaultValue = "${env:RETAIL_INGEST_URL:-http://localhost:8081}",
            description =
                    "Ingest base URL; events go to {url}/v1/events. Default: $RETAIL_INGEST_URL or http://localhost:8081 (ingest-service's port).")
    URI url;

    @Option(
            names = "--token",
            defaultValue = "${env:RETAIL_INGEST_TOKEN}",
            description =
                    "Bearer token for the ingest API. Default: $RETAIL_INGEST_TOKEN (preferred: keeps it out of ps).")
    String token;

    @Option(
            names = "--batch-size",
            defaultValue = "100",
            description = "Events per HTTP batch, 1..1000 (ingest accepts 500 by default). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description = "Records per second; 0 = as fast as the target takes them. Default: unbounded.")
    double rate;

    @Option(
            names = "--duration",
            converter = DurationConverter.class,
            description = "Stop sending after this long (30s, 5m, 1h, PT1H); the summary covers what was sent.")
    Duration duration;

    @Option(
            names = "--live",
            description = "Stamp each event with the wall clock when it is sent instead of the generated time.")
    boolean live;

    @Option(names = "--dry-run", description = "Generate and summarise only; send nothing.")
    boolean dryRun;

    // ---------------------------------------------------------------- output

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Write the valid events sent (all generated with --dry-run) as NDJSON, for reconciliation.")
    Path out;

    @Option(
            names = "--summary-json",
            paramLabel = "FILE",
            description = "Write the machine-readable summary with the expected totals.")
    Path summaryJson;

    @Option(
            names = "--blocklist-out",
            paramLabel = "FILE",
            description =
                    "Also write the fraud IP list in ingest-service's blocklist format (ingest.fraud.blocklist-path).")
    Path blocklistOut;

    @Option(names = "--no-progress", description = "No progress line on stderr.")
    boolean noProgress;

    @Option(
            names = {"-v", "--verbose"},
            description = "Verbose logging (and Kafka client logs).")
    boolean verbose;

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for {@code main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new GeneratorCli());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage());
            err.println("Run 'generate --help' for the options.");
            err.flush();
            return EXIT_USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            err.flush();
            LOG.log(Level.FINE, "failed", ex);
            return EXIT_ERROR;
        });
        return cmd;
    }

    @Override
    public Integer call() throws Exception {
        configureLogging();
        WorkloadOptions options = validate();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();

        ReferenceData reference;
        try {
            reference = referenceDir == null ? ReferenceData.bundled() : ReferenceData.fromDirectory(referenceDir);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("error: reference data: " + e.getMessage());
            return EXIT_ERROR;
        }
        if (options.skus() > reference.products().size()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--skus is " + options.skus() + " but the reference data has only "
                            + reference.products().size() + " products");
        }

        if (blocklistOut != null) {
            try {
                createParent(blocklistOut);
                Files.writeString(blocklistOut, reference.blocklistText());
            } catch (IOException e) {
                err.println("error: cannot write " + blocklistOut + ": " + e.getMessage());
                return EXIT_ERROR;
            }
        }

        long generationStart = System.nanoTime();
        Workload workload = WorkloadGenerator.generate(reference, options);
        LOG.info(String.format(
                Locale.ROOT,
                "generated run %s: %d orders, %d valid events, %d malformed records in %d ms",
                workload.runTag(),
                workload.orders().size(),
                workload.validEvents().size(),
                workload.malformed().size(),
                (System.nanoTime() - generationStart) / 1_000_000));

        if (!live) {
            warnAboutFutureEvents(workload, err);
        }

        SendStats stats = new SendStats();
        List<CloudEvent> sentEvents;
        List<WorkloadRecord.Malformed> sentMalformed;
        Duration elapsed = Duration.ZERO;
        boolean stoppedEarly = false;
        String targetDescription = "none (dry run)";
        if (dryRun) {
            sentEvents = workload.validEvents();
            sentMalformed = workload.malformed();
        } else {
            try (Transport transport = transport(stats)) {
                targetDescription = transport.describe();
                transport.checkReachable();
                boolean terminal = System.console() != null;
                Progress progress = noProgress
                        ? Progress.disabled(stats)
                        : new Progress(err, terminal, true, workload.records().size(), stats);
                Sender.Result result = new Sender(transport, stats, progress)
                        .send(workload.records(), new Sender.Options(rate, duration, live));
                sentEvents = result.events();
                sentMalformed = result.malformed();
                elapsed = result.elapsed();
                stoppedEarly = result.stoppedEarly();
            } catch (TransportException e) {
                err.println("error: " + e.getMessage());
                return EXIT_ERROR;
            }
        }

        WorkloadSummary expected = WorkloadSummary.of(sentEvents, sentMalformed, reference);
        try {
            if (out != null) {
                writeNdjson(out, sentEvents);
            }
            if (summaryJson != null) {
                writeSummary(
                        summaryJson, workload, reference, expected, stats, elapsed, stoppedEarly, targetDescription);
            }
        } catch (IOException | UncheckedIOException e) {
            err.println("error: cannot write output: " + e.getMessage());
            return EXIT_ERROR;
        }
        printTable(stdout, workload, reference, stats, elapsed, stoppedEarly, targetDescription);
        if (!dryRun && (stats.failed() > 0 || stats.pending() > 0)) {
            err.println("warning: " + stats.failed() + " records failed, " + stats.pending() + " unacknowledged");
            return EXIT_FAILED_RECORDS;
        }
        return EXIT_OK;
    }

    /** Ingest rejects events more than 5 minutes ahead of its clock; say so before sending them. */
    private void warnAboutFutureEvents(Workload workload, PrintWriter err) {
        Instant limit = Instant.now().plus(Duration.ofMinutes(5));
        long future = workload.validEvents().stream()
                .filter(e -> e.time().isAfter(limit))
                .count();
        if (future > 0) {
            err.println("warning: " + future + " of " + workload.validEvents().size()
                    + " events are timed more than 5 minutes in the future and will fail validation;"
                    + " use an earlier --start-time, a shorter --span, or --live");
            err.flush();
        }
    }

    private WorkloadOptions validate() {
        if (batchSize < 1 || batchSize > 1000) {
            throw new ParameterException(
                    spec.commandLine(), "--batch-size must be between 1 and 1000, got " + batchSize);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new ParameterException(spec.commandLine(), "--rate must be 0 (unbounded) or positive, got " + rate);
        }
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw new ParameterException(spec.commandLine(), "--duration must be positive");
        }
        if (target == Target.HTTP
                && (url.getScheme() == null || !url.getScheme().matches("https?"))) {
            throw new ParameterException(spec.commandLine(), "--url must be an http:// or https:// URL, got " + url);
        }
        if (target == Target.KAFKA && (bootstrapServers == null || bootstrapServers.isBlank())) {
            throw new ParameterException(spec.commandLine(), "--bootstrap-servers is empty");
        }
        try {
            return new WorkloadOptions(
                    seed, orders, skus, customers, fraudShare, malformedShare, cancelShare, startTime, span);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Transport transport(SendStats stats) {
        return switch (target) {
            case KAFKA -> new KafkaTransport(bootstrapServers, topic, producerProperties, stats);
            case HTTP -> new HttpTransport(url, token, batchSize, Duration.ofSeconds(30), stats);
        };
    }

    private void configureLogging() {
        Level level = verbose ? Level.FINE : Level.INFO;
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(level);
        }
        // The client logs every reconnect attempt; the generator reports failures itself.
        KAFKA_LOG.setLevel(verbose ? Level.INFO : Level.SEVERE);
    }

    private static void writeNdjson(Path file, List<CloudEvent> events) throws IOException {
        EventCodec codec = new EventCodec();
        createParent(file);
        try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file))) {
            for (CloudEvent event : events) {
                stream.write(codec.encode(event));
                stream.write('\n');
            }
        }
    }

    private void writeSummary(
            Path file,
            Workload workload,
            ReferenceData reference,
            WorkloadSummary expected,
            SendStats stats,
            Duration elapsed,
            boolean stoppedEarly,
            String targetDescription)
            throws IOException {
        JsonNodeFactory f = JsonNodeFactory.withExactBigDecimals(true);
        ObjectNode root = f.objectNode();
        ObjectNode generator = root.putObject("generator");
        WorkloadOptions o = workload.options();
        generator.put("runTag", workload.runTag());
        generator.put("seed", o.seed());
        generator.put("orders", o.orders());
        generator.put("skus", o.skus() == 0 ? reference.products().size() : o.skus());
        generator.put("customers", o.customers());
        generator.put("fraudShare", o.fraudShare());
        generator.put("malformedShare", o.malformedShare());
        generator.put("cancelShare", o.cancelShare());
        generator.put("startTime", o.startTime().toString());
        generator.put("span", o.span().toString());
        generator.put("live", live);
        ObjectNode generated = root.putObject("generated");
        generated.put("validEvents", workload.validEvents().size());
        generated.put("malformed", workload.malformed().size());
        generated.put("orders", workload.orders().size());
        generated.put(
                "flaggedOrders",
                workload.orders().stream().filter(p -> p.blocklisted()).count());
        root.set("expected", expected.toJson());
        ObjectNode run = root.putObject("run");
        run.put("target", targetDescription);
        run.put("dryRun", dryRun);
        run.put("sent", stats.sent());
        run.put("acknowledged", stats.acknowledged());
        run.put("rejectedAsExpected", stats.rejected());
        run.put("failed", stats.failed());
        run.put("stoppedEarly", stoppedEarly);
        run.put("complete", !dryRun && !stoppedEarly && stats.failed() == 0 && stats.pending() == 0);
        run.put("elapsedSeconds", elapsed.toMillis() / 1000.0);
        run.put("recordsPerSecond", perSecond(stats.sent(), elapsed));
        ArrayNode notes = run.putArray("notes");
        notes.add("expected covers the records handed to the target (all generated ones with --dry-run)");
        createParent(file);
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValue(file.toFile(), root);
    }

    private void printTable(
            PrintWriter stdout,
            Workload workload,
            ReferenceData reference,
            SendStats stats,
            Duration elapsed,
            boolean stoppedEarly,
            String targetDescription) {
        long flagged = workload.orders().stream().filter(p -> p.blocklisted()).count();
        String row = "  %-18s %s%n";
        stdout.printf("order-generator run %s (seed %d)%n", workload.runTag(), seed);
        stdout.printf(row, "target", targetDescription);
        stdout.printf(row, "orders", fmt(workload.orders().size()));
        stdout.printf(row, "generated valid", fmt(workload.validEvents().size()));
        stdout.printf(row, "malformed", fmt(workload.malformed().size()));
        stdout.printf(row, "flagged orders", fmt(flagged));
        if (!dryRun) {
            stdout.printf(row, "sent", fmt(stats.sent()) + (stoppedEarly ? "  (stopped by --duration)" : ""));
            stdout.printf(
                    row,
                    "acknowledged",
                    fmt(stats.acknowledged())
                            + (stats.rejected() > 0
                                    ? "  (" + fmt(stats.rejected()) + " malformed rejected as expected)"
                                    : ""));
            stdout.printf(row, "failed", fmt(stats.failed()));
            stdout.printf(row, "elapsed", String.format(Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0));
            stdout.printf(row, "rate", String.format(Locale.ROOT, "%,.0f records/s", perSecond(stats.sent(), elapsed)));
        }
        if (out != null) {
            stdout.printf(row, "events file", out);
        }
        if (summaryJson != null) {
            stdout.printf(row, "summary file", summaryJson);
        }
        stdout.flush();
    }

    private static double perSecond(long count, Duration elapsed) {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : Math.round(count / seconds * 10) / 10.0;
    }

    private static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
