package io.retailstack.localstack.engine;

import io.retailstack.localstack.Engine;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** What the engine runtimes need from the supervisor. */
public interface SupervisorContext {
    Path dir();

    long supervisorPid();

    PortAllocator ports();

    Map<Engine, Integer> configuredPorts();

    Optional<String> cassandraJavaHome();

    /** Directory holding only the EngineWatchdog class file (first entry of every Java engine's class path). */
    Path watchdogClasses();

    /** The guard.sh script that ties a native engine's life to the supervisor's. */
    Path guardScript();

    /** Directory with the unpacked native binaries. */
    Path natives();

    /** Rewrites stack.json from the current state. */
    void publish();
}
