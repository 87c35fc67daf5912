package io.retailstack.writer.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.codec.EventDecodingException;
import io.retailstack.writer.service.DecodedEvent;
import io.retailstack.writer.support.TestEvents;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {

    private final RecordDecoder decoder = new RecordDecoder();
    private final EventCodec codec = new EventCodec();

    private static ConsumerRecord<byte[], byte[]> record(String key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(
                "retail.events",
                2,
                42,
                1_700_000_000_000L,
                TimestampType.LOG_APPEND_TIME,
                -1,
                value == null ? -1 : value.length,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value,
                headers,
                Optional.empty());
    }

    @Test
    void shouldDecodeAStructuredEventKeyedByItsSubjectAndKeepItsBytes() {
        CloudEvent e = TestEvents.placed(TestEvents.id("ORD"));
        byte[] json = codec.encode(e);
        DecodedEvent d = decoder.decode(record(e.subject(), json, new RecordHeaders()));
        assertThat(d.event()).isEqualTo(e);
        assertThat(d.key()).isEqualTo(e.aggregateKey());
        assertThat(d.payload()).isSameAs(json);
        assertThat(d.partition()).isEqualTo(2);
        assertThat(d.offset()).isEqualTo(42);
        assertThat(d.timestamp()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void shouldDecodeABinaryModeEventFromCeHeaders() {
        CloudEvent e = TestEvents.received(TestEvents.id("SKU"), "L1", 3);
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, String> a : codec.binaryAttributes(e).entrySet()) {
            headers.add("ce_" + a.getKey(), a.getValue().getBytes(StandardCharsets.UTF_8));
        }
        DecodedEvent d = decoder.decode(record(e.subject(), codec.encodeData(e), headers));
        assertThat(d.event().id()).isEqualTo(e.id());
        assertThat(d.event().data()).isEqualTo(e.data());
        assertThat(codec.decode(d.payload()).id()).isEqualTo(e.id()); // stored as structured JSON
    }

    @Test
    void shouldRejectWhatCanNeverBeApplied() {
        CloudEvent e = TestEvents.placed(TestEvents.id("ORD"));
        assertThatThrownBy(() -> decoder.decode(record(e.subject(), null, new RecordHeaders())))
                .isInstanceOf(UnprocessableRecordException.class);
        assertThatThrownBy(() ->
                        decoder.decode(record(e.subject(), "{".getBytes(StandardCharsets.UTF_8), new RecordHeaders())))
                .isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> decoder.decode(record("order/OTHER", codec.encode(e), new RecordHeaders())))
                .isInstanceOf(UnprocessableRecordException.class)
                .hasMessageContaining("must be the subject");
        assertThatThrownBy(() -> decoder.decode(record(null, codec.encode(e), new RecordHeaders())))
                .hasMessageContaining("missing");
        CloudEvent zero = TestEvents.received(TestEvents.id("SKU"), "L1", 0);
        assertThatThrownBy(() -> decoder.decode(record(zero.subject(), codec.encode(zero), new RecordHeaders())))
                .isInstanceOf(UnprocessableRecordException.class)
                .hasMessageContaining("invalid event");
    }
}
