package io.retailstack.events.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The fast path must agree with ISO_OFFSET_DATE_TIME wherever it answers, and decline what it does not know. */
class RfcTimestampsTest {

    @Property(tries = 2_000)
    void agreesWithTheGeneralParserOnCommonTimestamps(
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seconds,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
            @ForAll @IntRange(min = 0, max = 9) int fractionDigits,
            @ForAll @IntRange(min = -18 * 60, max = 18 * 60) int offsetMinutes) {
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetMinutes * 60);
        OffsetDateTime t = Instant.ofEpochSecond(seconds, nanos).atOffset(offset);
        String base = t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"));
        String fraction =
                fractionDigits == 0 ? "" : "." + String.format("%09d", nanos).substring(0, fractionDigits);
        String zone = offsetMinutes == 0 ? "Z" : offset.getId();
        String text = base + fraction + zone;
        Instant expected = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toInstant();
        assertThat(RfcTimestamps.parseCommon(text)).as(text).isEqualTo(expected);
    }

    @Property(tries = 3_000)
    void neverAcceptsWhatTheGeneralParserRejectsNorDisagrees(@ForAll("timestampLike") String text) {
        Instant fast = RfcTimestamps.parseCommon(text);
        if (fast == null) {
            return;
        }
        Instant general;
        try {
            general = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new AssertionError("fast path accepted what ISO_OFFSET_DATE_TIME rejects: " + text, e);
        }
        assertThat(fast).as(text).isEqualTo(general);
    }

    @Example
    void declinesOtherLayoutsAndOutOfRangeFields() {
        assertThat(RfcTimestamps.parseCommon("2026-01-31T12:00Z")).isNull(); // no seconds: general parser decides
        assertThat(RfcTimestamps.parseCommon("2026-01-31t12:00:00z")).isNull();
        assertThat(RfcTimestamps.parseCommon("2026-02-30T12:00:00Z")).isNull();
        assertThat(RfcTimestamps.parseCommon("2026-01-31T24:00:00Z")).isNull();
        assertThat(RfcTimestamps.parseCommon("2026-01-31T12:00:00.Z")).isNull();
        assertThat(RfcTimestamps.parseCommon("2026-01-31T12:00:00.1234567890Z")).isNull();
        assertThat(RfcTimestamps.parseCommon("2026-01-31T12:00:00+0100")).isNull();
        assertThat(RfcTimestamps.parseCommon("2026-01-31T12:00:00")).isNull();
        assertThat(RfcTimestamps.parseCommon("2026-01-31T12:00:00.5-01:30"))
                .isEqualTo(Instant.parse("2026-01-31T13:30:00.5Z"));
    }

    @Provide
    Arbitrary<String> timestampLike() {
        // mutations of a valid timestamp: any character replaced by one from a small, relevant alphabet
        String valid = "2026-07-15T08:30:45.123+02:00";
        return Arbitraries.integers()
                .between(0, valid.length() - 1)
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .flatMap(positions -> Arbitraries.of('0', '1', '5', '9', '-', '+', ':', '.', 'T', 'Z', 'z', ' ')
                        .list()
                        .ofSize(positions.size())
                        .map(chars -> {
                            StringBuilder sb = new StringBuilder(valid);
                            for (int i = 0; i < positions.size(); i++) {
                                sb.setCharAt(positions.get(i), chars.get(i));
                            }
                            return sb.toString();
                        }));
    }
}
