package io.retailstack.localstack.engine;

import io.retailstack.localstack.Engine;
import io.retailstack.localstack.StackEndpoints;
import io.retailstack.localstack.StackState;
import io.retailstack.localstack.StackState.EngineState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The detached JVM that owns the engine processes of one stack directory.
 *
 * <pre>
 * java -cp &lt;local-stack + deps&gt; -Dretail.stack.role=supervisor io.retailstack.localstack.engine.StackSupervisor
 *      --dir &lt;stack dir&gt; [--idle-timeout-seconds 60] [--port kafka=21000 ...] [--cassandra-java-home /path]
 * </pre>
 *
 * <ul>
 *   <li>holds {@code supervisor.lock} for its whole life (the kernel releases it even on SIGKILL, so "lock free" means
 *       "no live supervisor");
 *   <li>starts the four engines in parallel, writes {@code stack.json} (atomically) on every state change;
 *   <li>answers a one-line protocol on 127.0.0.1:{@code controlPort}: PING, STATUS, START e, STOP e, SHUTDOWN;
 *   <li>shuts everything down cleanly once no live lease ({@code leases/*.lease}) was seen for the idle timeout;
 *       {@code leases/pinned.lease} (CLI {@code up}) disables the idle timeout.
 * </ul>
 * Engines die with the supervisor even when it is SIGKILLed: Java engines run under {@link EngineWatchdog}, native
 * ones under {@code guard.sh}.
 */
public final class StackSupervisor implements SupervisorContext {
    public static final String LOCK_FILE = "supervisor.lock";
    public static final String LEASE_DIR = "leases";
    public static final String PINNED_LEASE = "pinned.lease";
    /** A lease file not touched for this long counts as dead even if its pid lives (frozen or foreign JVM). */
    public static final Duration LEASE_STALE_AFTER = Duration.ofSeconds(45);

    private final Path dir;
    private final Duration idleTimeout;
    private final Map<Engine, Integer> configuredPorts;
    private final Optional<String> cassandraJavaHome;
    private final long pid = ProcessHandle.current().pid();
    private final long startedAt = System.currentTimeMillis();
    private final PortAllocator ports;
    private final Map<Engine, EngineRuntime> engines = new LinkedHashMap<>();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private volatile String status = "STARTING";
    private volatile String error;
    private volatile StackEndpoints endpoints;
    private ServerSocket control;

    StackSupervisor(
            Path dir, Duration idleTimeout, Map<Engine, Integer> configuredPorts, Optional<String> cassandraJavaHome) {
        this.dir = dir.toAbsolutePath().normalize();
        this.idleTimeout = idleTimeout;
        this.configuredPorts = configuredPorts;
        this.cassandraJavaHome = cassandraJavaHome;
        this.ports = new PortAllocator(this.dir.resolve("ports.properties"));
    }

    public static void main(String[] args) throws Exception {
        Path dir = null;
        Duration idle = Duration.ofSeconds(60);
        Map<Engine, Integer> configured = new EnumMap<>(Engine.class);
        Optional<String> cassandraJava = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--idle-timeout-seconds" -> idle = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--port" -> {
                    String[] kv = args[++i].split("=", 2);
                    configured.put(Engine.fromId(kv[0]), Integer.parseInt(kv[1]));
                }
                case "--cassandra-java-home" -> cassandraJava = Optional.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException("--dir is required");
        }
        Files.createDirectories(dir);
        try (FileChannel ch =
                        FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock()) {
            if (lock == null) {
                System.out.println("[supervisor] another supervisor owns " + dir + "; exiting");
                System.exit(3);
            }
            int code = new StackSupervisor(dir, idle, configured, cassandraJava).run();
            System.exit(code);
        }
    }

    int run() throws Exception {
        log("pid " + pid + ", stack dir " + dir + ", idle timeout "
                + (idleTimeout.isZero() ? "none" : idleTimeout.toSeconds() + " s") + ", java "
                + System.getProperty("java.version"));
        control = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread server = new Thread(this::serve, "control");
        server.setDaemon(true);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown("signal"), "shutdown-hook"));

        prepareSharedFiles();
        engines.put(Engine.KAFKA, new KafkaRuntime(this));
        engines.put(Engine.CASSANDRA, new CassandraRuntime(this));
        engines.put(Engine.POSTGRES, new PostgresRuntime(this));
        engines.put(Engine.REDIS, new RedisRuntime(this));
        try {
            for (EngineRuntime e : engines.values()) {
                e.allocatePorts();
            }
            endpoints = new StackEndpoints(
                    "127.0.0.1:" + engines.get(Engine.KAFKA).port(),
                    "127.0.0.1",
                    engines.get(Engine.CASSANDRA).port(),
                    CassandraRuntime.LOCAL_DATACENTER,
                    "127.0.0.1",
                    engines.get(Engine.POSTGRES).port(),
                    PostgresRuntime.DATABASE,
                    PostgresRuntime.USER,
                    PostgresRuntime.password(dir),
                    "127.0.0.1",
                    engines.get(Engine.REDIS).port());
            publish();
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(engines.size());
            List<Future<?>> starts = new ArrayList<>();
            for (EngineRuntime e : engines.values()) {
                starts.add(pool.submit(() -> {
                    e.start();
                    return null;
                }));
            }
            List<String> failures = new ArrayList<>();
            for (Future<?> f : starts) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException ex) {
                    failures.add(String.valueOf(ex.getCause().getMessage()));
                }
            }
            pool.shutdown();
            if (!failures.isEmpty()) {
                throw new IllegalStateException(String.join("\n", failures));
            }
            status = "READY";
            log("all engines ready in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            publish();
        } catch (Exception e) {
            error = e.getMessage();
            status = "FAILED";
            log("start failed: " + e.getMessage());
            publish();
            shutdown("start failure");
            return 1;
        }
        monitor();
        shutdown("idle");
        return 0;
    }

    private void monitor() throws InterruptedException {
        long lastLease = System.nanoTime();
        while (!shuttingDown.get()) {
            Thread.sleep(1000);
            engines.values().forEach(EngineRuntime::check);
            if (idleTimeout.isZero() || hasLiveLease()) {
                lastLease = System.nanoTime();
            } else if (System.nanoTime() - lastLease > idleTimeout.toNanos()) {
                log("no live lease for " + idleTimeout.toSeconds() + " s");
                return;
            }
        }
    }

    /** Any pinned lease, or a lease whose pid lives and whose file was touched recently. Deletes dead leases. */
    boolean hasLiveLease() {
        Path leases = dir.resolve(LEASE_DIR);
        boolean live = false;
        try (var files = Files.list(leases)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".lease")).toList()) {
                if (f.getFileName().toString().equals(PINNED_LEASE)) {
                    live = true;
                    continue;
                }
                try {
                    long holder = Long.parseLong(Files.readString(f).trim());
                    long age = System.currentTimeMillis()
                            - Files.getLastModifiedTime(f).toMillis();
                    if (ProcessTools.alive(holder) && age < LEASE_STALE_AFTER.toMillis()) {
                        live = true;
                    } else if (!ProcessTools.alive(holder)) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException | NumberFormatException e) {
                    // being written right now: count as live
                    live = true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return live;
    }

    void shutdown(String reason) {
        if (!shuttingDown.compareAndSet(false, true)) {
            // another thread is stopping the engines: never let the JVM exit before they are down
            try {
                stopped.await(3, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        log("shutting down (" + reason + ")");
        if (!"FAILED".equals(status)) {
            status = "STOPPING";
        }
        publish();
        List<Thread> stoppers = new ArrayList<>();
        for (EngineRuntime e : engines.values()) {
            Thread t = new Thread(e::stop, "stop-" + e.engine().id());
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join(60_000);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (!"FAILED".equals(status)) {
            status = "STOPPED";
        }
        publish();
        log("stopped");
        stopped.countDown();
    }

    private void serve() {
        while (!control.isClosed()) {
            try {
                Socket s = control.accept();
                Thread t = new Thread(() -> handle(s), "control-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket s) {
        try (s;
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (line == null) {
                return;
            }
            String[] cmd = line.trim().split("\\s+");
            try {
                switch (cmd[0].toUpperCase(java.util.Locale.ROOT)) {
                    case "PING" -> out.println("OK " + pid);
                    case "STATUS" -> out.println("OK " + state().toJson().replace('\n', ' '));
                    case "STOP" -> {
                        runtime(cmd).stop();
                        out.println("OK");
                    }
                    case "START" -> {
                        checkNotShuttingDown();
                        runtime(cmd).start();
                        out.println("OK");
                    }
                    case "SHUTDOWN" -> {
                        out.println("OK");
                        out.flush();
                        Thread t = new Thread(() -> {
                            shutdown("requested");
                            System.exit(0);
                        });
                        t.start();
                    }
                    default -> out.println("ERR unknown command " + cmd[0]);
                }
            } catch (Exception e) {
                out.println("ERR " + String.valueOf(e.getMessage()).replace('\n', ' '));
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private void checkNotShuttingDown() {
        if (shuttingDown.get()) {
            throw new IllegalStateException("supervisor is shutting down");
        }
    }

    private EngineRuntime runtime(String[] cmd) {
        if (cmd.length < 2) {
            throw new IllegalArgumentException("engine missing");
        }
        return engines.get(Engine.fromId(cmd[1]));
    }

    StackState state() {
        Map<String, EngineState> es = new LinkedHashMap<>();
        engines.forEach((k, v) -> es.put(k.id(), v.snapshot()));
        return new StackState(
                dir.toString(),
                status,
                pid,
                control == null ? 0 : control.getLocalPort(),
                startedAt,
                System.currentTimeMillis(),
                es,
                endpoints,
                error);
    }

    @Override
    public synchronized void publish() {
        state().write(dir);
    }

    private void prepareSharedFiles() throws IOException {
        // EngineWatchdog alone in its own class directory: the only local-stack class a Java engine ever sees.
        String resource = EngineWatchdog.class.getName().replace('.', '/') + ".class";
        Path target = watchdogClasses().resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = StackSupervisor.class.getClassLoader().getResourceAsStream(resource)) {
            Files.write(target, in.readAllBytes());
        }
        try (InputStream in = StackSupervisor.class.getResourceAsStream("guard.sh")) {
            Files.createDirectories(guardScript().getParent());
            Files.write(guardScript(), in.readAllBytes());
        }
        Files.createDirectories(dir.resolve(LEASE_DIR));
    }

    private void log(String message) {
        System.out.println("[supervisor] " + java.time.LocalTime.now() + " " + message);
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public long supervisorPid() {
        return pid;
    }

    @Override
    public PortAllocator ports() {
        return ports;
    }

    @Override
    public Map<Engine, Integer> configuredPorts() {
        return configuredPorts;
    }

    @Override
    public Optional<String> cassandraJavaHome() {
        return cassandraJavaHome;
    }

    @Override
    public Path watchdogClasses() {
        return dir.resolve("engines").resolve("watchdog-classes");
    }

    @Override
    public Path guardScript() {
        return dir.resolve("engines").resolve("guard.sh");
    }

    @Override
    public Path natives() {
        return dir.resolve("engines");
    }
}
