package io.retailstack.generator.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retailstack.events.CloudEvent;
import io.retailstack.generator.model.ReferenceData;
import io.retailstack.generator.workload.Workload;
import io.retailstack.generator.workload.WorkloadGenerator;
import io.retailstack.generator.workload.WorkloadOptions;
import io.retailstack.generator.workload.WorkloadRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderTest {

    private static final ReferenceData REFERENCE = ReferenceData.bundled();

    /** Acknowledges everything at once and remembers the order. */
    static final class RecordingTransport implements Transport {
        final List<Outgoing> sent = new ArrayList<>();
        final SendStats stats;

        RecordingTransport(SendStats stats) {
            this.stats = stats;
        }

        @Override
        public void checkReachable() {}

        @Override
        public void send(Outgoing record) {
            sent.add(record);
            stats.acknowledged(1);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        @Override
        public String describe() {
            return "memory";
        }
    }

    @Test
    void sendsEveryRecordInOrderWithItsAggregateKey() throws Exception {
        Workload workload = WorkloadGenerator.generate(
                REFERENCE, WorkloadOptions.defaults(1).withOrders(40).withMalformedShare(0.1));
        SendStats stats = new SendStats();
        RecordingTransport transport = new RecordingTransport(stats);

        Sender.Result result = new Sender(transport, stats, Progress.disabled(stats))
                .send(workload.records(), new Sender.Options(0, null, false));

        assertThat(transport.sent).hasSize(workload.records().size());
        for (int i = 0; i < workload.records().size(); i++) {
            WorkloadRecord record = workload.records().get(i);
            assertThat(transport.sent.get(i).key()).isEqualTo(record.key());
            assertThat(transport.sent.get(i).valid()).isEqualTo(record instanceof WorkloadRecord.Valid);
        }
        assertThat(result.events()).isEqualTo(workload.validEvents());
        assertThat(result.malformed()).isEqualTo(workload.malformed());
        assertThat(result.stoppedEarly()).isFalse();
        assertThat(stats.sent()).isEqualTo(workload.records().size());
        assertThat(stats.pending()).isZero();
    }

    @Test
    void rateAndDurationLimitTheSend() throws Exception {
        Workload workload = WorkloadGenerator.generate(
                REFERENCE, WorkloadOptions.defaults(1).withOrders(200));
        SendStats stats = new SendStats();
        RecordingTransport transport = new RecordingTransport(stats);

        Sender.Result result = new Sender(transport, stats, Progress.disabled(stats))
                .send(workload.records(), new Sender.Options(100, Duration.ofMillis(500), false));

        assertThat(result.stoppedEarly()).isTrue();
        assertThat(transport.sent.size()).isBetween(30, 70);
        assertThat(result.events().size() + result.malformed().size()).isEqualTo(transport.sent.size());
    }

    @Test
    void liveModeStampsTheWallClockAndKeepsEverythingElse() throws Exception {
        Workload workload = WorkloadGenerator.generate(
                REFERENCE, WorkloadOptions.defaults(1).withOrders(10).withMalformedShare(0));
        SendStats stats = new SendStats();
        Instant before = Instant.now().minusSeconds(1);

        Sender.Result result = new Sender(new RecordingTransport(stats), stats, Progress.disabled(stats))
                .send(workload.records(), new Sender.Options(0, null, true));

        assertThat(result.events()).hasSameSizeAs(workload.validEvents());
        for (int i = 0; i < result.events().size(); i++) {
            CloudEvent live = result.events().get(i);
            CloudEvent generated = workload.validEvents().get(i);
            assertThat(live.time()).isAfter(before);
            assertThat(live.id()).isEqualTo(generated.id());
            assertThat(live.data()).isEqualTo(generated.data());
        }
    }

    @Test
    void httpTransportBatchesValidEventsAndExpectsMalformedOnesRejected() throws Exception {
        Workload workload = WorkloadGenerator.generate(
                REFERENCE, WorkloadOptions.defaults(2).withOrders(60).withMalformedShare(0.1));
        try (StubIngest ingest = new StubIngest()) {
            SendStats stats = new SendStats();
            HttpTransport transport = new HttpTransport(ingest.url(), "s3cret", 50, Duration.ofSeconds(10), stats);
            transport.checkReachable();
            ingest.unavailableFirst.set(1); // the first batch is retried
            new Sender(transport, stats, Progress.disabled(stats))
                    .send(workload.records(), new Sender.Options(0, null, false));

            assertThat(ingest.accepted).isEqualTo(workload.validEvents());
            assertThat(ingest.rejected.get())
                    .isGreaterThanOrEqualTo(workload.malformed().size());
            assertThat(stats.failed()).isZero();
            assertThat(stats.rejected()).isEqualTo(workload.malformed().size());
            assertThat(stats.acknowledged()).isEqualTo(workload.records().size());
            assertThat(ingest.authorizations).allMatch("Bearer s3cret"::equals);
        }
    }

    @Test
    void refusedCredentialsStopTheRun() throws Exception {
        Workload workload = WorkloadGenerator.generate(
                REFERENCE, WorkloadOptions.defaults(2).withOrders(5));
        try (StubIngest ingest = new StubIngest()) {
            ingest.requireToken = "right";
            SendStats stats = new SendStats();
            HttpTransport transport = new HttpTransport(ingest.url(), "wrong", 50, Duration.ofSeconds(10), stats);
            transport.checkReachable();
            assertThatThrownBy(() -> new Sender(transport, stats, Progress.disabled(stats))
                            .send(workload.records(), new Sender.Options(0, null, false)))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("refused the credentials (HTTP 401)");
            assertThat(ingest.accepted).isEmpty();
        }
    }

    @Test
    void unreachableHttpTargetIsReportedClearly() {
        SendStats stats = new SendStats();
        HttpTransport transport =
                new HttpTransport(URI.create("http://127.0.0.1:1"), null, 10, Duration.ofSeconds(2), stats);
        assertThatThrownBy(transport::checkReachable)
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("cannot reach ingest");
    }

    @Test
    void progressLineHasNoEscapesWhenNotATerminal() {
        SendStats stats = new SendStats();
        stats.sent(50);
        stats.acknowledged(40);
        StringWriter out = new StringWriter();
        Progress progress = new Progress(new PrintWriter(out), false, true, 100, stats);
        progress.start(0);
        progress.update(Duration.ofSeconds(10).toNanos());
        progress.finish(Duration.ofSeconds(10).toNanos());

        assertThat(out.toString())
                .contains("sent 50/100 (50%)", "acked 40", "5 rec/s", "ETA 0:10")
                .doesNotContain("\r", "\u001b");
        assertThat(out.toString().lines()).hasSize(2);
    }
}
