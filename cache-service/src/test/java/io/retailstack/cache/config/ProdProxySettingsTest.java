package io.retailstack.cache.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** In %prod forwarded headers are honoured, but only from private addresses unless CACHE_TRUSTED_PROXIES says else. */
class ProdProxySettingsTest {

    private static SmallRyeConfig prod(Map<String, String> env) throws IOException {
        URL url = ProdProxySettingsTest.class.getClassLoader().getResource("application.properties");
        return new SmallRyeConfigBuilder()
                .withProfile("prod")
                .withSources(new PropertiesConfigSource(url, 250))
                .withSources(new PropertiesConfigSource(env, "env", 300))
                .build();
    }

    @Test
    void shouldTrustForwardedHeadersOnlyFromPrivateAddressesByDefault() throws IOException {
        SmallRyeConfig config = prod(Map.of());
        assertThat(config.getValue("quarkus.http.proxy.proxy-address-forwarding", Boolean.class))
                .isTrue();
        assertThat(config.getValue("quarkus.http.proxy.trusted-proxies", String.class))
                .isEqualTo("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7");
        assertThat(prod(Map.of("CACHE_TRUSTED_PROXIES", "10.240.0.0/16"))
                        .getValue("quarkus.http.proxy.trusted-proxies", String.class))
                .isEqualTo("10.240.0.0/16");
    }
}
