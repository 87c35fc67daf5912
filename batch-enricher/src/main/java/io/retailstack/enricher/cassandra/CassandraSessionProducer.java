package io.retailstack.enricher.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.internal.core.ssl.DefaultSslEngineFactory;
import io.retailstack.enricher.config.EnricherConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The one driver session of the process, opened lazily (a run that fails on PostgreSQL never needs it) and closed at
 * shutdown. The local datacenter is always explicit, as the driver requires.
 */
@ApplicationScoped
public class CassandraSessionProducer {

    @Inject
    EnricherConfig config;

    private volatile CqlSession session;

    public CqlSession session() {
        CqlSession s = session;
        if (s == null) {
            synchronized (this) {
                s = session;
                if (s == null) {
                    s = open();
                    session = s;
                }
            }
        }
        return s;
    }

    private CqlSession open() {
        EnricherConfig.CassandraConfig c = config.cassandra();
        CqlSessionBuilder builder = CqlSession.builder()
                .withConfigLoader(driverConfig(c.requestTimeout(), c.pageSize(), c.ssl()))
                .withLocalDatacenter(c.localDatacenter());
        for (String point : c.contactPoints()) {
            int colon = point.lastIndexOf(':');
            builder.addContactPoint(
                    colon < 0
                            ? new InetSocketAddress(point, 9042)
                            : new InetSocketAddress(
                                    point.substring(0, colon), Integer.parseInt(point.substring(colon + 1))));
        }
        if (c.username().isPresent()) {
            builder.withAuthCredentials(c.username().get(), c.password().orElse(""));
        }
        return builder.build();
    }

    /**
     * The driver settings. TLS goes through the driver's own engine factory with hostname validation on: the JVM's
     * trust store alone accepts any publicly trusted certificate, and the password (on Azure, the Cosmos DB account
     * key) would go to whoever presents one.
     */
    static DriverConfigLoader driverConfig(Duration requestTimeout, int pageSize, boolean ssl) {
        ProgrammaticDriverConfigLoaderBuilder b = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
                .withInt(DefaultDriverOption.REQUEST_PAGE_SIZE, pageSize)
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "LOCAL_QUORUM")
                .withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, 2);
        if (ssl) {
            b.withClass(DefaultDriverOption.SSL_ENGINE_FACTORY_CLASS, DefaultSslEngineFactory.class)
                    .withBoolean(DefaultDriverOption.SSL_HOSTNAME_VALIDATION, true);
        }
        return b.build();
    }

    public boolean isOpen() {
        return session != null && !session.isClosed();
    }

    @PreDestroy
    void close() {
        CqlSession s = session;
        if (s != null) {
            s.close();
        }
    }
}
