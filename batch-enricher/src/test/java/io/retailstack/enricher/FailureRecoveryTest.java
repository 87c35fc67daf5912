package io.retailstack.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.enricher.service.EnrichmentException;
import io.retailstack.enricher.service.RunReport;
import io.retailstack.enricher.service.ShardSpec;
import io.retailstack.enricher.support.EnricherTestBase;
import io.retailstack.enricher.support.Scenario;
import io.retailstack.localstack.Engine;
import io.retailstack.localstack.LocalStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FailureRecoveryTest extends EnricherTestBase {

    @Test
    void shouldFailKeepTheWatermarkAndConvergeWhenPostgresDiesMidRun() {
        Instant now = Instant.now();
        List<Scenario.Timed> events =
                Scenario.randomDay(21, 300, now.minus(Duration.ofHours(40)), Duration.ofHours(30));
        Instant cut = now.minus(Duration.ofHours(25));
        store.storeTimed(Scenario.recordedBefore(events, cut));
        job.setClock(java.time.Clock.fixed(cut, java.time.ZoneOffset.UTC));
        job.run(ShardSpec.all());
        job.setClock(null);
        Object watermarkBefore = pg.one(
                "SELECT string_agg(store_shard || '=' || recorded_through, ',' ORDER BY store_shard) FROM ops.watermark");
        store.storeTimed(
                events.stream().filter(t -> !t.recordedAt().isBefore(cut)).toList());

        LocalStack stack = LocalStack.fromEnvironment();
        job.setChunkListener(chunk -> stack.stopEngine(Engine.POSTGRES));
        try {
            assertThatThrownBy(() -> job.run(ShardSpec.all())).isInstanceOf(EnrichmentException.class);
        } finally {
            job.setChunkListener(null);
            stack.startEngine(Engine.POSTGRES);
        }

        assertThat(
                        pg.one(
                                "SELECT string_agg(store_shard || '=' || recorded_through, ',' ORDER BY store_shard) FROM ops.watermark"))
                .isEqualTo(watermarkBefore);
        RunReport retry = job.run(ShardSpec.all());
        assertThat(retry.status()).isEqualTo("SUCCEEDED");
        assertThat(retry.mergedFromFacts())
                .as("orders continued from their stored facts")
                .isPositive();
        assertThat(pg.count("ops.run WHERE status = 'ABANDONED'")).isEqualTo(1);
        Map<String, String> recovered = pg.checksums();

        pg.resetFacts();
        job.run(ShardSpec.all());
        assertThat(recovered).isEqualTo(pg.checksums());
        assertThat(pg.count("bi.fact_order")).isEqualTo(300);
    }

    @Test
    void shouldGiveTheSameResultWithFourShardsInParallelAsWithOneRun() throws Exception {
        store.storeTimed(Scenario.randomDay(33, 400, Instant.now().minus(Duration.ofHours(30)), Duration.ofHours(8)));
        job.run(ShardSpec.all());
        Map<String, String> single = pg.checksums();

        pg.resetFacts();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<RunReport>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ShardSpec shard = new ShardSpec(i, 4);
                runs.add(pool.submit(() -> job.run(shard)));
            }
            long events = 0;
            for (Future<RunReport> run : runs) {
                RunReport r = run.get();
                assertThat(r.status()).isEqualTo("SUCCEEDED");
                events += r.eventsRead();
            }
            assertThat(events).isEqualTo(pg.count("bi.fact_inventory_movement") + eventsOfOrders());
        } finally {
            pool.shutdownNow();
        }
        assertThat(pg.checksums()).isEqualTo(single);
        assertThat(pg.count("ops.watermark")).isEqualTo(16);
    }

    @Test
    void shouldSkipARunWhileAnotherHoldsAnOverlappingShard() {
        store.storeTimed(Scenario.randomDay(5, 10, Instant.now().minus(Duration.ofHours(30)), Duration.ofHours(1)));
        AtomicReference<RunReport> concurrent = new AtomicReference<>();
        job.setChunkListener(chunk -> {
            if (concurrent.get() == null) {
                concurrent.set(RunReport.class.cast(Executors.newSingleThreadExecutor()
                        .submit(() -> job.run(new ShardSpec(1, 2)))
                        .get()));
            }
        });
        RunReport holder = job.run(ShardSpec.all());
        assertThat(holder.status()).isEqualTo("SUCCEEDED");
        assertThat(concurrent.get().status()).isEqualTo("SKIPPED_LOCKED");
        job.setChunkListener(null);
        assertThat(job.run(new ShardSpec(1, 2)).status()).isEqualTo("SUCCEEDED");
    }

    private long eventsOfOrders() {
        return ((Number) pg.one("SELECT sum(last_seq) FROM bi.fact_order")).longValue();
    }
}
