package io.retailstack.localstack.cli;

import io.retailstack.localstack.Engine;
import io.retailstack.localstack.LocalStack;
import io.retailstack.localstack.StackEndpoints;
import io.retailstack.localstack.StackSettings;
import io.retailstack.localstack.StackState;
import io.retailstack.localstack.engine.Probes;
import io.retailstack.localstack.engine.ProcessTools;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stack up|down|status} - see local-stack/bin/stack. Exit codes: 0 ok, 1 failure, 3 status: not running. */
@Command(
        name = "stack",
        mixinStandardHelpOptions = true,
        description = "Runs Kafka, Cassandra, PostgreSQL and Redis as local processes for the retail stack.",
        subcommands = {StackCli.Up.class, StackCli.Down.class, StackCli.Status.class})
public final class StackCli implements Callable<Integer> {

    @Option(
            names = "--dir",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Stack directory (data, logs, stack.json). Default: $RETAIL_STACK_DIR or ./.stack")
    Path dir;

    public static void main(String[] args) {
        CommandLine cmd = new CommandLine(new StackCli());
        // a bad setting or an unusable --dir is the user's to fix: say what, without a stack trace
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            commandLine.getErr().flush();
            return 1;
        });
        System.exit(cmd.execute(args));
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    LocalStack stack() {
        StackSettings s = StackSettings.fromEnvironment();
        return LocalStack.of(dir == null ? s : s.withDir(dir));
    }

    @Command(
            name = "up",
            mixinStandardHelpOptions = true,
            description = "Starts the stack (or reuses it) and keeps it up until 'down'. Prints the endpoints.")
    static final class Up implements Callable<Integer> {
        @CommandLine.ParentCommand
        StackCli parent;

        @Override
        public Integer call() {
            LocalStack stack = parent.stack();
            long t0 = System.nanoTime();
            stack.pin();
            StackEndpoints endpoints;
            try {
                endpoints = stack.ensureUp();
            } catch (RuntimeException e) {
                stack.unpin();
                System.err.println("stack failed to start: " + e.getMessage());
                return 1;
            }
            stack.release(); // the pin keeps it up, not this short-lived CLI JVM
            System.out.printf("stack up in %d ms (dir %s)%n", (System.nanoTime() - t0) / 1_000_000, stack.dir());
            stack.status().ifPresent(s -> {
                for (Engine e : Engine.values()) {
                    s.engine(e)
                            .ifPresent(es -> System.out.printf(
                                    "  %-10s pid %-7d port %-6d last start %6d ms%n",
                                    e.id(), es.pid(), es.port(), es.lastStartMillis()));
                }
            });
            System.out.println(endpoints.describe());
            System.out.println("stop it with: local-stack/bin/stack down --dir " + stack.dir());
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stops all engines and the supervisor.")
    static final class Down implements Callable<Integer> {
        @CommandLine.ParentCommand
        StackCli parent;

        @Override
        public Integer call() {
            LocalStack stack = parent.stack();
            long t0 = System.nanoTime();
            boolean was = stack.stop();
            System.out.println(
                    was
                            ? "stack down in " + (System.nanoTime() - t0) / 1_000_000 + " ms (dir " + stack.dir() + ")"
                            : "stack was not running (dir " + stack.dir() + ")");
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Shows each engine: up/down, pid, port, RSS. Exit code 0 if all up, 3 otherwise.")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        StackCli parent;

        @Override
        public Integer call() {
            LocalStack stack = parent.stack();
            Optional<StackState> state = stack.status();
            if (state.isEmpty()) {
                System.out.println("stack is not running (dir " + stack.dir() + ")");
                return 3;
            }
            StackState s = state.get();
            System.out.printf(
                    "stack %s, supervisor pid %d (RSS %s), dir %s%n",
                    s.status(), s.supervisorPid(), mb(ProcessTools.rssKb(s.supervisorPid())), s.dir());
            boolean allUp = true;
            System.out.printf("  %-10s %-5s %-8s %-6s %10s %10s%n", "ENGINE", "UP", "PID", "PORT", "RSS", "TREE RSS");
            for (Engine e : Engine.values()) {
                StackState.EngineState es = s.engine(e).orElse(null);
                int port = es == null ? 0 : es.port();
                boolean up = es != null && Probes.probe(e, port);
                allUp &= up;
                long pid = es == null ? 0 : es.pid();
                System.out.printf(
                        "  %-10s %-5s %-8s %-6d %10s %10s%n",
                        e.id(),
                        up ? "up" : "down",
                        pid == 0 ? "-" : Long.toString(pid),
                        port,
                        pid == 0 ? "-" : mb(ProcessTools.rssKb(pid)),
                        pid == 0 ? "-" : mb(ProcessTools.treeRssKb(pid)));
            }
            if (s.endpoints() != null) {
                System.out.println(s.endpoints().describe());
            }
            return allUp ? 0 : 3;
        }

        private static String mb(long kb) {
            return kb < 0 ? "-" : String.format("%.0f MiB", kb / 1024.0);
        }
    }
}
