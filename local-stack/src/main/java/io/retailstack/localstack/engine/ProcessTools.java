package io.retailstack.localstack.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Linux process helpers: command lines, RSS, "is this pid one of ours", termination. */
public final class ProcessTools {
    /** JVM engines and the supervisor carry {@code -Dretail.stack.role=<role>} in their command line. */
    public static final String ROLE_PROPERTY = "retail.stack.role";

    private ProcessTools() {}

    public static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The NUL-separated /proc/pid/cmdline joined with spaces, empty if the process is gone. */
    public static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** The arguments of a process as the kernel holds them (/proc/pid/cmdline, NUL-separated), empty if gone. */
    static List<String> arguments(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            String all = new String(raw, StandardCharsets.UTF_8);
            return all.isEmpty() ? List.of() : List.of(all.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * A process belongs to the stack in {@code dir} when one of its arguments names the stack directory (the
     * directory itself or a path inside it, not merely a path that starts with the same text: {@code /tmp/stack}
     * must not claim the processes of {@code /tmp/stack-ingest}) and it carries one of our markers: the role property
     * (supervisor, JVM engines), or an engine config under the stack dir (postgres -D dir/postgres/data, redis-server
     * dir/redis/redis.conf, guard script). A Maven or CLI JVM that merely received {@code -Dretail.stack.dir=dir}
     * does not match.
     */
    public static boolean isOurs(long pid, Path dir) {
        return isOurs(arguments(pid), dir);
    }

    static boolean isOurs(List<String> args, Path dir) {
        String d = dir.toAbsolutePath().normalize().toString();
        boolean named = false;
        boolean marked = false;
        for (String arg : args) {
            named |= namesPathIn(arg, d);
            marked |= arg.startsWith("-D" + ROLE_PROPERTY + "=")
                    || namesPathIn(arg, d + "/postgres/data")
                    || namesPathIn(arg, d + "/redis/redis.conf")
                    || namesPathIn(arg, d + "/engines/guard.sh");
        }
        return named && marked;
    }

    /**
     * Whether {@code arg} names {@code dir} or a path inside it: the text of {@code dir}, preceded by the start, '=',
     * ':', '/' or a space (as in {@code -Dx=dir}, {@code file://dir}, a command given to a shell as one argument)
     * and followed by the end, '/' or a space.
     */
    static boolean namesPathIn(String arg, String dir) {
        for (int i = arg.indexOf(dir); i >= 0; i = arg.indexOf(dir, i + 1)) {
            int end = i + dir.length();
            boolean startOk = i == 0 || "=:/ ".indexOf(arg.charAt(i - 1)) >= 0;
            boolean endOk = end == arg.length() || "/ ".indexOf(arg.charAt(end)) >= 0;
            if (startOk && endOk) {
                return true;
            }
        }
        return false;
    }

    /** All live processes (other than this JVM) that belong to the stack in {@code dir}. */
    public static List<Long> findOurs(Path dir) {
        long self = ProcessHandle.current().pid();
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString())
                    .filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .filter(pid -> pid != self && isOurs(pid, dir))
                    .forEach(pids::add);
        } catch (IOException e) {
            // no /proc: nothing we can verify, nothing we kill
        }
        return pids;
    }

    /** VmRSS in KiB from /proc/pid/status, or -1. */
    public static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        return -1;
    }

    /** RSS of the process plus all its descendants (PostgreSQL forks a backend per connection), in KiB. */
    public static long treeRssKb(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return -1;
        }
        long total = Math.max(0, rssKb(pid));
        for (ProcessHandle d : (Iterable<ProcessHandle>) h.get().descendants()::iterator) {
            total += Math.max(0, rssKb(d.pid()));
        }
        return total;
    }

    /** Sends a signal with kill(1) (Java can only send TERM and KILL itself). */
    public static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Signal, wait up to {@code grace}, then SIGKILL the process and its descendants. True if it had to be killed. */
    public static boolean terminate(long pid, String signal, Duration grace) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        List<ProcessHandle> descendants = h.get().descendants().toList();
        if ("TERM".equals(signal)) {
            h.get().destroy();
        } else {
            signal(pid, signal);
        }
        if (waitForExit(h.get(), grace)) {
            descendants.forEach(ProcessHandle::destroyForcibly);
            return false;
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        h.get().destroyForcibly();
        waitForExit(h.get(), Duration.ofSeconds(5));
        return true;
    }

    public static boolean waitForExit(ProcessHandle h, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (h.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !h.isAlive();
            }
        }
        return !h.isAlive();
    }

    /** uid of this process (0 = root), from /proc/self/status. */
    public static int currentUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "root".equals(System.getProperty("user.name")) ? 0 : 1000;
    }
}
