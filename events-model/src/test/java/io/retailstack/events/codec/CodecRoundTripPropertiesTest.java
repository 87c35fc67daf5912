package io.retailstack.events.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.retailstack.events.CloudEvent;
import io.retailstack.events.EventArbitraries;
import io.retailstack.events.EventType;
import io.retailstack.events.validation.EventValidator;
import io.retailstack.events.validation.ValidationLimits;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

class CodecRoundTripPropertiesTest {

    private final EventCodec codec = new EventCodec();
    private final EventValidator validator =
            new EventValidator(ValidationLimits.defaults(), Clock.fixed(EventArbitraries.LATEST, ZoneOffset.UTC));

    @Provide
    Arbitrary<CloudEvent> events() {
        return EventArbitraries.events();
    }

    @Property
    void structuredRoundTripKeepsEveryEventOfEveryType(@ForAll("events") CloudEvent event) {
        Statistics.label("type").collect(event.type());
        Statistics.label("type").coverage(coverage -> {
            for (EventType type : EventType.values()) {
                coverage.check(type).count(n -> n > 0);
            }
        });

        assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
    }

    @Property
    void binaryRoundTripKeepsTheEvent(@ForAll("events") CloudEvent event) {
        CloudEvent decoded = codec.decodeBinary(codec.binaryAttributes(event), codec.encodeData(event));

        assertThat(decoded).isEqualTo(event);
    }

    @Property(tries = 50)
    void batchRoundTripKeepsOrder(@ForAll("events") CloudEvent a, @ForAll("events") CloudEvent b) {
        assertThat(codec.decodeBatch(codec.encodeBatch(List.of(a, b)))).containsExactly(a, b);
    }

    @Property
    void generatedEventsAreValid(@ForAll("events") CloudEvent event) {
        assertThat(validator.validate(event)).isEmpty();
    }
}
