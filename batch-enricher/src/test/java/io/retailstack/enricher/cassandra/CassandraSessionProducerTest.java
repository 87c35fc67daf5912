package io.retailstack.enricher.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CassandraSessionProducerTest {

    private static DriverExecutionProfile profile(boolean ssl) {
        return CassandraSessionProducer.driverConfig(Duration.ofSeconds(5), 5000, ssl)
                .getInitialConfig()
                .getDefaultProfile();
    }

    @Test
    void tlsValidatesTheServersHostname() {
        DriverExecutionProfile p = profile(true);
        assertThat(p.getString(DefaultDriverOption.SSL_ENGINE_FACTORY_CLASS)).endsWith("DefaultSslEngineFactory");
        assertThat(p.getBoolean(DefaultDriverOption.SSL_HOSTNAME_VALIDATION)).isTrue();
    }

    @Test
    void plainConnectionsWithoutSsl() {
        assertThat(profile(false).isDefined(DefaultDriverOption.SSL_ENGINE_FACTORY_CLASS))
                .isFalse();
    }
}
