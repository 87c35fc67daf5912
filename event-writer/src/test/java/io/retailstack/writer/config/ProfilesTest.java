package io.retailstack.writer.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import io.quarkus.runtime.configuration.DurationConverter;
import io.retailstack.writer.messaging.KafkaSetup;
import io.retailstack.writer.persistence.CassandraConnector;
import io.retailstack.writer.persistence.ThrottlingRetryPolicy;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The Cosmos DB and Event Hubs profiles of application.properties turn into the intended client settings. */
class ProfilesTest {

    private static WriterConfig load(String profile, Map<String, String> env) throws IOException {
        URL url = ProfilesTest.class.getClassLoader().getResource("application.properties");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withProfile(profile)
                .withMapping(WriterConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(url, 250))
                .withSources(new PropertiesConfigSource(env, "env", 300))
                .build();
        return config.getConfigMapping(WriterConfig.class);
    }

    @Test
    void shouldConfigureCosmosDbAsAzureRecommends() throws IOException {
        WriterConfig config = load(
                "cosmos",
                Map.of(
                        "COSMOS_CASSANDRA_HOST", "acct.cassandra.example",
                        "COSMOS_CASSANDRA_REGION", "West Europe",
                        "COSMOS_CASSANDRA_USERNAME", "acct",
                        "COSMOS_CASSANDRA_PASSWORD", "secret"));
        WriterConfig.Cassandra c = config.cassandra();
        assertThat(c.contactPoints()).containsExactly("acct.cassandra.example:10350");
        assertThat(c.localDatacenter()).isEqualTo("West Europe");
        assertThat(c.ssl()).isTrue();
        assertThat(c.schema().apply()).isFalse();
        assertThat(c.combineEventTables()).isFalse();
        assertThat(c.readPartitionsPerQuery()).isEqualTo(1);
        assertThat(c.maxBatchStatements()).isEqualTo(40);
        assertThat(c.maxBatchBytes()).isEqualTo(32000);

        try (DriverConfigLoader loader = CassandraConnector.configLoader(c)) {
            DriverExecutionProfile p = loader.getInitialConfig().getDefaultProfile();
            assertThat(p.getString(DefaultDriverOption.PROTOCOL_VERSION)).isEqualTo("V4");
            assertThat(p.getBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED))
                    .isFalse();
            assertThat(p.getBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED))
                    .isFalse();
            assertThat(p.getBoolean(DefaultDriverOption.SOCKET_KEEP_ALIVE)).isTrue();
            assertThat(p.getDuration(DefaultDriverOption.REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(60));
            assertThat(p.getString(DefaultDriverOption.RETRY_POLICY_CLASS))
                    .isEqualTo(ThrottlingRetryPolicy.class.getName());
            assertThat(p.getString(DefaultDriverOption.SSL_ENGINE_FACTORY_CLASS))
                    .endsWith("DefaultSslEngineFactory");
            assertThat(p.getString(DefaultDriverOption.AUTH_PROVIDER_USER_NAME)).isEqualTo("acct");
            assertThat(p.getString(DefaultDriverOption.LOAD_BALANCING_LOCAL_DATACENTER))
                    .isEqualTo("West Europe");
        }
    }

    @Test
    void shouldConfigureEventHubsAsMicrosoftRecommends() throws IOException {
        WriterConfig config = load(
                "eventhubs",
                Map.of(
                        "EVENTHUBS_BOOTSTRAP_SERVERS", "ns.example:9093",
                        "EVENTHUBS_CONNECTION_STRING",
                                "Endpoint=sb://ns.example/;SharedAccessKeyName=k;SharedAccessKey=v"));
        Properties consumer = KafkaSetup.consumerProperties(config.kafka(), "event-writer");
        assertThat(consumer.getProperty("bootstrap.servers")).isEqualTo("ns.example:9093");
        assertThat(consumer.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(consumer.getProperty("sasl.mechanism")).isEqualTo("PLAIN");
        assertThat(consumer.getProperty("sasl.jaas.config"))
                .contains("username=\"$ConnectionString\"")
                .contains("password=\"Endpoint=sb://ns.example/;SharedAccessKeyName=k;SharedAccessKey=v\"");
        assertThat(consumer.getProperty("session.timeout.ms")).isEqualTo("30000");
        assertThat(consumer.getProperty("request.timeout.ms")).isEqualTo("60000");
        assertThat(consumer.getProperty("metadata.max.age.ms")).isEqualTo("180000");
        assertThat(consumer.getProperty("connections.max.idle.ms")).isEqualTo("180000");
        assertThat(consumer.getProperty("max.poll.interval.ms")).isEqualTo("300000");
        assertThat(consumer.getProperty("enable.auto.commit")).isEqualTo("false");
        Properties producer = KafkaSetup.producerProperties(config.kafka());
        assertThat(producer.getProperty("enable.idempotence")).isEqualTo("false");
        assertThat(producer.getProperty("acks")).isEqualTo("all");
        assertThat(config.kafka().createTopics()).isFalse();
    }

    @Test
    void shouldApplyTheSchemaLocally() throws IOException {
        WriterConfig config = load("prod", Map.of());
        assertThat(config.cassandra().schema().apply()).isTrue();
        assertThat(config.cassandra().schema().files())
                .containsExactly(
                        "V001__event_store.cql", "V002__event_outcome.cql", "V003__order_state_by_aggregate.cql");
        assertThat(KafkaSetup.consumerProperties(config.kafka(), "g").getProperty("max.poll.records"))
                .isEqualTo("20000");
    }

    @Test
    void shouldCreateTopicsOnlyWhereNobodyElseOwnsThem() throws IOException {
        assertThat(load("prod", Map.of()).kafka().createTopics())
                .as("prod on plain Kafka: the platform owns its topics")
                .isFalse();
        assertThat(load("local", Map.of()).kafka().createTopics())
                .as("bin/demo")
                .isTrue();
        assertThat(load("dev", Map.of()).kafka().createTopics()).isTrue();
    }
}
