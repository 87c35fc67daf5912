package io.retailstack.localstack.engine;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports of the stack, persisted in {@code ports.properties} so an engine comes back on the same port after a restart.
 *
 * <p>Fresh ports are drawn from 20000-29999, below Linux's ephemeral range (32768-60999): a port from the ephemeral
 * range could be taken by some outgoing connection while its engine is stopped for an outage test.
 */
public final class PortAllocator {
    static final int LOW = 20000;
    static final int HIGH = 30000;

    private final Path file;
    private final Properties ports = new Properties();
    private final Set<Integer> taken = new HashSet<>();

    public PortAllocator(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                ports.load(r);
            } catch (IOException e) {
                // corrupt: start afresh
            }
        }
    }

    /**
     * The port for {@code key}: the configured one if given (must be free), else the persisted one if still free, else
     * a new free one. Persists the choice.
     */
    public synchronized int port(String key, Integer configured) {
        int port;
        if (configured != null && configured > 0) {
            if (!bindable(configured)) {
                throw new IllegalStateException(
                        "configured port " + configured + " for " + key + " is in use by another process on 127.0.0.1");
            }
            port = configured;
        } else {
            String saved = ports.getProperty(key);
            int previous = saved == null ? -1 : Integer.parseInt(saved.trim());
            if (previous > 0 && !taken.contains(previous) && bindable(previous)) {
                port = previous;
            } else {
                if (previous > 0) {
                    System.out.println("[supervisor] port " + previous + " of " + key
                            + " is taken by another process; choosing a new one");
                }
                port = freePort();
            }
        }
        taken.add(port);
        ports.setProperty(key, Integer.toString(port));
        save();
        return port;
    }

    public synchronized Map<String, String> snapshot() {
        Map<String, String> m = new java.util.TreeMap<>();
        ports.forEach((k, v) -> m.put(k.toString(), v.toString()));
        return m;
    }

    int freePort() {
        for (int i = 0; i < 500; i++) {
            int candidate = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (!taken.contains(candidate)
                    && !ports.containsValue(Integer.toString(candidate))
                    && bindable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free port in " + LOW + "-" + HIGH);
    }

    public static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp)) {
                ports.store(w, "ports of the local stack; delete to choose new ones at the next start");
            }
            Files.move(
                    tmp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
