package io.retailstack.cache.persistence;

import java.nio.charset.StandardCharsets;

/**
 * One cached state as stored in Redis: {@code <version>\n<state JSON>}. The version prefix lets the Lua scripts compare
 * versions without decoding JSON, and the JSON after it is served to clients as is (no re-encoding on the hit path).
 * Version 0 with an empty body is a "not found" marker (negative cache); any real state (version 1 and up) replaces
 * it.
 *
 * @param version the state's version (applied events), 0 for "not found"
 * @param json the state JSON ({@code StateCodec.stateJson}), empty for "not found"
 */
public record CachedState(long version, byte[] json) {
    private static final byte[] EMPTY = new byte[0];

    /** The "not found" marker. */
    public static final CachedState NOT_FOUND = new CachedState(0, EMPTY);

    public static CachedState of(long version, String json) {
        return new CachedState(version, json.getBytes(StandardCharsets.UTF_8));
    }

    public boolean notFound() {
        return version == 0;
    }

    public String jsonString() {
        return new String(json, StandardCharsets.UTF_8);
    }

    /** The Redis value. */
    public byte[] encode() {
        byte[] v = Long.toString(version).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[v.length + 1 + json.length];
        System.arraycopy(v, 0, out, 0, v.length);
        out[v.length] = '\n';
        System.arraycopy(json, 0, out, v.length + 1, json.length);
        return out;
    }

    /** Parses a Redis value; throws IllegalArgumentException on anything else. */
    public static CachedState decode(byte[] value) {
        long version = 0;
        int i = 0;
        for (; i < value.length && value[i] != '\n'; i++) {
            int d = value[i] - '0';
            if (d < 0 || d > 9 || i > 18) {
                throw new IllegalArgumentException("not a cached state");
            }
            version = version * 10 + d;
        }
        if (i == 0 || i == value.length) {
            throw new IllegalArgumentException("not a cached state");
        }
        if (version == 0) {
            return NOT_FOUND;
        }
        byte[] json = new byte[value.length - i - 1];
        System.arraycopy(value, i + 1, json, 0, json.length);
        return new CachedState(version, json);
    }
}
