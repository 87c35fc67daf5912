package io.retailstack.events.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hand-written IPv4 check accepts exactly what the rule's regular expression accepts. */
class IpLiteralPropertiesTest {

    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    @Property(tries = 5000)
    void ipv4CheckAgreesWithTheRegularExpression(@ForAll("candidates") String value) {
        assertThat(EventValidator.isIpv4(value))
                .as("'%s'", value)
                .isEqualTo(IPV4.matcher(value).matches());
    }

    @Provide
    Arbitrary<String> candidates() {
        Arbitrary<String> octet = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 300).map(String::valueOf),
                Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(4));
        Arbitrary<String> dotted = octet.list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join(".", parts));
        return Arbitraries.oneOf(
                dotted,
                dotted.map(s -> s + "."),
                dotted.map(s -> "." + s),
                Arbitraries.strings().withChars("0123456789.a: ").ofMaxLength(18));
    }
}
