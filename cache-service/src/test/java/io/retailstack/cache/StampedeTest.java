package io.retailstack.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.cache.persistence.CassandraStateRepository;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class StampedeTest {
    private static final int CONCURRENCY = 200;

    @Inject
    CassandraStateRepository repository;

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void schema() {
        StackFixture.cassandra();
    }

    @org.junit.jupiter.api.BeforeEach
    void redisServing() {
        StackFixture.awaitRedisServing();
    }

    @Test
    void shouldReadCassandraOnceFor200ConcurrentRequestsOnAColdOrder() throws Exception {
        String orderId = StackFixture.id("HOT");
        StackFixture.writeOrderState(StackFixture.order(orderId, 2));

        Set<String> bodies = stampede("/v1/orders/" + orderId, repository::orderReadCount, 1);

        assertThat(bodies).hasSize(1);
        assertThat(bodies.iterator().next()).contains("\"orderId\":\"" + orderId + "\"");
    }

    @Test
    void shouldReadCassandraOnceFor200ConcurrentRequestsOnAColdSku() throws Exception {
        String sku = StackFixture.id("HOTSKU");
        StackFixture.writeInventoryState(StackFixture.stock(sku, "LOC-A", 5, 1));
        StackFixture.writeInventoryState(StackFixture.stock(sku, "LOC-B", 2, 0));

        Set<String> bodies = stampede("/v1/inventory/" + sku, repository::inventoryReadCount, 1);

        assertThat(bodies).hasSize(1);
        assertThat(bodies.iterator().next()).contains("\"totalAvailable\":6");
    }

    @Test
    void shouldReadCassandraOnceFor200ConcurrentRequestsOnAnUnknownOrder() throws Exception {
        stampede("/v1/orders/" + StackFixture.id("GHOST"), repository::orderReadCount, 1);
    }

    /** Fires CONCURRENCY requests released together; asserts the read count grew by exactly {@code reads}. */
    private Set<String> stampede(String path, LongSupplier readCount, long reads) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        long before = readCount.getAsLong();
        CyclicBarrier start = new CyclicBarrier(CONCURRENCY);
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < CONCURRENCY; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return client.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            Set<String> bodies = new HashSet<>();
            Set<Integer> statuses = new HashSet<>();
            for (Future<HttpResponse<String>> f : futures) {
                HttpResponse<String> r = f.get();
                statuses.add(r.statusCode());
                if (r.statusCode() == 200) {
                    bodies.add(r.body());
                }
            }
            assertThat(statuses).hasSize(1).doesNotContain(500, 503);
            assertThat(readCount.getAsLong() - before)
                    .as("Cassandra reads for %d concurrent cold requests", CONCURRENCY)
                    .isEqualTo(reads);
            return bodies;
        } finally {
            pool.shutdownNow();
        }
    }
}
