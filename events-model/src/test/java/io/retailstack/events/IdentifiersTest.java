package io.retailstack.events;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The character loop of {@link Identifiers#isValid} must say exactly what the documented pattern says. */
class IdentifiersTest {

    @Property(tries = 5_000)
    void agreesWithThePattern(@ForAll("candidates") String value) {
        assertThat(Identifiers.isValid(value))
                .as("'%s'", value)
                .isEqualTo(Identifiers.PATTERN.matcher(value).matches());
    }

    @Provide
    Arbitrary<String> candidates() {
        // mostly valid characters, some of everything else (unicode digits and letters, '/', '@', space, ...)
        Arbitrary<Character> chars = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(
                        8, Arbitraries.of("AZaz09._:-".toCharArray()).map(c -> c)),
                net.jqwik.api.Tuple.of(1, Arbitraries.chars()));
        return chars.list().ofMinSize(0).ofMaxSize(70).map(list -> {
            StringBuilder sb = new StringBuilder();
            list.forEach(sb::append);
            return sb.toString();
        });
    }
}
