package io.retailstack.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/** The Event Hubs profile as written in application.properties, resolved the way Quarkus resolves it. */
class EventHubsProfileTest {

    private static final String CONNECTION_STRING =
            "Endpoint=sb://retail.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0";

    private static SmallRyeConfig config(String... profiles) throws IOException {
        URL properties = EventHubsProfileTest.class.getClassLoader().getResource("application.properties");
        ConfigSource env =
                new PropertiesConfigSource(Map.of("EVENTHUBS_CONNECTION_STRING", CONNECTION_STRING), "test-env", 300);
        return new SmallRyeConfigBuilder()
                .withProfiles(java.util.List.of(profiles))
                .withSources(new PropertiesConfigSource(properties, 250), env)
                .build();
    }

    @Test
    void shouldSpeakSaslSslWithTheConnectionStringAsPassword() throws IOException {
        SmallRyeConfig config = config("prod", "eventhubs");
        assertThat(config.getValue("kafka.security.protocol", String.class)).isEqualTo("SASL_SSL");
        assertThat(config.getValue("kafka.sasl.mechanism", String.class)).isEqualTo("PLAIN");
        assertThat(config.getValue("kafka.sasl.jaas.config", String.class))
                .isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"$ConnectionString\" password=\"" + CONNECTION_STRING + "\";");
    }

    @Test
    void shouldUseEventHubsLimitsAndTimeoutsAndCreateNoTopics() throws IOException {
        SmallRyeConfig config = config("prod", "eventhubs");
        assertThat(config.getValue("ingest.producer.max-request-size", Integer.class))
                .isLessThan(1046528);
        assertThat(config.getValue("kafka.connections.max.idle.ms", Integer.class))
                .isEqualTo(180000);
        assertThat(config.getValue("kafka.metadata.max.age.ms", Integer.class)).isEqualTo(180000);
        assertThat(config.getValue("kafka.request.timeout.ms", Integer.class)).isEqualTo(60000);
        assertThat(config.getValue("kafka.session.timeout.ms", Integer.class)).isEqualTo(30000);
        assertThat(config.getValue("kafka.allow.auto.create.topics", Boolean.class))
                .isFalse();
        assertThat(config.getValue("ingest.topics.create", Boolean.class)).isFalse();
    }

    @Test
    void shouldKeepAuthOnInProdAndOffInDev() throws IOException {
        assertThat(config("prod").getOptionalValue("ingest.auth.enabled", Boolean.class))
                .isEmpty();
        assertThat(config("dev").getValue("ingest.auth.enabled", Boolean.class)).isFalse();
        assertThat(config("local").getValue("ingest.topics.create", Boolean.class))
                .isTrue();
    }
}
