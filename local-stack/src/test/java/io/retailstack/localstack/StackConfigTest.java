package io.retailstack.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retailstack.localstack.engine.EngineConfigs;
import io.retailstack.localstack.engine.PortAllocator;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pure logic: generated configuration, port choice and persistence, recognizing our own processes. */
class StackConfigTest {

    @Test
    void kafkaConfigIsASingleKraftNodeOnLoopback() {
        String props = EngineConfigs.kafka(21000, 21001, Path.of("/s/kafka/data"));
        assertThat(props)
                .contains("process.roles=broker,controller")
                .contains("controller.quorum.voters=1@127.0.0.1:21001")
                .contains("listeners=PLAINTEXT://127.0.0.1:21000,CONTROLLER://127.0.0.1:21001")
                .contains("auto.create.topics.enable=true")
                .contains("num.partitions=3")
                .contains("offsets.topic.replication.factor=1")
                .contains("transaction.state.log.replication.factor=1")
                .contains("group.initial.rebalance.delay.ms=0");
    }

    @Test
    void cassandraYamlKeepsEverythingUnderTheStackDir() {
        String yaml = EngineConfigs.cassandra(Path.of("/s/cassandra"), 22000, 22001);
        assertThat(yaml)
                .contains("native_transport_port: 22000")
                .contains("storage_port: 22001")
                .contains("seeds: \"127.0.0.1:22001\"")
                .contains("listen_address: 127.0.0.1")
                .contains("endpoint_snitch: SimpleSnitch")
                .contains("authenticator: AllowAllAuthenticator")
                .contains("  - /s/cassandra/data")
                .contains("commitlog_directory: /s/cassandra/commitlog");
    }

    @Test
    void redisConfigBindsLoopbackWithoutPersistence() {
        assertThat(EngineConfigs.redis(23000, Path.of("/s/redis/data")))
                .contains("bind 127.0.0.1")
                .contains("port 23000")
                .contains("save \"\"")
                .contains("appendonly no")
                .contains("set-proc-title no");
    }

