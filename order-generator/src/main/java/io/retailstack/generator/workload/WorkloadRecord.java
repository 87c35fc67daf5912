package io.retailstack.generator.workload;

import io.retailstack.events.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** One record of a workload, in send order: a valid event, or a malformed record ingest must dead-letter. */
public sealed interface WorkloadRecord {

    /** The Kafka record key. */
    String key();

    /** A valid event. */
    record Valid(CloudEvent event) implements WorkloadRecord {

        public Valid {
            Objects.requireNonNull(event, "event");
        }

        @Override
        public String key() {
            return event.aggregateKey().kafkaKey();
        }
    }

    /**
     * A malformed record: a valid event's JSON, mutated.
     *
     * @param id the id the record was given before mutating ({@code BAD-…}); may be gone from the body
     * @param key the Kafka key of the event it was derived from
     * @param body the bytes to send
     * @param mutation what was broken
     * @param basedOn id of the valid event it was derived from
     */
    record Malformed(String id, String key, byte[] body, Mutation mutation, String basedOn) implements WorkloadRecord {

        public Malformed {
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        /** The body as text. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Malformed m
                    && id.equals(m.id)
                    && key.equals(m.key)
                    && Arrays.equals(body, m.body)
                    && mutation == m.mutation
                    && basedOn.equals(m.basedOn);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, key, Arrays.hashCode(body), mutation, basedOn);
        }

        @Override
        public String toString() {
            return "Malformed[" + id + ", " + mutation + ", based on " + basedOn + "]";
        }
    }
}
