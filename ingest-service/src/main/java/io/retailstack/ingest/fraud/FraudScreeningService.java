package io.retailstack.ingest.fraud;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.Extensions;
import io.retailstack.events.data.OrderPlaced;
import io.retailstack.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Flags orders placed from blocklisted client IPs.
 *
 * <p>A matching {@code retail.order.placed.v1} event is accepted and published with the CloudEvents extension {@code
 * fraudflag} set (to {@code blocklisted-ip} by default); it is never dropped. Blocking at intake would lose the order
 * for good on a false positive, and a fraudster would learn the rule from the error; the flag lets downstream keep the
 * order out of availability and lets BI count and review it.
 *
 * <p>The blocklist is a file (one address or CIDR per line; a ConfigMap in Kubernetes) whose modification time is
 * checked every {@code ingest.fraud.refresh-interval}; a change is loaded without restart. A file that cannot be read
 * keeps the last good list.
 */
@ApplicationScoped
public class FraudScreeningService {

    private static final Logger LOG = Logger.getLogger(FraudScreeningService.class);

    private final IngestConfig.Fraud config;
    private final Counter flagged;
    private final AtomicReference<IpBlocklist> blocklist = new AtomicReference<>(IpBlocklist.EMPTY);
    private volatile FileStamp loadedStamp;
    private ScheduledExecutorService refresher;

    @Inject
    public FraudScreeningService(IngestConfig config, MeterRegistry registry) {
        this.config = config.fraud();
        this.flagged = Counter.builder("ingest.events.flagged")
                .description("Events accepted with the fraudflag extension set by ingest")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        Optional<Path> path = config.blocklistPath();
        if (path.isEmpty()) {
            LOG.info("no fraud blocklist configured (ingest.fraud.blocklist-path); nothing will be flagged");
            return;
        }
        refresh();
        long period = Math.max(100, config.refreshInterval().toMillis());
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "fraud-blocklist-refresh");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refresh, period, period, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /** The event, with {@code fraudflag} set if it is an order placed from a blocklisted IP. */
    public CloudEvent screen(CloudEvent event) {
        if (event.data() instanceof OrderPlaced placed && blocklist.get().contains(placed.clientIp())) {
            flagged.increment();
            return event.withExtension(Extensions.FRAUD_FLAG, config.flagValue());
        }
        return event;
    }

    /** The list in use now. */
    public IpBlocklist blocklist() {
        return blocklist.get();
    }

    /** Reloads the file if its modification time or size changed since the last load. */
    public synchronized void refresh() {
        Optional<Path> configured = config.blocklistPath();
        if (configured.isEmpty()) {
            return;
        }
        Path path = configured.get();
        try {
            if (!Files.exists(path)) {
                if (loadedStamp == null || loadedStamp.exists()) {
                    LOG.warnf("fraud blocklist %s does not exist; nothing will be flagged until it does", path);
                    blocklist.set(IpBlocklist.EMPTY);
                    loadedStamp = FileStamp.MISSING;
                }
                return;
            }
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            FileStamp stamp = new FileStamp(
                    true, attributes.lastModifiedTime().toMillis(), attributes.size(), attributes.fileKey());
            if (stamp.equals(loadedStamp)) {
                return;
            }
            List<String> problems = new ArrayList<>();
            IpBlocklist loaded = IpBlocklist.parse(Files.readAllLines(path, StandardCharsets.UTF_8), problems);
            problems.forEach(problem -> LOG.warnf("fraud blocklist %s, %s (skipped)", path, problem));
            blocklist.set(loaded);
            loadedStamp = stamp;
            LOG.infof("fraud blocklist %s loaded: %d entries", path, loaded.size());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("fraud blocklist %s could not be read, keeping the previous list: %s", path, e.toString());
        }
    }

    /** What identifies one version of the file; a ConfigMap update swaps a symlink, which changes the file key. */
    private record FileStamp(boolean exists, long modified, long size, Object fileKey) {
        static final FileStamp MISSING = new FileStamp(false, 0, 0, null);
    }
}
