package io.retailstack.localstack.engine;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of the Java engines (Kafka, Cassandra): {@code EngineWatchdog <supervisorPid> <realMainClass> args...}.
 *
 * <p>Starts a daemon thread that waits for the supervisor process to exit and then exits this JVM (running the
 * engine's own shutdown hooks for a clean stop, with a hard halt after 20 s), then invokes the real main. So an engine
 * never outlives a supervisor that was SIGKILLed.
 *
 * <p>This class must stay dependency-free and must not have nested or anonymous classes: the supervisor copies its
 * single class file into the stack directory and puts that directory first on the engine's class path, so none of
 * local-stack's other classes or dependencies reach the engine.
 */
public final class EngineWatchdog {
    private EngineWatchdog() {}

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: EngineWatchdog <supervisorPid> <mainClass> [args...]");
            System.exit(2);
        }
        long supervisorPid = Long.parseLong(args[0]);
        ProcessHandle supervisor = ProcessHandle.of(supervisorPid).orElse(null);
        if (supervisor == null || !supervisor.isAlive()) {
            System.err.println("[watchdog] supervisor " + supervisorPid + " is gone; not starting " + args[1]);
            System.exit(3);
        }
        Thread watcher = new Thread(
                () -> {
                    supervisor.onExit().join();
                    System.err.println("[watchdog] supervisor " + supervisorPid + " exited; stopping " + args[1]);
                    Thread halter = new Thread(
                            () -> {
                                try {
                                    Thread.sleep(20_000);
                                } catch (InterruptedException ignored) {
                                    // halt anyway
                                }
                                Runtime.getRuntime().halt(4);
                            },
                            "retail-stack-halter");
                    halter.setDaemon(true);
                    halter.start();
                    System.exit(0);
                },
                "retail-stack-watchdog");
        watcher.setDaemon(true);
        watcher.start();

        Class<?> main = Class.forName(args[1], true, EngineWatchdog.class.getClassLoader());
        Method m = main.getMethod("main", String[].class);
        try {
            m.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
