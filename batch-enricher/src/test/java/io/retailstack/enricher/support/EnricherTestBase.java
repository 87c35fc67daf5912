package io.retailstack.enricher.support;

import io.quarkus.test.common.QuarkusTestResource;
import io.retailstack.enricher.cassandra.CassandraSessionProducer;
import io.retailstack.enricher.config.EnricherConfig;
import io.retailstack.enricher.reference.ReferenceDataLoader;
import io.retailstack.enricher.service.EnrichmentJob;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Shared setup: the real stack, empty event tables and facts, default job settings. */
@QuarkusTestResource(value = EnricherStackResource.class, restrictToAnnotatedClass = false)
public abstract class EnricherTestBase {

    @Inject
    protected EnrichmentJob job;

    @Inject
    protected DataSource dataSource;

    @Inject
    protected CassandraSessionProducer sessions;

    @Inject
    protected EnricherConfig config;

    protected EventStoreFixture store;
    protected Pg pg;

    @Inject
    protected ReferenceDataLoader referenceData;

    @BeforeEach
    void resetStores() throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection()) {
            referenceData.loadBundledIfEmpty(c);
        }
        store = new EventStoreFixture(sessions.session(), config.cassandra().keyspace());
        store.truncate();
        pg = new Pg(dataSource);
        pg.resetFacts();
        resetJob();
    }

    @AfterEach
    void resetJob() {
        job.setChunkListener(null);
        job.setClock(null);
        job.setChunkEvents(0);
    }
}
