package io.retailstack.generator.send;

import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.generator.workload.WorkloadRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * Drives a workload's records through a {@link Transport} in order: paced to a rate, stopped after a
 * duration, optionally re-stamped with the wall clock ({@code --live}). The workload itself stays
 * untouched; what was actually sent is returned, so the reconciliation totals can be computed from it.
 */
public final class Sender {

    private static final Logger LOG = Logger.getLogger(Sender.class.getName());
    private static final long POLL_NANOS = Duration.ofMillis(50).toNanos();

    /**
     * @param rate records per second, 0 for as fast as the transport takes them
     * @param duration stop sending after this long, null for no limit
     * @param live replace each event's time by the wall clock when it is sent
     */
    public record Options(double rate, Duration duration, boolean live) {

        public Options {
            if (!(rate >= 0)) {
                throw new IllegalArgumentException("rate must be >= 0");
            }
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("duration must be positive");
            }
        }
    }

    /**
     * What was sent.
     *
     * @param events the valid events handed to the transport, as sent (re-stamped when live)
     * @param malformed the malformed records handed to the transport
     * @param stoppedEarly the duration ran out before every record was sent
     * @param elapsed wall time from the first send to the last outcome
     */
    public record Result(
            List<CloudEvent> events,
            List<WorkloadRecord.Malformed> malformed,
            boolean stoppedEarly,
            Duration elapsed) {}

    private final Transport transport;
    private final SendStats stats;
    private final Progress progress;
    private final EventCodec codec = new EventCodec();

    public Sender(Transport transport, SendStats stats, Progress progress) {
        this.transport = transport;
        this.stats = stats;
        this.progress = progress;
    }

    public Result send(List<WorkloadRecord> records, Options options) throws TransportException, InterruptedException {
        List<CloudEvent> sentEvents = new ArrayList<>();
        List<WorkloadRecord.Malformed> sentMalformed = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = options.duration() == null
                ? Long.MAX_VALUE
                : start + options.duration().toNanos();
        progress.start(start);
        boolean stoppedEarly = false;
        try {
            for (int i = 0; i < records.size(); i++) {
                if (options.rate() > 0) {
                    long due = start + (long) (i / options.rate() * 1e9);
                    if (!waitUntil(Math.min(due, deadline))) {
                        throw new InterruptedException();
                    }
                }
                if (System.nanoTime() >= deadline) {
                    stoppedEarly = true;
                    LOG.info("duration reached after " + i + " of " + records.size() + " records");
                    break;
                }
                WorkloadRecord record = records.get(i);
                if (record instanceof WorkloadRecord.Valid valid) {
                    CloudEvent event = options.live() ? restamp(valid.event()) : valid.event();
                    stats.sent(1);
                    transport.send(new Outgoing(event.id(), valid.key(), codec.encode(event), true));
                    sentEvents.add(event);
                } else {
                    WorkloadRecord.Malformed bad = (WorkloadRecord.Malformed) record;
                    stats.sent(1);
                    transport.send(new Outgoing(bad.id(), bad.key(), bad.body(), false));
                    sentMalformed.add(bad);
                }
                transport.poll();
                progress.update(System.nanoTime());
            }
            transport.flush();
        } finally {
            progress.finish(System.nanoTime());
        }
        return new Result(sentEvents, sentMalformed, stoppedEarly, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Sleeps until {@code due}, polling the transport and refreshing the progress line meanwhile. */
    private boolean waitUntil(long due) throws TransportException, InterruptedException {
        long now;
        while ((now = System.nanoTime()) < due) {
            LockSupport.parkNanos(Math.min(due - now, POLL_NANOS));
            if (Thread.interrupted()) {
                return false;
            }
            transport.poll();
            progress.update(System.nanoTime());
        }
        return true;
    }

    private static CloudEvent restamp(CloudEvent event) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new CloudEvent(
                event.id(),
                event.source(),
                event.specversion(),
                event.type(),
                event.subject(),
                now,
                event.datacontenttype(),
                event.dataschema(),
                event.data(),
                event.extensions());
    }
}
