package io.retailstack.localstack.engine;

import io.retailstack.localstack.Engine;
import io.retailstack.localstack.StackState.EngineState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** One engine as run by the supervisor: layout under {@code <stack dir>/<engine>}, configuration, start and stop. */
public abstract class EngineRuntime {
    protected final Engine engine;
    protected final SupervisorContext ctx;
    protected final Path home;
    protected final Path logFile;

    protected int port;
    protected final Map<String, Integer> internalPorts = new LinkedHashMap<>();

    private volatile Process process;
    private volatile String state = "DOWN";
    private volatile String error;
    private volatile long lastStartMillis;
    private volatile boolean stopRequested;

    protected EngineRuntime(Engine engine, SupervisorContext ctx) {
        this.engine = engine;
        this.ctx = ctx;
        this.home = ctx.dir().resolve(engine.id());
        this.logFile = ctx.dir().resolve("logs").resolve(engine.id() + ".log");
    }

    public Engine engine() {
        return engine;
    }

    public int port() {
        return port;
    }

    /** Chooses the ports (once per supervisor life, so restarts keep them). */
    public abstract void allocatePorts();

    /** One-time initialization of an empty home (format storage, initdb...). */
    protected abstract void initialize() throws Exception;

    /** (Re)writes configuration files; called before every start. */
    protected abstract void configure() throws Exception;

    protected abstract List<String> command() throws Exception;

    protected Map<String, String> environment() {
        return Map.of();
    }

    protected String stopSignal() {
        return "TERM";
    }

    protected Duration readyTimeout() {
        return Duration.ofSeconds(120);
    }

    protected Duration stopGrace() {
        return Duration.ofSeconds(30);
    }

    private Path marker() {
        return home.resolve(".initialized");
    }

    /** Starts the engine and blocks until its protocol probe answers. */
    public synchronized void start() throws Exception {
        if (running() && Probes.probe(engine, port)) {
            state = "UP";
            return;
        }
        stopRequested = false;
        state = "STARTING";
        error = null;
        ctx.publish();
        long t0 = System.nanoTime();
        try {
            if (!Files.exists(marker())) {
                if (Files.exists(home)) {
                    log("no initialized marker in " + home + ": wiping the half-initialized data");
                    deleteTree(home);
                }
                Files.createDirectories(home);
                initialize();
            }
            configure();
            Files.createDirectories(logFile.getParent());
            Files.writeString(
                    logFile,
                    "\n==== " + java.time.Instant.now() + " starting " + engine.id() + " ====\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(command())
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(environment());
            process = pb.start();
            long deadline = System.nanoTime() + readyTimeout().toNanos();
            while (!Probes.probe(engine, port)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(engine.id() + " exited with code " + process.exitValue()
                            + " during start; see " + logFile + ":\n" + tail(logFile, 25));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(engine.id() + " not ready after "
                            + readyTimeout().toSeconds() + " s; see " + logFile + ":\n" + tail(logFile, 25));
                }
                Thread.sleep(100);
            }
            if (!Files.exists(marker())) {
                Files.writeString(marker(), java.time.Instant.now().toString());
            }
            lastStartMillis = (System.nanoTime() - t0) / 1_000_000;
            state = "UP";
            log("ready on 127.0.0.1:" + port + " (pid " + process.pid() + ") in " + lastStartMillis + " ms");
        } catch (Exception e) {
            state = "FAILED";
            error = e.getMessage();
            Process p = process;
            if (p != null && p.isAlive()) {
                ProcessTools.terminate(p.pid(), "KILL", Duration.ZERO);
            }
            throw e;
        } finally {
            ctx.publish();
        }
    }

    /** Stops the engine cleanly (signal, then SIGKILL after the grace period). Data and port are kept. */
    public synchronized void stop() {
        stopRequested = true;
        Process p = process;
        if (p != null && p.isAlive()) {
            state = "STOPPING";
            ctx.publish();
            long t0 = System.nanoTime();
            boolean killed = ProcessTools.terminate(p.pid(), stopSignal(), stopGrace());
            log("stopped (pid " + p.pid() + ") in " + (System.nanoTime() - t0) / 1_000_000 + " ms"
                    + (killed ? " - had to SIGKILL" : ""));
        }
        state = "DOWN";
        ctx.publish();
    }

    /** Called periodically: notices an engine that died on its own. */
    public void check() {
        Process p = process;
        if ("UP".equals(state) && p != null && !p.isAlive() && !stopRequested) {
            state = "FAILED";
            error = engine.id() + " exited unexpectedly with code " + p.exitValue() + "; see " + logFile;
            log(error);
            ctx.publish();
        }
    }

    public boolean running() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public EngineState snapshot() {
        Process p = process;
        return new EngineState(
                state,
                p != null && p.isAlive() ? p.pid() : 0,
                port,
                Map.copyOf(internalPorts),
                lastStartMillis,
                logFile.toString(),
                error);
    }

    protected void log(String message) {
        System.out.println("[supervisor] " + java.time.LocalTime.now() + " " + engine.id() + ": " + message);
    }

    /** Runs a short-lived helper process to completion (initdb, storage format...), output into the engine log. */
    protected void runToCompletion(List<String> cmd, Path stdin, Duration timeout) throws Exception {
        Files.createDirectories(logFile.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().putAll(environment());
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    "failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + tail(logFile, 25));
        }
    }

    protected List<String> javaCommand(
            String javaHome, List<String> jvmOptions, String classpath, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(javaHome, "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-D" + ProcessTools.ROLE_PROPERTY + "=" + engine.id());
        cmd.add("-Dretail.stack.dir=" + ctx.dir());
        cmd.add("-cp");
        cmd.add(ctx.watchdogClasses() + ":" + classpath);
        cmd.add(EngineWatchdog.class.getName());
        cmd.add(Long.toString(ctx.supervisorPid()));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Reads a class path recorded at build time by one of the *-classpath modules. */
    public static String recordedClasspath(String name) {
        String resource = "META-INF/retail-stack/" + name + ".classpath";
        try (InputStream in = EngineRuntime.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " not found on the class path; build local-stack with"
                        + " its *-classpath modules (./mvnw -pl local-stack -am install)");
            }
            String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            for (String entry : cp.split(":")) {
                if (!entry.isBlank() && !Files.exists(Path.of(entry))) {
                    throw new IllegalStateException("class path entry " + entry + " of " + name
                            + " is missing; rebuild local-stack (./mvnw -pl local-stack -am install)");
                }
            }
            return cp;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
