package io.retailstack.ingest.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpBlocklistTest {

    private final List<String> problems = new ArrayList<>();
    private final IpBlocklist list = IpBlocklist.parse(
            List.of(
                    "# known bad",
                    "198.51.100.0/24",
                    "203.0.113.7   # single address",
                    "",
                    "2001:db8:bad::/48",
                    "10.0.0.0/7",
                    "not-an-ip",
                    "192.0.2.0/33",
                    "evil.example.com"),
            problems);

    @Test
    void shouldMatchAddressesInsideIpv4Ranges() {
        assertThat(list.contains("198.51.100.1")).isTrue();
        assertThat(list.contains("198.51.100.255")).isTrue();
        assertThat(list.contains("198.51.101.1")).isFalse();
        assertThat(list.contains("11.255.255.255")).isTrue(); // 10.0.0.0/7 covers 10.x and 11.x
        assertThat(list.contains("12.0.0.0")).isFalse();
    }

    @Test
    void shouldMatchSingleAddressesAndIpv4MappedIpv6() {
        assertThat(list.contains("203.0.113.7")).isTrue();
        assertThat(list.contains("203.0.113.8")).isFalse();
        assertThat(list.contains("::ffff:203.0.113.7")).isTrue();
    }

    @Test
    void shouldMatchIpv6Ranges() {
        assertThat(list.contains("2001:db8:bad:1::42")).isTrue();
        assertThat(list.contains("2001:DB8:BAD::1")).isTrue();
        assertThat(list.contains("2001:db8:bae::1")).isFalse();
    }

    @Test
    void shouldSkipUnusableLinesAndReportThem() {
        assertThat(list.size()).isEqualTo(4);
        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).startsWith("line 7:");
    }

    @Test
    void shouldNeverMatchNonLiterals() {
        assertThat(list.contains(null)).isFalse();
        assertThat(list.contains("evil.example.com")).isFalse();
        assertThat(list.contains("")).isFalse();
        assertThat(IpBlocklist.EMPTY.contains("203.0.113.7")).isFalse();
    }

    @Test
    void shouldParseDottedQuadsItselfAndRejectOctetsAbove255() {
        // InetAddress would take 999.1.1.1 for a host name and ask DNS on the refresh thread; the parser never does
        assertThat(IpBlocklist.literal("999.1.1.1")).isEmpty();
        assertThat(IpBlocklist.literal("1.2.3.256")).isEmpty();
        assertThat(IpBlocklist.literal("255.0.10.7")).hasValueSatisfying(bytes -> assertThat(bytes)
                .containsExactly((byte) 255, (byte) 0, (byte) 10, (byte) 7));
        List<String> lineProblems = new ArrayList<>();
        IpBlocklist parsed = IpBlocklist.parse(List.of("999.1.1.1", "300.0.0.0/8", "10.0.0.0/8"), lineProblems);
        assertThat(parsed.size()).isEqualTo(1);
        assertThat(lineProblems).hasSize(2);
        assertThat(parsed.contains("10.1.2.3")).isTrue();
    }
}
