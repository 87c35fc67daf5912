package io.retailstack.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retailstack.enricher.service.StoredEventDecoder;
import io.retailstack.enricher.support.Scenario;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.codec.EventDecodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoredEventDecoderTest {
    private final EventCodec codec = new EventCodec();
    private final StoredEventDecoder decoder = new StoredEventDecoder();

    @Test
    void shouldDecodeExactlyWhatTheContractCodecDecodes() {
        for (Scenario.Timed t : Scenario.randomDay(5, 300, Instant.parse("2025-03-01T00:00:00Z"), Duration.ofDays(1))) {
            String json = new String(codec.encode(t.event()), StandardCharsets.UTF_8);
            CloudEvent fast = decoder.decode(json);
            assertThat(fast).isEqualTo(codec.decode(json.getBytes(StandardCharsets.UTF_8)));
            assertThat(fast).isEqualTo(t.event());
        }
    }

    @Test
    void shouldFallBackToTheStrictCodecForOtherShapes() {
        String dataFirst = "{\"data\":{\"quantity\":3},\"specversion\":\"1.0\",\"id\":\"E1\",\"source\":\"/s\","
                + "\"type\":\"retail.inventory.received.v1\",\"subject\":\"inventory/SKU-1@LOC-1\","
                + "\"time\":\"2025-01-01T00:00:00Z\",\"fraudflag\":true}";
        assertThat(decoder.decode(dataFirst)).isEqualTo(codec.decode(dataFirst.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> decoder.decode("{\"id\":\"E1\"")).isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> decoder.decode(dataFirst.replace("\"quantity\":3", "\"quantity\":\"3\"")))
                .isInstanceOf(EventDecodingException.class);
    }

    @Test
    void shouldParseInstantsExactlyAsTheJdkDoes() {
        // the codec's forms, and odd ones that must end up where Instant.parse puts them: same value or rejected
        for (String text : java.util.List.of(
                "2025-01-02T03:04:05Z",
                "2025-01-02T03:04:05.1Z",
                "2025-01-02T03:04:05.120Z",
                "2024-02-29T23:59:59.123456Z",
                "1999-12-31T00:00:00.123456789Z",
                "2026-11-22T09:23:34.527Z",
                "2025-01-01T24:00:00Z",
                "2025-06-30T23:59:60Z",
                "2025-02-30T00:00:00Z",
                "2025-13-01T00:00:00Z",
                "2025-01-01T0a:00:00Z",
                "2025-01-01T00:00:00.Z",
                "2025-01-01T00:00:00.1234567890Z",
                "2025-01-01T00:00:00+01:00",
                "+12025-01-01T00:00:00Z")) {
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (java.time.DateTimeException e) {
                assertThatThrownBy(() -> StoredEventDecoder.instant(text))
                        .as(text)
                        .isInstanceOf(java.time.DateTimeException.class);
                continue;
            }
            assertThat(StoredEventDecoder.instant(text)).as(text).isEqualTo(expected);
        }
        assertThat(StoredEventDecoder.instant("2025-01-02T03:04:05.120Z"))
                .isEqualTo(Instant.ofEpochSecond(1735787045L, 120_000_000));
    }
}
