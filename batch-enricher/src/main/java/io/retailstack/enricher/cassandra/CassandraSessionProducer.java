package io.retailstack.enricher.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.retailstack.enricher.config.EnricherConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;

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
        DriverConfigLoader loader = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, c.requestTimeout())
                .withInt(DefaultDriverOption.REQUEST_PAGE_SIZE, c.pageSize())
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "LOCAL_QUORUM")
                .withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, 2)
                .build();
        CqlSessionBuilder builder =
                CqlSession.builder().withConfigLoader(loader).withLocalDatacenter(c.localDatacenter());
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
        if (c.ssl()) {
            try {
                builder.withSslContext(SSLContext.getDefault());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default SSL context", e);
            }
        }
        return builder.build();
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
