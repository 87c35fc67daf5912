package io.retailstack.localstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads, or another process's, summed by role, from {@code /proc/<pid>/task}, for the
 * services' benchmarks: unlike {@code ThreadMXBean} it also sees the JIT compiler and GC threads. They took a quarter of the HTTP side's CPU in the
 * ingest benchmark's old 100,000-event rounds, and the benchmarks now warm up until the compiler is quiet. Linux only;
 * elsewhere every figure is zero.
 */
public final class ThreadGroupCpu {

    /** HotSpot's compiler threads. */
    public static final Role JIT_COMPILER = new Role("JIT compiler", List.of("C1 CompilerThre", "C2 CompilerThre"));

    /** A role and the thread-name prefixes (as the kernel shows them, at most 15 characters) that make it up. */
    public record Role(String name, List<String> prefixes) {}

    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on every Linux the stack targets

    private final Path tasks;
    private final List<Role> roles;

    /** This JVM's threads. */
    public ThreadGroupCpu(List<Role> roles) {
        this(Path.of("/proc/self/task"), roles);
    }

    /** The threads of another process on this machine, such as an engine of the local stack. */
    public ThreadGroupCpu(long pid, List<Role> roles) {
        this(Path.of("/proc", Long.toString(pid), "task"), roles);
    }

    private ThreadGroupCpu(Path tasks, List<Role> roles) {
        this.tasks = tasks;
        this.roles = List.copyOf(roles);
    }

    /** CPU nanoseconds per thread id, now. */
    public Map<Long, Long> snapshot() {
        Map<Long, Long> ticks = new HashMap<>();
        forEachTask((tid, name, cpu) -> ticks.put(tid, cpu));
        return ticks;
    }

    /** CPU nanoseconds per role since {@code before}; threads of no role go to "other". */
    public Map<String, Long> since(Map<Long, Long> before) {
        Map<String, Long> byRole = new LinkedHashMap<>();
        roles.forEach(r -> byRole.put(r.name(), 0L));
        byRole.put("other", 0L);
        forEachTask((tid, name, cpu) -> byRole.merge(roleOf(name), cpu - before.getOrDefault(tid, 0L), Long::sum));
        return byRole;
    }

    private String roleOf(String threadName) {
        for (Role role : roles) {
            for (String prefix : role.prefixes()) {
                if (threadName.startsWith(prefix)) {
                    return role.name();
                }
            }
        }
        return "other";
    }

    private interface TaskVisitor {
        void visit(long tid, String name, long cpuNanos);
    }

    private void forEachTask(TaskVisitor visitor) {
        if (!Files.isDirectory(tasks)) {
            return;
        }
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path task : list.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (NoSuchFileException ended) {
                    continue; // the thread ended between listing and reading
                }
                // "tid (name) state ppid ...": the name may hold spaces and parentheses, so cut at the last ')'
                int close = stat.lastIndexOf(')');
                String name = stat.substring(stat.indexOf('(') + 1, close);
                String[] fields = stat.substring(close + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
                visitor.visit(Long.parseLong(task.getFileName().toString()), name, ticks * NANOS_PER_TICK);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
