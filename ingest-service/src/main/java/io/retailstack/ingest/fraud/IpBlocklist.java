package io.retailstack.ingest.fraud;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An immutable set of IP addresses and CIDR ranges, IPv4 and IPv6. Only literals are parsed: nothing here ever
 * resolves a host name, so neither the blocklist file nor an event can trigger a DNS lookup.
 *
 * <p>An IPv4-mapped IPv6 address ({@code ::ffff:203.0.113.7}) matches the IPv4 entries, as Java parses it to IPv4.
 */
public final class IpBlocklist {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    /** The empty list: matches nothing. */
    public static final IpBlocklist EMPTY = new IpBlocklist(List.of());

    private final List<Range> ranges;

    private IpBlocklist(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** Number of entries. */
    public int size() {
        return ranges.size();
    }

    /**
     * Parses one entry per line: an address or {@code address/prefix}. Blank lines and everything after {@code #} are
     * ignored.
     *
     * @param lines the file's lines
     * @param problems receives one message per unusable line (the line is skipped, the rest still loads)
     */
    public static IpBlocklist parse(List<String> lines, List<String> problems) {
        List<Range> ranges = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String entry = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                ranges.add(Range.parse(entry));
            } catch (IllegalArgumentException e) {
                problems.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new IpBlocklist(ranges);
    }

    /** Whether {@code ip} (a literal; anything else never matches) is in one of the ranges. */
    public boolean contains(String ip) {
        if (ip == null || ranges.isEmpty()) {
            return false;
        }
        Optional<byte[]> address = literal(ip.trim());
        if (address.isEmpty()) {
            return false;
        }
        byte[] bytes = address.get();
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** The address bytes of an IP literal (4 or 16), empty for anything else. */
    static Optional<byte[]> literal(String text) {
        if (IPV4.matcher(text).matches()) {
            // Parsed here: InetAddress takes a dotted quad it cannot parse (999.1.1.1) for a host name and looks it up.
            // The pattern admits only digits and three dots, so a single pass reads the four octets (no split: this
            // runs for every event with a client IP).
            byte[] bytes = new byte[4];
            int octet = 0;
            int index = 0;
            for (int i = 0; i <= text.length(); i++) {
                char c = i < text.length() ? text.charAt(i) : '.';
                if (c == '.') {
                    if (octet > 255) {
                        return Optional.empty();
                    }
                    bytes[index++] = (byte) octet;
                    octet = 0;
                } else {
                    octet = octet * 10 + (c - '0');
                }
            }
            return Optional.of(bytes);
        }
        if (!(text.contains(":") && IPV6.matcher(text).matches())) {
            return Optional.empty();
        }
        try {
            // A text with a colon is parsed as an IPv6 literal or rejected, never looked up.
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** A network: address bytes and prefix length in bits. */
    private record Range(byte[] network, int prefix) {

        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            String addressText = slash < 0 ? entry : entry.substring(0, slash);
            byte[] address = literal(addressText)
                    .orElseThrow(() -> new IllegalArgumentException("'" + addressText + "' is not an IP address"));
            int bits = address.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String prefixText = entry.substring(slash + 1);
                try {
                    prefix = Integer.parseInt(prefixText);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + prefixText + "' is not a prefix length");
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("prefix /" + prefix + " is outside 0.." + bits);
                }
            }
            return new Range(address, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefix / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }
}
