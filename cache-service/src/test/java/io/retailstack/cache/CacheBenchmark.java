package io.retailstack.cache;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.retailstack.localstack.quarkus.LocalStackTestResource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * Hit path and miss path of the API against raw Redis and raw Cassandra, same run, same concurrency. Run with
 * {@code ./mvnw -B verify -Pbenchmark -pl cache-service}; prints a table. Loopback only, bounded in time.
 *
 * <ol>
 *   <li>Hot key, closed loop: W workers, each with one keep-alive connection, GET one cached order as fast as
 *       possible, vs W workers looping Jedis GET on the same Redis key. Hot keys are answered from the service's near
 *       tier (see NearCache). Two ceilings of this machine from test-only endpoints ({@link HttpCeilingProbe}) put the
 *       figure in context: a constant body, and HTTP plus one Jedis GET and nothing else (the best any design that
 *       reads Redis on every request could do here).
 *   <li>Half load: both paced at half of the API's maximum rate; latency is measured from each request's scheduled
 *       time (no coordinated omission): p50 / p99.
 *   <li>Miss path: W workers GET distinct cold orders (one Cassandra read + Redis population each), vs W workers
 *       reading distinct rows of order_state_by_aggregate with a prepared single-partition SELECT.
 * </ol>
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackTestResource.class, restrictToAnnotatedClass = false)
class CacheBenchmark {
    private static final int WORKERS = Integer.getInteger("bench.workers", 8);
    private static final long WARMUP_MS = Long.getLong("bench.warmup-ms", 2_000);
    private static final long MEASURE_MS = Long.getLong("bench.measure-ms", 4_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int COLD_KEYS = Integer.getInteger("bench.cold-keys", 4_000);

    @TestHTTPResource("/")
    URI base;

    private final List<String[]> rows = new ArrayList<>();

    /** Workers GET a fixed path on their own keep-alive connection. */
    private Op probe(String path) {
        return w -> {
            RawHttpClient client = new RawHttpClient(base.getHost(), base.getPort());
            byte[] request = client.request(path);
            return () -> {
                if (client.get(request) != 200) {
                    throw new IllegalStateException(path + " did not answer 200");
                }
            };
        };
    }

    @Test
    void benchmark() throws Exception {
        String hot = StackFixture.id("BENCH");
        StackFixture.writeOrderState(StackFixture.order(hot, 3));
        String path = "/v1/orders/" + hot;
        try (RawHttpClient c = new RawHttpClient(base.getHost(), base.getPort())) {
            if (c.get(c.request(path)) != 200 || c.get(c.request(path)) != 200) {
                throw new IllegalStateException("hot key not served");
            }
        }
        String redisKey = "retail:order:{" + hot + "}";
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(WORKERS * 2);
        pool.setMaxIdle(WORKERS * 2);
        try (JedisPooled jedis = new JedisPooled(
                new HostAndPort(
                        StackFixture.config("retail.stack.redis.host"),
                        Integer.parseInt(StackFixture.config("retail.stack.redis.port"))),
                DefaultJedisClientConfig.builder().build(),
                pool)) {
            byte[] key = redisKey.getBytes(StandardCharsets.UTF_8);
            Op redisGet = w -> () -> {
                if (jedis.get(key) == null) {
                    throw new IllegalStateException("hot key vanished from Redis");
                }
            };
            Op apiGet = w -> {
                RawHttpClient client = new RawHttpClient(base.getHost(), base.getPort());
                byte[] request = client.request(path);
                return () -> {
                    if (client.get(request) != 200) {
                        throw new IllegalStateException("API did not answer 200");
                    }
                };
            };

            // The cores are shared: alternate raw and API runs and keep the round with the median ratio, so a burst of
            // other work hits both sides alike (the other rounds are printed too).
            closedLoop(apiGet); // JIT warm-up of the whole API path, not measured
            List<Result[]> rounds = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                rounds.add(new Result[] {closedLoop(redisGet), closedLoop(apiGet)});
            }
            List<Result[]> byRatio = new ArrayList<>(rounds);
            byRatio.sort(java.util.Comparator.comparingDouble(r -> r[1].rate / r[0].rate));
            Result rawMax = byRatio.get(ROUNDS / 2)[0];
            Result apiMax = byRatio.get(ROUNDS / 2)[1];
            Result ceilingConstant = closedLoop(probe("/test-probe/constant"));
            Result ceilingRedis = closedLoop(
                    probe("/test-probe/redis/" + redisKey.replace("{", "%7B").replace("}", "%7D")));
            double half = apiMax.rate / 2;
            Result rawHalf = paced(redisGet, half);
            Result apiHalf = paced(apiGet, half);

            // miss path vs raw Cassandra
            List<String> apiCold = coldOrders(COLD_KEYS);
            List<String> rawCold = coldOrders(COLD_KEYS);
            AtomicInteger apiNext = new AtomicInteger();
            Result apiMiss = drain(COLD_KEYS, w -> {
                RawHttpClient client = new RawHttpClient(base.getHost(), base.getPort());
                return () -> {
                    String id = apiCold.get(apiNext.getAndIncrement());
                    if (client.get(client.request("/v1/orders/" + id)) != 200) {
                        throw new IllegalStateException("miss path did not answer 200");
                    }
                };
            });
            CqlSession session = StackFixture.cassandra();
            PreparedStatement select = session.prepare("SELECT version, state FROM " + StackFixture.KEYSPACE
                    + ".order_state_by_aggregate WHERE aggregate_type = 'order' AND aggregate_id = ?");
            AtomicInteger rawNext = new AtomicInteger();
            Result rawMiss = drain(COLD_KEYS, w -> () -> {
                if (session.execute(select.bind(rawCold.get(rawNext.getAndIncrement())))
                                .one()
                        == null) {
                    throw new IllegalStateException("row missing");
                }
            });

            for (int i = 0; i < ROUNDS; i++) {
                row(
                        "hot key, round " + (i + 1),
                        "API GET (HIT)",
                        rounds.get(i)[1],
                        "raw Jedis GET",
                        rounds.get(i)[0],
                        0,
                        true);
            }
            row("hot key, median round", "API GET (HIT)", apiMax, "raw Jedis GET", rawMax, 0.5, true);
            row("ceiling", "HTTP constant body", ceilingConstant, "raw Jedis GET", rawMax, 0, true);
            row("ceiling", "HTTP + one Jedis GET", ceilingRedis, "raw Jedis GET", rawMax, 0, true);
            row("hot key, half load", "API GET (HIT)", apiHalf, "raw Jedis GET", rawHalf, 0, false);
            row("cold keys (miss)", "API GET (MISS)", apiMiss, "raw Cassandra SELECT", rawMiss, 0, true);
            print(apiHalf);
        }
    }

