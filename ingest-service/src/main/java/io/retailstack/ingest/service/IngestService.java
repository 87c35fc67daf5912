package io.retailstack.ingest.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.validation.Violation;
import io.retailstack.ingest.config.IngestConfig;
import io.retailstack.ingest.fraud.FraudScreeningService;
import io.retailstack.ingest.messaging.EventPublisher;
import io.retailstack.ingest.service.RejectedEventsException.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Publishes validated events and reports them accepted only once the broker acknowledged every one of them.
 *
 * <p>Shared by both intakes: the HTTP resource calls {@link #publishAll} and waits; the raw consumer uses {@link
 * #prepare} and the publisher directly, so it can route each record on its own.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);

    /** Transport tag values. */
    public static final String HTTP = "http";

    public static final String KAFKA = "kafka";

    private final EventPublisher publisher;
    private final FraudScreeningService fraud;
    private final IngestConfig config;
    private final MeterRegistry registry;
    private final Timer publishLatency;

    @Inject
    public IngestService(
            EventPublisher publisher, FraudScreeningService fraud, IngestConfig config, MeterRegistry registry) {
        this.publisher = publisher;
        this.fraud = fraud;
        this.config = config;
        this.registry = registry;
        this.publishLatency = Timer.builder("ingest.publish.latency")
                .description("From sending a request's events to the broker's acknowledgement of all of them")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    /** An event ready to publish: screened, and its encoded value. */
    public record Prepared(CloudEvent event, byte[] value) {}

    /**
     * Screens the events and gives each its record value: the JSON as received when screening left the event as it
     * was, else the codec's encoding of the changed event (and always in binary mode).
     *
     * @throws RejectedEventsException if an encoded event exceeds {@code ingest.http.max-event-bytes}
     * @param pathPrefix whether violations are reported with the batch index ({@code [i]})
     */
    public List<Prepared> prepare(List<ReceivedEvent> events, boolean pathPrefix) {
        int max = config.http().maxEventBytes();
        List<Prepared> prepared = new ArrayList<>(events.size());
        List<Violation> tooLarge = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            ReceivedEvent received = events.get(i);
            CloudEvent screened = fraud.screen(received.event());
            byte[] value = screened == received.event() && received.structuredJson() != null
                    ? received.structuredJson()
                    : publisher.encode(screened);
            if (value.length > max) {
                tooLarge.add(new Violation(
                        pathPrefix ? "[" + i + "]" : "", "is " + value.length + " bytes encoded, at most " + max));
            }
            prepared.add(new Prepared(screened, value));
        }
        if (!tooLarge.isEmpty()) {
            throw new RejectedEventsException(
                    Reason.TOO_LARGE, "An event is larger than " + max + " bytes.", tooLarge, events.size());
        }
        return prepared;
    }

    /**
     * Publishes all events and waits for every acknowledgement, at most {@code ingest.http.ack-timeout}.
     *
     * @return the ids, in order, all acknowledged
     * @throws PublishFailedException if any record was not acknowledged in time; none is then reported accepted
     */
    public List<String> publishAll(List<ReceivedEvent> events, String transport) {
        List<Prepared> prepared = prepare(events, events.size() > 1);
        long start = System.nanoTime();
        long timeout = config.http().ackTimeout().toNanos();
        List<CompletableFuture<?>> acks = new ArrayList<>(prepared.size());
        for (Prepared p : prepared) {
            CompletableFuture<?> ack = publisher.publish(p.event(), p.value());
            acks.add(ack);
            if (ack.isCompletedExceptionally()) {
                // Failed inside send (no metadata within max.block.ms): the rest would block just as long, each.
                break;
            }
            if (acks.size() < prepared.size() && System.nanoTime() - start >= timeout) {
                // send() blocks while the producer's buffer is full: the deadline bounds the whole request, not only
                // the wait for acknowledgements after the last send. Some events were never sent, so none is accepted.
                LOG.warnf(
                        "%d of %d event(s) sent to Kafka when the deadline passed, answering 503",
                        acks.size(), prepared.size());
                throw new PublishFailedException("the event log did not take the events in time", null);
            }
        }
        long remaining = timeout - (System.nanoTime() - start);
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warnf("%d event(s) not acknowledged by Kafka, answering 503: %s", events.size(), cause.toString());
            throw new PublishFailedException("the event log did not acknowledge the events in time", cause);
        }
        publishLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        accepted(transport, prepared.size());
        return prepared.stream().map(p -> p.event().id()).toList();
    }

    /** Counts accepted events. */
    public void accepted(String transport, int count) {
        Counter.builder("ingest.events.accepted")
                .description("Events published to the events topic and acknowledged")
                .tag("transport", transport)
                .register(registry)
                .increment(count);
    }

    /** Counts rejected events. */
    public void rejected(String transport, String reason, int count) {
        Counter.builder("ingest.events.rejected")
                .description("Events refused (HTTP 4xx) or sent to the dead-letter topic, by reason")
                .tag("transport", transport)
                .tag("reason", reason)
                .register(registry)
                .increment(Math.max(1, count));
    }
}
