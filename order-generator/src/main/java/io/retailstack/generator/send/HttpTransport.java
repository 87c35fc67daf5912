package io.retailstack.generator.send;

import io.retailstack.events.CloudEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Sends records to the ingest HTTP API, {@code POST {url}/v1/events}: valid events in {@value
 * CloudEvent#BATCH_CONTENT_TYPE} batches, one request at a time so an aggregate's events stay in
 * order; malformed records singly as {@value CloudEvent#STRUCTURED_CONTENT_TYPE}, where a 4xx is the
 * expected answer. 429, 502, 503, 504 and I/O errors are retried with backoff (event ids make a
 * retry harmless); 401 and 403 stop the run.
 */
public final class HttpTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(HttpTransport.class.getName());
    private static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);
    private static final int ATTEMPTS = 5;
    private static final int MAX_CONSECUTIVE_UNREACHABLE = 3;
    private static final Duration MAX_BATCH_WAIT = Duration.ofMillis(250);

    private final URI endpoint;
    private final URI health;
    private final String token;
    private final int batchSize;
    private final Duration timeout;
    private final SendStats stats;
    private final HttpClient client;
    private final List<Outgoing> buffer = new ArrayList<>();
    private long bufferSince;
    private int consecutiveUnreachable;
    private int loggedRejections;

    /**
     * @param baseUrl ingest base URL, e.g. {@code http://localhost:8081}; {@code /v1/events} is appended
     * @param token bearer token, or null
     * @param batchSize most events per request
     */
    public HttpTransport(URI baseUrl, String token, int batchSize, Duration timeout, SendStats stats) {
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base + "/v1/events");
        this.health = URI.create(base + "/q/health/ready");
        this.token = token == null || token.isBlank() ? null : token;
        this.batchSize = batchSize;
        this.timeout = timeout;
        this.stats = stats;
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public void checkReachable() throws TransportException {
        // Any HTTP answer proves the server is there (404 included, e.g. behind a gateway that hides
        // health checks); credentials are checked by the first real request, which stops the run on 401/403.
        try {
            client.send(
                    HttpRequest.newBuilder(health).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new TransportException("cannot reach ingest at " + endpoint + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while connecting to " + endpoint, e);
        }
    }

    @Override
    public void send(Outgoing record) throws TransportException, InterruptedException {
        if (record.valid()) {
            if (buffer.isEmpty()) {
                bufferSince = System.nanoTime();
            }
            buffer.add(record);
            if (buffer.size() >= batchSize) {
                sendBatch();
            }
        } else {
            sendBatch();
            sendMalformed(record);
        }
    }

    @Override
    public void poll() throws TransportException, InterruptedException {
        if (!buffer.isEmpty() && System.nanoTime() - bufferSince >= MAX_BATCH_WAIT.toNanos()) {
            sendBatch();
        }
    }

    @Override
    public void flush() throws TransportException, InterruptedException {
        sendBatch();
    }

    private void sendBatch() throws TransportException, InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        List<Outgoing> batch = List.copyOf(buffer);
        buffer.clear();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(batch.get(i).body());
        }
        body.write(']');
        Optional<HttpResponse<String>> response = post(CloudEvent.BATCH_CONTENT_TYPE, body.toByteArray());
        int status = response.map(HttpResponse::statusCode).orElse(-1);
        if (status >= 200 && status < 300) {
            stats.acknowledged(batch.size());
        } else {
            stats.failed(batch.size());
            logRejection(
                    "batch of " + batch.size() + " starting at " + batch.get(0).id(), response);
        }
    }

    private void sendMalformed(Outgoing record) throws TransportException, InterruptedException {
        Optional<HttpResponse<String>> response = post(CloudEvent.STRUCTURED_CONTENT_TYPE, record.body());
        int status = response.map(HttpResponse::statusCode).orElse(-1);
        if (status >= 400 && status < 500) {
            stats.rejectedAsExpected(1);
        } else {
            stats.failed(1);
            if (status >= 200 && status < 300) {
                LOG.warning("ingest accepted malformed record " + record.id() + " (HTTP " + status + ")");
            } else {
                logRejection("malformed record " + record.id(), response);
            }
        }
    }

    /** Posts with retries; empty when the server could not be reached after all attempts. */
    private Optional<HttpResponse<String>> post(String contentType, byte[] body)
            throws TransportException, InterruptedException {
        HttpRequest request = request(contentType, body);
        IOException lastError = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                consecutiveUnreachable = 0;
                int status = response.statusCode();
                if (status == 401 || status == 403) {
                    throw new TransportException("ingest at " + endpoint + " refused the credentials (HTTP " + status
                            + ")" + (token == null ? "; pass a token with --token or $RETAIL_INGEST_TOKEN" : ""));
                }
                if (!RETRYABLE.contains(status) || attempt == ATTEMPTS) {
                    return Optional.of(response);
                }
                Thread.sleep(backoff(attempt, response.headers().firstValue("Retry-After")));
            } catch (IOException e) {
                lastError = e;
                if (attempt < ATTEMPTS) {
                    Thread.sleep(backoff(attempt, Optional.empty()));
                }
            }
        }
        if (++consecutiveUnreachable >= MAX_CONSECUTIVE_UNREACHABLE) {
            throw new TransportException(
                    "ingest at " + endpoint + " is unreachable: " + describe(lastError), lastError);
        }
        LOG.warning(
                "giving up on a request to " + endpoint + " after " + ATTEMPTS + " attempts: " + describe(lastError));
        return Optional.empty();
    }

    private HttpRequest request(String contentType, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", contentType)
                .header("Accept", "application/json, application/problem+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    private static long backoff(int attempt, Optional<String> retryAfter) {
        long millis = 200L << (attempt - 1);
        if (retryAfter.isPresent()) {
            try {
                millis = Math.max(millis, Long.parseLong(retryAfter.get().trim()) * 1000);
            } catch (NumberFormatException ignored) {
                // an HTTP date: keep the computed backoff
            }
        }
        return Math.min(millis, 10_000);
    }

    private void logRejection(String what, Optional<HttpResponse<String>> response) {
        if (response.isEmpty()) {
            return;
        }
        if (loggedRejections++ < 10) {
            String body = response.get().body();
            LOG.warning("ingest answered HTTP " + response.get().statusCode() + " to " + what + ": "
                    + (body.length() > 500 ? body.substring(0, 500) + "…" : body));
        }
    }

    private static String describe(IOException e) {
        if (e == null) {
            return "unknown error";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void close() {
        // HttpClient has no close() before Java 21; its threads are daemons.
    }

    @Override
    public String describe() {
        return "http " + endpoint;
    }
}