    // ------------------------------------------------------------------ loops

    /** Creates one worker's operation (may open a connection). */
    interface Op {
        Call open(int worker) throws Exception;
    }

    interface Call {
        void run() throws Exception;
    }

    record Result(double rate, long count, long errors, double p50Ms, double p99Ms) {}

    /** W workers as fast as they go: warm-up, then a measured window. */
    private Result closedLoop(Op op) throws Exception {
        return run(op, 0);
    }

    /** W workers, each paced so the total is {@code rate}; latency from the scheduled send time. */
    private Result paced(Op op, double rate) throws Exception {
        return run(op, rate);
    }

    private Result run(Op op, double rate) throws Exception {
        long[][] samples = new long[WORKERS][];
        int[] counts = new int[WORKERS];
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(WORKERS);
        long start = System.nanoTime() + 200_000_000L;
        long measureFrom = start + WARMUP_MS * 1_000_000L;
        long end = measureFrom + MEASURE_MS * 1_000_000L;
        long interval = rate > 0 ? (long) (1e9 * WORKERS / rate) : 0;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int worker = w;
            Call call = op.open(worker);
            samples[w] = new long[1 << 20];
            Thread t = new Thread(() -> {
                try {
                    long next = start + (interval * worker) / WORKERS;
                    LockSupport.parkNanos(start - System.nanoTime());
                    while (true) {
                        long scheduled;
                        if (interval > 0) {
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                            }
                            scheduled = next;
                            next += interval;
                        } else {
                            scheduled = System.nanoTime();
                        }
                        if (scheduled >= end) {
                            break;
                        }
                        try {
                            call.run();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        long now = System.nanoTime();
                        if (scheduled >= measureFrom && counts[worker] < samples[worker].length) {
                            samples[worker][counts[worker]++] = now - scheduled;
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
            threads.add(t);
            t.start();
        }
        done.await();
        return summarize(samples, counts, errors.get(), MEASURE_MS * 1_000_000L);
    }

    /** W workers take {@code total} operations from a shared list until it is empty. */
    private Result drain(int total, Op op) throws Exception {
        long[][] samples = new long[WORKERS][];
        int[] counts = new int[WORKERS];
        AtomicLong errors = new AtomicLong();
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(WORKERS);
        List<Call> calls = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            calls.add(op.open(w));
            samples[w] = new long[total];
        }
        long t0 = System.nanoTime();
        for (int w = 0; w < WORKERS; w++) {
            int worker = w;
            new Thread(() -> {
                        try {
                            while (taken.getAndIncrement() < total) {
                                long s = System.nanoTime();
                                try {
                                    calls.get(worker).run();
                                } catch (Exception e) {
                                    errors.incrementAndGet();
                                }
                                samples[worker][counts[worker]++] = System.nanoTime() - s;
                            }
                        } finally {
                            done.countDown();
                        }
                    })
                    .start();
        }
        done.await();
        return summarize(samples, counts, errors.get(), System.nanoTime() - t0);
    }

    private static Result summarize(long[][] samples, int[] counts, long errors, long windowNanos) {
        int n = Arrays.stream(counts).sum();
        long[] all = new long[n];
        int i = 0;
        for (int w = 0; w < samples.length; w++) {
            System.arraycopy(samples[w], 0, all, i, counts[w]);
            i += counts[w];
        }
        Arrays.sort(all);
        double p50 = n == 0 ? 0 : all[(int) (n * 0.50)] / 1e6;
        double p99 = n == 0 ? 0 : all[Math.min(n - 1, (int) (n * 0.99))] / 1e6;
        return new Result(n / (windowNanos / 1e9), n, errors, p50, p99);
    }

    private List<String> coldOrders(int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = StackFixture.id("COLD");
            StackFixture.writeOrderState(StackFixture.order(id, 2));
            ids.add(id);
        }
        return ids;
    }

    // ------------------------------------------------------------------ table

    private void row(String scenario, String api, Result a, String raw, Result r, double target, boolean ratio) {
        String verdict = "";
        double x = a.rate / r.rate;
        if (target > 0) {
            verdict = x >= target ? "  (target >= " + target + ": met)" : "  (target >= " + target + ": NOT met)";
        }
        rows.add(new String[] {
            scenario,
            api,
            fmt(a.rate),
            fmt2(a.p50Ms),
            fmt2(a.p99Ms),
            Long.toString(a.errors),
            raw,
            fmt(r.rate),
            fmt2(r.p50Ms),
            fmt2(r.p99Ms),
            ratio ? String.format(Locale.ROOT, "%.2f", x) + verdict : "-"
        });
    }

    private void print(Result apiHalf) {
        String[] head = {
            "scenario",
            "API",
            "req/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "raw baseline",
            "ops/s",
            "p50 ms",
            "p99 ms",
            "API/raw"
        };
        int[] width = new int[head.length];
        for (int c = 0; c < head.length; c++) {
            width[c] = head[c].length();
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "%nCacheBenchmark: %d workers, %d ms warm-up + %d ms measured, %d cold keys, %d cores%n",
                WORKERS,
                WARMUP_MS,
                MEASURE_MS,
                COLD_KEYS,
                Runtime.getRuntime().availableProcessors()));
        appendRow(sb, head, width);
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append("-".repeat(w)).append("-+-");
        }
        sb.append(rule).append('\n');
        for (String[] r : rows) {
            appendRow(sb, r, width);
        }
        sb.append(String.format(
                Locale.ROOT,
                "half-load p99 of the API: %.2f ms (target < 5 ms: %s)%n",
                apiHalf.p99Ms,
                apiHalf.p99Ms < 5 ? "met" : "NOT met"));
        System.out.println(sb);
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] width) {
        for (int c = 0; c < cells.length; c++) {
            sb.append(String.format(Locale.ROOT, "%-" + width[c] + "s", cells[c]))
                    .append(" | ");
        }
        sb.append('\n');
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
