package io.retailstack.enricher.cli;

import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.Quarkus;
import io.retailstack.enricher.reference.ReferenceDataLoader;
import io.retailstack.enricher.reference.ReferenceKind;
import io.retailstack.enricher.service.EnrichmentJob;
import io.retailstack.enricher.service.RunMode;
import io.retailstack.enricher.service.RunReport;
import io.retailstack.enricher.service.ShardSpec;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code batch-enricher <command>}: exit code 0 on success, 1 on failure, 2 on bad usage. */
@Dependent
@Command(
        name = "batch-enricher",
        mixinStandardHelpOptions = true,
        description = "Enriches the Cassandra event store into the PostgreSQL star schema.",
        subcommands = {
            EnricherCommand.Run.class,
            EnricherCommand.Rebuild.class,
            EnricherCommand.Serve.class,
            EnricherCommand.LoadReference.class
        })
public class EnricherCommand implements Runnable {

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                new picocli.CommandLine(this), "a command is required: run, rebuild, serve or load-reference");
    }

    /** Shard options shared by run and rebuild; default from env JOB_COMPLETION_INDEX / SHARD_COUNT. */
    public static class ShardOptions {
        @Option(names = "--shard-index", description = "This process's shard (default: $JOB_COMPLETION_INDEX or 0)")
        Integer index;

        @Option(names = "--shard-count", description = "Number of shards (default: $SHARD_COUNT or 1), 1..16")
        Integer count;

        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        /**
         * The shard from the options, the environment's defaults only for what they leave out. An impossible shard
         * is a usage error (exit 2, which a Job should not retry), not a failed run.
         */
        ShardSpec resolve(EnrichmentJob job) {
            try {
                return job.shard(index, count);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }
    }

    @Dependent
    @Unremovable
    @Command(name = "run", description = "One incremental run of this shard, then exit (Kubernetes CronJob).")
    static class Run implements Callable<Integer> {
        @Inject
        EnrichmentJob job;

        @picocli.CommandLine.Mixin
        ShardOptions shard = new ShardOptions();

        @Override
        public Integer call() {
            RunReport report = job.run(RunMode.RUN, shard.resolve(job), null);
            System.out.println(report.summary());
            return 0;
        }
    }

    @Dependent
    @Unremovable
    @Command(
            name = "rebuild",
            description = "Re-read everything recorded since --from and re-fold the orders it touches.")
    static class Rebuild implements Callable<Integer> {
        @Inject
        EnrichmentJob job;

        @picocli.CommandLine.Mixin
        ShardOptions shard = new ShardOptions();

        @Option(names = "--from", required = true, description = "ISO-8601 instant, e.g. 2025-01-01T00:00:00Z")
        Instant from;

        @Override
        public Integer call() {
            RunReport report = job.run(RunMode.REBUILD, shard.resolve(job), from);
            System.out.println(report.summary());
            return 0;
        }
    }

    @Dependent
    @Unremovable
    @Command(name = "serve", description = "Stay up; run on the cron enricher.schedule.cron (serve mode).")
    static class Serve implements Callable<Integer> {
        @Override
        public Integer call() {
            ServeMode.activate();
            Quarkus.waitForExit();
            return 0;
        }
    }

    @Dependent
    @Unremovable
    @Command(name = "load-reference", description = "Load reference data from CSV or Parquet files (upsert).")
    static class LoadReference implements Callable<Integer> {
        private static final Logger LOG = Logger.getLogger(LoadReference.class);

        @Inject
        ReferenceDataLoader loader;

        @Inject
        DataSource dataSource;

        @Option(names = "--bundled", description = "Load the CSVs shipped with the enricher")
        boolean bundled;

        @Option(names = "--locations", description = "locations.csv or .parquet")
        Path locations;

        @Option(names = "--products", description = "products.csv or .parquet")
        Path products;

        @Option(names = "--fraud-ips", description = "fraud_ips.csv or .parquet")
        Path fraudIps;

        @Override
        public Integer call() throws Exception {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                if (bundled) {
                    LOG.info(loader.loadBundled(c));
                }
                if (locations != null) {
                    LOG.info(loader.load(c, ReferenceKind.LOCATIONS, locations));
                }
                if (products != null) {
                    LOG.info(loader.load(c, ReferenceKind.PRODUCTS, products));
                }
                if (fraudIps != null) {
                    LOG.info(loader.load(c, ReferenceKind.FRAUD_IPS, fraudIps));
                }
                long changed = loader.syncDimensions(c);
                c.commit();
                LOG.infof("dimensions and facts re-pointed: %d rows changed", changed);
            }
            return 0;
        }
    }
}
