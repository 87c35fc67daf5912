package io.retailstack.enricher.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CopyWriterTest {

    @Test
    void shouldWriteInstantsAsInstantToStringDoes() {
        List<Instant> samples = new java.util.ArrayList<>(List.of(
                Instant.EPOCH,
                Instant.parse("2025-01-02T03:04:05Z"),
                Instant.parse("2025-01-02T03:04:05.100Z"),
                Instant.parse("2025-01-02T03:04:05.000100Z"),
                Instant.parse("2025-01-02T03:04:05.000000100Z"),
                Instant.parse("2024-02-29T23:59:59.999999999Z"),
                Instant.parse("1969-12-31T23:59:59.5Z"),
                Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59Z"),
                Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-01-01T00:00:00Z")));
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            long seconds = random.nextLong(-62_000_000_000L, 253_000_000_000L);
            int nanos =
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1000;
                        default -> random.nextInt(1_000_000_000);
                    };
            samples.add(Instant.ofEpochSecond(seconds, nanos));
        }
        for (Instant value : samples) {
            StringBuilder out = new StringBuilder();
            CopyWriter.appendInstant(out, value);
            assertThat(out.toString()).isEqualTo(value.toString());
        }
    }
}
