package io.retailstack.localstack;

import io.retailstack.localstack.engine.EngineRuntime;
import io.retailstack.localstack.engine.Probes;
import io.retailstack.localstack.engine.ProcessTools;
import io.retailstack.localstack.engine.StackSupervisor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Client of the local stack: starts it if needed, reuses it if it is already up, and controls single engines.
 *
 * <pre>{@code
 * StackEndpoints endpoints = LocalStack.fromEnvironment().ensureUp();
 * }</pre>
 *
 * <p>{@link #ensureUp()} takes a lease for this JVM (kept alive by a daemon thread, dropped at JVM exit or by
 * {@link #release()}); the supervisor shuts the stack down after the idle timeout once no lease is left. Thread-safe;
 * several JVMs may call it concurrently (serialized by a file lock on {@code stack.lock}).
 */
public final class LocalStack {
    private static final Map<Path, Lease> LEASES = new ConcurrentHashMap<>();
    private static final Object JVM_LOCK = new Object();

    private final StackSettings settings;

    private LocalStack(StackSettings settings) {
        this.settings = settings;
    }

    /** Settings from system properties / environment (see {@link StackSettings}); dir defaults to {@code ./.stack}. */
    public static LocalStack fromEnvironment() {
        return new LocalStack(StackSettings.fromEnvironment());
    }

    public static LocalStack at(Path dir) {
        return new LocalStack(StackSettings.fromEnvironment(dir));
    }

    public static LocalStack of(StackSettings settings) {
        return new LocalStack(settings);
    }

    public StackSettings settings() {
        return settings;
    }

    public Path dir() {
        return settings.dir();
    }

    /**
     * Makes sure all four engines are up and answering, and returns where they listen. Reuses a running stack (fast
     * path: one file read and four protocol pings), restarts engines stopped with {@link #stopEngine}, and recovers
     * from stale state (dead supervisor, leftover processes, half-initialized data) by cleaning up and starting anew.
     */
    public StackEndpoints ensureUp() {
        synchronized (JVM_LOCK) {
            lease().touch();
            try (FileChannel ch = FileChannel.open(
                            dir().resolve("stack.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                return ensureUpLocked();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private StackEndpoints ensureUpLocked() {
        Optional<StackState> state = liveState();
        if (state.isPresent()) {
            StackState s = state.get();
            if ("STARTING".equals(s.status())) {
                s = awaitReady(s.supervisorPid(), null);
            }
            if (s.ready() || "READY".equals(s.status())) {
                for (Engine e : Engine.values()) {
                    int port = s.engine(e).map(StackState.EngineState::port).orElse(0);
                    if (!Probes.probe(e, port)) {
                        log(e.id() + " is not answering on port " + port + "; asking the supervisor to start it");
                        control(s, "START " + e.id(), Duration.ofMinutes(4));
                    }
                }
                return s.endpoints();
            }
            // STOPPING / FAILED: wait for it to go away, then start fresh
            log("stack is " + s.status() + "; waiting for supervisor " + s.supervisorPid() + " to exit");
            ProcessHandle.of(s.supervisorPid()).ifPresent(h -> ProcessTools.waitForExit(h, Duration.ofSeconds(90)));
        }
        return startFresh();
    }

    /** stack.json whose supervisor is alive (holds supervisor.lock) and answers PING; otherwise empty. */
    private Optional<StackState> liveState() {
        Optional<StackState> state = StackState.read(dir());
        if (state.isEmpty() || !supervisorLockHeld()) {
            return Optional.empty();
        }
        StackState s = state.get();
        if (!ProcessTools.alive(s.supervisorPid())) {
            return Optional.empty();
        }
        try {
            control(s, "PING", Duration.ofSeconds(5));
            return StackState.read(dir());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True when some process holds supervisor.lock (the kernel drops it when the supervisor dies, even by SIGKILL). */
    private boolean supervisorLockHeld() {
        Path lockFile = dir().resolve(StackSupervisor.LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock probe = ch.tryLock();
            if (probe != null) {
                probe.release();
                return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private StackEndpoints startFresh() {
        cleanUpLeftovers();
        try {
            Files.createDirectories(dir().resolve("logs"));
            Files.deleteIfExists(dir().resolve(StackState.FILE_NAME));
            List<String> cmd = supervisorCommand();
            Path log = dir().resolve("logs").resolve("supervisor.log");
            Files.writeString(
                    log,
                    "\n==== " + Instant.now() + " supervisor started by pid "
                            + ProcessHandle.current().pid() + " ====\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            log("starting the stack in " + dir() + " (log: " + log + ")");
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(dir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            StackState s = awaitReady(p.pid(), log);
            log("stack ready in " + dir() + ": " + s.endpoints());
            return s.endpoints();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StackState awaitReady(long supervisorPid, Path log) {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (true) {
            Optional<StackState> s = StackState.read(dir());
            if (s.isPresent() && s.get().supervisorPid() == supervisorPid) {
                if (s.get().ready()) {
                    return s.get();
                }
                if ("FAILED".equals(s.get().status())) {
                    throw new IllegalStateException(
                            "local stack failed to start: " + s.get().error());
                }
            }
            if (!ProcessTools.alive(supervisorPid)) {
                throw new IllegalStateException("local stack supervisor " + supervisorPid + " exited before ready"
                        + (log == null ? "" : "; " + log + ":\n" + EngineRuntime.tail(log, 30)));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("local stack not ready after "
                        + settings.startTimeout().toSeconds() + " s; see " + dir().resolve("logs"));
            }
            sleep(100);
        }
    }

    /** Kills processes left over by a dead supervisor (verified by command line: stack dir + our marker). */
    private void cleanUpLeftovers() {
        List<Long> leftovers = ProcessTools.findOurs(dir());
        for (long pid : leftovers) {
            log("killing leftover process " + pid + ": " + abbreviate(ProcessTools.commandLine(pid)));
            ProcessTools.terminate(pid, "TERM", Duration.ofSeconds(10));
        }
    }

    /** java -cp <this library + its runtime deps> StackSupervisor --dir ... */
    List<String> supervisorCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xms32m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));
        cmd.add("-D" + ProcessTools.ROLE_PROPERTY + "=supervisor");
        cmd.add("-cp");
        cmd.add(libraryClasspath());
        cmd.add(StackSupervisor.class.getName());
        cmd.addAll(List.of("--dir", dir().toString()));
        cmd.addAll(List.of(
                "--idle-timeout-seconds", Long.toString(settings.idleTimeout().toSeconds())));
        settings.configuredPorts().forEach((e, port) -> cmd.addAll(List.of("--port", e.id() + "=" + port)));
        settings.cassandraJavaHome().ifPresent(h -> cmd.addAll(List.of("--cassandra-java-home", h)));
        return cmd;
    }

    /** Where this library's classes are (jar or target/classes) plus its runtime class path recorded at build time. */
    static String libraryClasspath() {
        String self;
        try {
            self = Path.of(LocalStack.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the local-stack classes", e);
        }
        return self + ":" + EngineRuntime.recordedClasspath("local-stack");
    }

    /** Stops one engine (clean shutdown; data and port are kept), e.g. to test an outage. */
    public void stopEngine(Engine engine) {
        StackState s = requireLive();
        long t0 = System.nanoTime();
        control(s, "STOP " + engine.id(), Duration.ofMinutes(2));
        log(engine.id() + " stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    /** Starts an engine stopped by {@link #stopEngine}: same port, same data. Blocks until it answers. */
    public void startEngine(Engine engine) {
        StackState s = requireLive();
        long t0 = System.nanoTime();
        control(s, "START " + engine.id(), Duration.ofMinutes(4));
        log(engine.id() + " started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    /** True when the engine answers its protocol probe right now. */
    public boolean isEngineUp(Engine engine) {
        return status().flatMap(s -> s.engine(engine))
                .map(e -> Probes.probe(engine, e.port()))
                .orElse(false);
    }

    /** The current stack.json if a live supervisor owns it. */
    public Optional<StackState> status() {
        return liveState();
    }

    /**
     * Shuts the whole stack down now (all engines cleanly, then the supervisor), whoever else uses it. Tests normally
     * call {@link #release()} instead and let the idle timeout do this. Returns false if nothing was running.
     */
    public boolean stop() {
        unpin();
        Optional<StackState> s = liveState();
        boolean wasRunning = s.isPresent();
        s.ifPresent(state -> {
            control(state, "SHUTDOWN", Duration.ofSeconds(10));
            ProcessHandle.of(state.supervisorPid()).ifPresent(h -> ProcessTools.waitForExit(h, Duration.ofMinutes(2)));
        });
        List<Long> leftovers = ProcessTools.findOurs(dir());
        if (!leftovers.isEmpty()) {
            cleanUpLeftovers();
            wasRunning = true;
        }
        return wasRunning;
    }

    /** Drops this JVM's lease; the stack stays up for the idle timeout for other users. */
    public void release() {
        Lease lease = LEASES.remove(dir());
        if (lease != null) {
            lease.close();
        }
    }

    /** Keeps the stack up without any client lease until {@link #unpin()} or {@link #stop()} (CLI {@code up}). */
    public void pin() {
        try {
            Files.createDirectories(dir().resolve(StackSupervisor.LEASE_DIR));
            Files.writeString(dir().resolve(StackSupervisor.LEASE_DIR).resolve(StackSupervisor.PINNED_LEASE), "pinned");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void unpin() {
        try {
            Files.deleteIfExists(dir().resolve(StackSupervisor.LEASE_DIR).resolve(StackSupervisor.PINNED_LEASE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StackState requireLive() {
        return liveState().orElseThrow(() -> new IllegalStateException("local stack in " + dir() + " is not running"));
    }

    /** One request/response on the supervisor's control port. */
    private static String control(StackState s, String command, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", s.controlPort()), 2000);
            socket.setSoTimeout((int) timeout.toMillis());
            PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.println(command);
            String reply = in.readLine();
            if (reply == null || !reply.startsWith("OK")) {
                throw new IllegalStateException("supervisor refused '" + command + "': " + reply);
            }
            return reply.substring(2).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("supervisor control port " + s.controlPort() + " not answering", e);
        }
    }

    private Lease lease() {
        return LEASES.computeIfAbsent(dir(), Lease::new);
    }

    private static void log(String message) {
        System.out.println("[local-stack] " + message);
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 157) + "..." : s;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** This JVM's lease file, touched every 10 s by a daemon thread and deleted at JVM exit. */
    private static final class Lease {
        private final Path file;
        private final ScheduledExecutorService heartbeat;
        private final Thread hook;

        Lease(Path dir) {
            long pid = ProcessHandle.current().pid();
            this.file = dir.resolve(StackSupervisor.LEASE_DIR).resolve(pid + "-" + System.nanoTime() + ".lease");
            touch();
            heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "local-stack-lease");
                t.setDaemon(true);
                return t;
            });
            heartbeat.scheduleAtFixedRate(this::touch, 10, 10, TimeUnit.SECONDS);
            hook = new Thread(this::delete, "local-stack-lease-release");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        void touch() {
            try {
                Files.createDirectories(file.getParent());
                if (Files.exists(file)) {
                    Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
                } else {
                    Files.writeString(
                            file, Long.toString(ProcessHandle.current().pid()));
                }
            } catch (IOException e) {
                // the stack dir was wiped; next ensureUp recreates it
            }
        }

        void delete() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // ignore
            }
        }

        void close() {
            heartbeat.shutdownNow();
            delete();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }
}
