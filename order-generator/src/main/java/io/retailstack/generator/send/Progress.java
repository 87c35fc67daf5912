package io.retailstack.generator.send;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The progress line on stderr: sent and acknowledged counts, rate and ETA. On a terminal one line is
 * redrawn in place (carriage return, no ANSI escapes) at most once a second; otherwise a plain line
 * is appended every few seconds, so logs and CI output stay readable.
 */
public final class Progress {

    private final PrintWriter out;
    private final boolean terminal;
    private final boolean enabled;
    private final long total;
    private final SendStats stats;
    private final long intervalNanos;
    private long startNanos;
    private long lastNanos;
    private int lastLength;

    public Progress(PrintWriter out, boolean terminal, boolean enabled, long total, SendStats stats) {
        this.out = out;
        this.terminal = terminal;
        this.enabled = enabled;
        this.total = total;
        this.stats = stats;
        this.intervalNanos = (terminal ? Duration.ofSeconds(1) : Duration.ofSeconds(5)).toNanos();
    }

    /** A progress line that prints nothing. */
    public static Progress disabled(SendStats stats) {
        return new Progress(new PrintWriter(PrintWriter.nullWriter()), false, false, 0, stats);
    }

    public void start(long nowNanos) {
        startNanos = nowNanos;
        lastNanos = nowNanos;
    }

    /** Prints if the refresh interval has passed. */
    public void update(long nowNanos) {
        if (enabled && nowNanos - lastNanos >= intervalNanos) {
            lastNanos = nowNanos;
            print(line(nowNanos), false);
        }
    }

    /** Prints the last state and ends the line. */
    public void finish(long nowNanos) {
        if (enabled) {
            print(line(nowNanos), true);
        }
    }

    String line(long nowNanos) {
        double seconds = Math.max(1e-3, (nowNanos - startNanos) / 1e9);
        long sent = stats.sent();
        double rate = sent / seconds;
        String eta = rate <= 0 || sent >= total ? "--:--" : clock((long) ((total - sent) / rate));
        return String.format(
                Locale.ROOT,
                "sent %,d/%,d (%d%%)  acked %,d  failed %,d  %,.0f rec/s  elapsed %s  ETA %s",
                sent,
                total,
                total == 0 ? 100 : sent * 100 / total,
                stats.acknowledged(),
                stats.failed(),
                rate,
                clock((long) seconds),
                eta);
    }

    private void print(String line, boolean last) {
        if (terminal) {
            String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
            out.print("\r" + padded);
            if (last) {
                out.println();
            }
            lastLength = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String clock(long seconds) {
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
