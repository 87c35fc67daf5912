package io.retailstack.generator.model;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range in CIDR notation; a single address is a /32 (or /128). Parsing never
 * resolves host names: only literals are accepted.
 */
public final class IpRange {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private final String text;
    private final boolean v6;
    private final int prefix;
    private final BigInteger first;
    private final BigInteger last;

    private IpRange(String text, boolean v6, int prefix, BigInteger first, BigInteger last) {
        this.text = text;
        this.v6 = v6;
        this.prefix = prefix;
        this.first = first;
        this.last = last;
    }

    /**
     * Parses {@code 203.0.113.0/24}, {@code 198.51.100.7} or {@code 2001:db8:bad::/48}.
     *
     * @throws IllegalArgumentException if it is not an IP literal with an optional valid prefix
     */
    public static IpRange parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address or CIDR range: '" + text + "'");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad CIDR prefix in '" + text + "'");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("CIDR prefix out of range in '" + text + "'");
            }
        }
        BigInteger value = new BigInteger(1, bytes);
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        BigInteger first = value.andNot(hostMask);
        return new IpRange(trimmed, bytes.length == 16, prefix, first, first.or(hostMask));
    }

    /** Whether {@code ip} (a literal) lies in this range; false for anything that is not a literal. */
    public boolean contains(String ip) {
        byte[] bytes = ip == null ? null : literal(ip);
        if (bytes == null || (bytes.length == 16) != v6) {
            return false;
        }
        BigInteger value = new BigInteger(1, bytes);
        return value.compareTo(first) >= 0 && value.compareTo(last) <= 0;
    }

    /**
     * A random address of the range, avoiding the network and broadcast addresses of IPv4 ranges
     * with room for hosts.
     */
    public String randomAddress(Random random) {
        BigInteger size = last.subtract(first).add(BigInteger.ONE);
        BigInteger offset;
        if (!v6 && size.compareTo(BigInteger.valueOf(4)) >= 0) {
            offset = BigInteger.ONE.add(BigInteger.valueOf(Math.floorMod(random.nextLong(), size.longValue() - 2)));
        } else if (size.bitLength() <= 62) {
            offset = BigInteger.valueOf(Math.floorMod(random.nextLong(), size.longValue()));
        } else {
            offset = new BigInteger(size.bitLength() + 8, random).mod(size);
        }
        return format(first.add(offset));
    }

    private String format(BigInteger value) {
        int length = v6 ? 16 : 4;
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
        try {
            String host = InetAddress.getByAddress(bytes).getHostAddress();
            return v6 ? compressIpv6(host) : host;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Java prints IPv6 uncompressed ({@code 2001:db8:bad:0:0:0:0:1}); shorten the longest zero run. */
    private static String compressIpv6(String host) {
        String[] groups = host.split(":");
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLength && j - i > 1) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return host;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    private static byte[] literal(String address) {
        boolean v4 = IPV4.matcher(address).matches();
        if (!v4 && !(address.contains(":") && IPV6.matcher(address).matches())) {
            return null;
        }
        if (v4) {
            String[] parts = address.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(parts[i]);
                if (part > 255) {
                    return null;
                }
                bytes[i] = (byte) part;
            }
            return bytes;
        }
        try {
            // A string with ':' is parsed as an IPv6 literal, never looked up.
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Prefix length in bits. */
    public int prefix() {
        return prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
