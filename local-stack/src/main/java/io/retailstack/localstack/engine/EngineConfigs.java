package io.retailstack.localstack.engine;

import java.nio.file.Path;
import java.util.List;

/** Public view of the generated engine configurations and process recognition (for tests and tooling). */
public final class EngineConfigs {
    private EngineConfigs() {}

    public static String kafka(int port, int controllerPort, Path dataDir) {
        return KafkaRuntime.serverProperties(port, controllerPort, dataDir);
    }

    public static String cassandra(Path home, int nativePort, int storagePort) {
        return CassandraRuntime.yaml(home, nativePort, storagePort);
    }

    public static String redis(int port, Path dataDir) {
        return RedisRuntime.config(port, dataDir);
    }

    /** Whether a process with these arguments belongs to the stack in {@code stackDir} (see ProcessTools). */
    public static boolean isOurs(List<String> arguments, Path stackDir) {
        return ProcessTools.isOurs(arguments, stackDir);
    }
}
