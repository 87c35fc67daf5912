package io.retailstack.enricher.service;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.retailstack.enricher.cli.ServeMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Serve mode: one incremental run per tick of {@code enricher.schedule.cron}; a tick during a run is skipped. */
@ApplicationScoped
public class ScheduledEnrichment {
    private static final Logger LOG = Logger.getLogger(ScheduledEnrichment.class);

    @Inject
    EnrichmentJob job;

    @Scheduled(
            identity = "enrichment",
            cron = "${enricher.schedule.cron:0 */15 * * * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = NotServing.class)
    void tick() {
        try {
            job.run(RunMode.SCHEDULED, job.defaultShard(), null);
        } catch (EnrichmentException e) {
            LOG.errorf("scheduled run failed (the next tick retries): %s", e.getMessage());
        }
    }

    /** Skips the schedule unless the process runs {@code serve} (not in {@code run}, nor in tests). */
    @Singleton
    public static class NotServing implements Scheduled.SkipPredicate {
        @Override
        public boolean test(ScheduledExecution execution) {
            return !ServeMode.isActive();
        }
    }
}
