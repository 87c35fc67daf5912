package io.retailstack.localstack;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * Content of {@code <stack dir>/stack.json}, written atomically by the supervisor on every state change.
 *
 * @param status STARTING, READY, FAILED or STOPPED
 * @param supervisorPid pid of the supervisor JVM that owns the engines
 * @param controlPort 127.0.0.1 port of the supervisor's line protocol (STATUS, START e, STOP e, SHUTDOWN)
 * @param engines per-engine state keyed by {@link Engine#id()}
 * @param endpoints where to connect (null until the first READY)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StackState(
        String dir,
        String status,
        long supervisorPid,
        int controlPort,
        long startedAtMillis,
        long updatedAtMillis,
        Map<String, EngineState> engines,
        StackEndpoints endpoints,
        String error) {

    public static final String FILE_NAME = "stack.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param state UP, DOWN (stopped on request), STARTING, FAILED
     * @param pid pid of the engine's main process (0 when not running)
     * @param port client port
     * @param internalPorts other ports the engine binds (Kafka controller, Cassandra storage)
     * @param lastStartMillis how long the last start took until the readiness probe answered
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EngineState(
            String state,
            long pid,
            int port,
            Map<String, Integer> internalPorts,
            long lastStartMillis,
            String log,
            String error) {}

    public boolean ready() {
        return "READY".equals(status);
    }

    public Optional<EngineState> engine(Engine engine) {
        return Optional.ofNullable(engines == null ? null : engines.get(engine.id()));
    }

    public static Optional<StackState> read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), StackState.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // Half-written or foreign file: treat as absent (it is only ever replaced atomically by us).
            return Optional.empty();
        }
    }

    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(FILE_NAME + ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(this));
            Files.move(
                    tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE_NAME), e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
