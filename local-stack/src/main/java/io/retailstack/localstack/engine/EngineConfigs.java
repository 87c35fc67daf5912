package io.retailstack.localstack.engine;

import java.nio.file.Path;

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

    public static boolean isOurs(String commandLine, Path stackDir) {
        return ProcessTools.isOursCommandLine(commandLine, stackDir);
    }
}
