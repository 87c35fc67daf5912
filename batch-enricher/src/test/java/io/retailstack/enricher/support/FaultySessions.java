package io.retailstack.enricher.support;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.metadata.Node;
import io.retailstack.enricher.cassandra.CassandraSessionProducer;
import jakarta.enterprise.inject.Vetoed;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real session of the local stack, with failures injected into the enricher's event reads: the local Cassandra
 * never throttles, Cosmos DB does. Install it with {@code QuarkusMock.installMockForType(faulty, CassandraSessionProducer.class)}
 * for one test. Every read of {@code events_by_*} is sent with a small page size, so runs read several pages of a
 * partition and the pages after the first are tried too.
 */
@Vetoed
public final class FaultySessions extends CassandraSessionProducer {

    /** Decides, for a read's n-th try (1 = first) and its place among distinct reads, what to fail it with. */
    @FunctionalInterface
    public interface Fault {
        /** The error to fail this try with, or null to send it. */
        Throwable on(Node node, int readNumber, int attempt, boolean laterPage);
    }

    public static final int PAGE_SIZE = 7;

    private final CqlSession real;
    private final CqlSession faulty;
    private final Fault fault;
    private final Map<Statement<?>, Integer> attempts = new ConcurrentHashMap<>();
    private final Map<Statement<?>, Integer> readNumbers = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger firstPages = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger failedLaterPages = new AtomicInteger();

    public FaultySessions(CqlSession real, Fault fault) {
        this.real = real;
        this.fault = fault;
        this.faulty = (CqlSession) Proxy.newProxyInstance(
                FaultySessions.class.getClassLoader(), new Class<?>[] {CqlSession.class}, (proxy, method, args) -> {
                    if (method.getName().equals("executeAsync")
                            && args.length == 1
                            && args[0] instanceof BoundStatement bound
                            && bound.getPreparedStatement().getQuery().contains(".events_by_")) {
                        return read(bound);
                    }
                    return invoke(method, args);
                });
    }

    private Object read(BoundStatement statement) {
        int attempt = attempts.merge(statement, 1, Integer::sum);
        boolean laterPage = statement.getPagingState() != null;
        int readNumber = readNumbers.computeIfAbsent(statement, s -> {
            if (!laterPage) {
                firstPages.incrementAndGet();
            }
            return reads.incrementAndGet();
        });
        Node node = real.getMetadata().getNodes().values().iterator().next();
        Throwable error = fault.on(node, readNumber, attempt, laterPage);
        if (error != null) {
            failed.incrementAndGet();
            if (laterPage) {
                failedLaterPages.incrementAndGet();
            }
            return CompletableFuture.failedFuture(error);
        }
        return real.executeAsync(statement.setPageSize(PAGE_SIZE));
    }

    private Object invoke(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public CqlSession session() {
        return faulty;
    }

    @Override
    public boolean isOpen() {
        return !real.isClosed();
    }

    /** Tries that were failed on purpose. */
    public int failed() {
        return failed.get();
    }

    /** Failed tries of pages after a read's first. */
    public int failedLaterPages() {
        return failedLaterPages.get();
    }

    /** Distinct reads (a query's first page, or a later page) sent or failed. */
    public int reads() {
        return reads.get();
    }

    /** Distinct reads of a query's first page. */
    public int readsOfFirstPages() {
        return firstPages.get();
    }

    /** The most tries any one read got. */
    public int mostAttempts() {
        return attempts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
