package io.retailstack.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retailstack.demo.pipeline.DemoResult;
import io.retailstack.demo.pipeline.DemoSettings;
import io.retailstack.demo.pipeline.PipelineRunner;
import io.retailstack.demo.pipeline.RepoLayout;
import io.retailstack.demo.probe.CassandraProbe;
import io.retailstack.demo.report.HtmlReport;
import io.retailstack.events.AggregateKey;
import io.retailstack.events.CloudEvent;
import io.retailstack.localstack.LocalStack;
import io.retailstack.localstack.StackEndpoints;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The main job end to end, small: real engines, the four packaged services, the generator, the enrichment. Every
 * store is then reconciled against what the generator says it sent. The run has its own topics, keyspace and
 * database, so nothing else on the shared stack can make it pass or fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineEndToEndIT {
    private static final Logger LOG = Logger.getLogger(PipelineEndToEndIT.class.getName());
    private static final int ORDERS = 60;

    private final String runId = "e2e_" + UUID.randomUUID().toString().substring(0, 8);
    private PipelineRunner runner;
    private DemoResult result;
    private DemoSettings settings;
    private List<CloudEvent> sent;
    private StackEndpoints endpoints;

    @BeforeAll
    void runThePipeline() throws Exception {
        Path reportDir = Path.of("target", runId);
        settings = new DemoSettings(ORDERS, 7, 0.15, 0.05, reportDir, freeBasePort(), runId, false);
        runner = new PipelineRunner(RepoLayout.locate(), settings, runId + ".", runId, LOG::info, false);
        result = runner.run();
        endpoints = LocalStack.fromEnvironment().ensureUp();
        sent = readSent(reportDir.resolve("generated-events.ndjson"));
        LOG.info("e2e run " + runId + ": " + result.timings());
    }

    @AfterAll
    void stopServices() {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void everyValidGeneratedEventIsStoredExactlyOnceWithGaplessSeq() {
        assertThat(result.sentValid())
                .isEqualTo(result.generatorSummary().path("validEvents").asLong());
        Map<AggregateKey, List<String>> expected = new LinkedHashMap<>();
        for (CloudEvent e : sent) {
            expected.computeIfAbsent(e.aggregateKey(), k -> new ArrayList<>()).add(e.id());
        }
        try (CassandraProbe cassandra = new CassandraProbe(endpoints, runId)) {
            long stored = 0;
            for (Map.Entry<AggregateKey, List<String>> aggregate : expected.entrySet()) {
                List<CassandraProbe.StoredEvent> events = cassandra.events(aggregate.getKey());
                List<String> ids =
                        events.stream().map(CassandraProbe.StoredEvent::eventId).toList();
                assertThat(ids)
                        .as("events of %s", aggregate.getKey())
                        .containsExactlyInAnyOrderElementsOf(aggregate.getValue());
                for (int i = 0; i < events.size(); i++) {
                    assertThat(events.get(i).seq())
                            .as("seq of %s", aggregate.getKey())
                            .isEqualTo(i + 1);
                }
                stored += ids.size();
            }
            assertThat(stored).isEqualTo(sent.size());
        }
        assertThat(result.storedDuplicates()).isZero();
    }

    @Test
    void orderCountAndRevenueInPostgresEqualTheGenerators() {
        JsonNode summary = result.generatorSummary();
        BigDecimal expectedRevenue = BigDecimal.ZERO;
        for (JsonNode amount : summary.path("revenueByCurrency")) {
            expectedRevenue = expectedRevenue.add(amount.decimalValue());
        }
        assertThat(result.enrichExitCode()).isZero();
        assertThat(result.bi().orders())
                .isEqualTo(summary.path("orders").asLong())
                .isEqualTo(ORDERS);
        assertThat(result.bi().revenue()).isEqualByComparingTo(expectedRevenue);
    }

    @Test
    void flaggedOrdersAreCountedNotDropped() {
        long flagged = result.generatorSummary().path("flaggedOrders").asLong();
        assertThat(flagged)
                .as("the workload must contain flagged orders to prove anything")
                .isPositive();
        assertThat(result.bi().flaggedOrders()).isEqualTo(flagged);
    }

    @Test
    void deadLetterTopicHoldsExactlyTheInjectedMalformedRecords() {
        long malformed = result.generatorSummary().path("malformed").asLong();
        assertThat(malformed).as("the workload must contain malformed records").isPositive();
        assertThat(result.deadLettered()).isEqualTo(malformed);
        assertThat(result.ingested()).isEqualTo(result.sentValid());
    }

    @Test
    void cacheApiAnswersEqualCassandraState() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        Set<String> orderIds = new HashSet<>();
        result.generatorSummary().path("orderIds").forEach(n -> orderIds.add(n.asText()));
        String base = "http://127.0.0.1:" + settings.cachePort();
        try (CassandraProbe cassandra = new CassandraProbe(endpoints, runId)) {
            for (String orderId : orderIds) {
                CassandraProbe.StoredState state = cassandra.orderState(orderId).orElseThrow();
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/v1/orders/" + orderId))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("GET order %s", orderId).isEqualTo(200);
                JsonNode body = json.readTree(response.body());
                JsonNode stored = json.readTree(state.json());
                assertThat(body.path("version").asLong()).isEqualTo(state.version());
                assertThat(body.path("status").asText())
                        .isEqualTo(stored.path("status").asText());
                assertThat(body.path("total").decimalValue())
                        .isEqualByComparingTo(stored.path("total").decimalValue());
            }
        }
        assertThat(result.cacheCalls())
                .anySatisfy(call -> assertThat(call.status()).isEqualTo(404));
    }

    @Test
    void reportIsWrittenWithBothCharts() throws IOException {
        Path report = HtmlReport.write(result, settings.reportDir().resolve("report.html"));
        String html = Files.readString(report);
        assertThat(html)
                .contains("Orders per destination location per hour")
                .contains("<rect")
                .contains("<polyline");
    }

    private static List<CloudEvent> readSent(Path ndjson) throws IOException {
        io.retailstack.events.codec.EventCodec codec = new io.retailstack.events.codec.EventCodec();
        List<CloudEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(ndjson)) {
            if (!line.isBlank()) {
                events.add(codec.decode(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        return events;
    }

    /** Four consecutive free ports, so the services of this run never collide with anything already listening. */
    private static int freeBasePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket s = new ServerSocket(0)) {
                base = s.getLocalPort();
            }
            if (base + 3 < 65535 && free(base) && free(base + 1) && free(base + 2) && free(base + 3)) {
                return base;
            }
        }
        throw new IllegalStateException("no four consecutive free ports");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
