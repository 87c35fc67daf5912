package io.retailstack.cache.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import org.junit.jupiter.api.Test;

class CassandraTlsTest {

    private static DriverExecutionProfile profile(boolean ssl) {
        return CassandraStateRepository.tls(DriverConfigLoader.programmaticBuilder(), ssl)
                .build()
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