    @Test
    void portsArePersistedAndReused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ports.properties");
        int kafka = new PortAllocator(file).port("kafka", null);
        assertThat(kafka).isBetween(20000, 29999);
        assertThat(new PortAllocator(file).port("kafka", null)).isEqualTo(kafka);
        PortAllocator two = new PortAllocator(file);
        assertThat(two.port("redis", null)).isNotEqualTo(kafka);
        assertThat(Files.readString(file)).contains("kafka=" + kafka);
    }

    @Test
    void aConfiguredPortWins(@TempDir Path dir) {
        int free = new PortAllocator(dir.resolve("x")).port("probe", null);
        assertThat(new PortAllocator(dir.resolve("ports.properties")).port("redis", free))
                .isEqualTo(free);
    }

    @Test
    void onlyProcessesWithOurMarkersInThisDirAreOurs() {
        Path dir = Path.of("/work/main/.stack");
        assertThat(ours(dir, "java", "-Dretail.stack.role=kafka", "-Dretail.stack.dir=/work/main/.stack", "-cp", "x"))
                .isTrue();
        assertThat(ours(dir, "java", "-Dretail.stack.role=supervisor", "StackSupervisor", "--dir", "/work/main/.stack"))
                .isTrue();
        assertThat(ours(
                        dir,
                        "java",
                        "-Dcassandra.config=file:///work/main/.stack/cassandra/cassandra.yaml",
                        "-Dretail.stack.role=cassandra"))
                .isTrue();
        assertThat(ours(
                        dir,
                        "/work/main/.stack/engines/postgres-17/bin/postgres",
                        "-D",
                        "/work/main/.stack/postgres/data"))
                .isTrue();
        assertThat(ours(dir, "su", "postgres", "-c", "/pg/bin/postgres -D /work/main/.stack/postgres/data -p 5432"))
                .isTrue();
        assertThat(ours(dir, "/x/redis-server", "/work/main/.stack/redis/redis.conf"))
                .isTrue();
        // Maven or a CLI JVM that merely knows the dir, another stack dir, a dead pid
        assertThat(ours(
                        dir,
                        "java",
                        "-Dretail.stack.dir=/work/main/.stack",
                        "org.codehaus.plexus.classworlds.launcher.Launcher"))
                .isFalse();
        assertThat(ours(dir, "java", "-Dretail.stack.role=kafka", "-Dretail.stack.dir=/tmp/other"))
                .isFalse();
        assertThat(ours(dir)).isFalse();
    }

    @Test
    void aStackDirDoesNotClaimAnotherWhosePathStartsTheSame() {
        // `stack down --dir /tmp/stack` must leave the stack of /tmp/stack-ingest running
        Path dir = Path.of("/tmp/stack");
        assertThat(ours(dir, "java", "-Dretail.stack.role=kafka", "-Dretail.stack.dir=/tmp/stack-ingest"))
                .isFalse();
        assertThat(ours(dir, "java", "-Dretail.stack.role=supervisor", "--dir", "/tmp/stack-ingest"))
                .isFalse();
        assertThat(ours(
                        dir,
                        "sh",
                        "/tmp/stack-ingest/engines/guard.sh",
                        "42",
                        "TERM",
                        "/tmp/stack-ingest/redis/redis.conf"))
                .isFalse();
        assertThat(ours(dir, "java", "-Dretail.stack.role=kafka", "-Dretail.stack.dir=/x/tmp/stack"))
                .isFalse();
        assertThat(ours(dir, "java", "-Dretail.stack.role=kafka", "-Dretail.stack.dir=/tmp/stack"))
                .isTrue();
    }

    private static boolean ours(Path dir, String... arguments) {
        return EngineConfigs.isOurs(List.of(arguments), dir);
    }

    @Test
    void deadPidsAreNotAlive() {
        assertThat(io.retailstack.localstack.engine.ProcessTools.alive(
                        ProcessHandle.current().pid()))
                .isTrue();
        assertThat(io.retailstack.localstack.engine.ProcessTools.alive(Integer.MAX_VALUE - 7))
                .isFalse();
    }

    @Test
    void quarkusConfigGivesTheNeutralKeysAndNoExtensionKeys() {
        StackEndpoints e = new StackEndpoints(
                "127.0.0.1:1", "127.0.0.1", 2, "datacenter1", "127.0.0.1", 3, "retail", "retail", "pw", "127.0.0.1", 4);
        Map<String, String> c = LocalStackTestResource.config(e);
        assertThat(c)
                .containsEntry("kafka.bootstrap.servers", "127.0.0.1:1")
                .containsEntry("retail.stack.kafka.bootstrap-servers", "127.0.0.1:1")
                .containsEntry("retail.stack.cassandra.contact-point", "127.0.0.1:2")
                .containsEntry("retail.stack.cassandra.local-datacenter", "datacenter1")
                .containsEntry("retail.stack.postgres.jdbc-url", "jdbc:postgresql://127.0.0.1:3/retail")
                .containsEntry("retail.stack.postgres.username", "retail")
                .containsEntry("retail.stack.postgres.password", "pw")
                .containsEntry("retail.stack.redis.host", "127.0.0.1")
                .containsEntry("retail.stack.redis.port", "4");
        // a service without an extension would warn about its keys at every start ("Unrecognized configuration key")
        assertThat(c.keySet()).noneMatch(key -> key.startsWith("quarkus."));
    }

    @Test
    void aSettingThatIsNotANumberIsNamedWithItsVariable() {
        System.setProperty("retail.stack.kafka.port", "kafka");
        try {
            assertThatThrownBy(() -> StackSettings.fromEnvironment(Path.of("/s")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "retail.stack.kafka.port (RETAIL_STACK_KAFKA_PORT) must be a whole number, got 'kafka'");
            System.setProperty("retail.stack.kafka.port", "70000");
            assertThatThrownBy(() -> StackSettings.fromEnvironment(Path.of("/s")))
                    .hasMessageContaining("must be a port number (1-65535), got 70000");
        } finally {
            System.clearProperty("retail.stack.kafka.port");
        }
    }
}
