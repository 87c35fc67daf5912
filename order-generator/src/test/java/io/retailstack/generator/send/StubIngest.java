package io.retailstack.generator.send;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.codec.EventDecodingException;
import io.retailstack.events.validation.EventValidator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in for ingest-service's {@code POST /v1/events}: decodes, validates, answers 202 or 400. */
final class StubIngest implements AutoCloseable {

    final List<CloudEvent> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger rejected = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** When set, requests without {@code Bearer <requireToken>} get a 401. */
    volatile String requireToken;
    /** Answer this many requests with 503 first, to exercise retries. */
    final AtomicInteger unavailableFirst = new AtomicInteger();

    private final HttpServer server;
    private final EventCodec codec = new EventCodec();
    private final EventValidator validator = new EventValidator();

    StubIngest() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/events", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (requireToken != null
                && !("Bearer " + requireToken)
                        .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "{\"title\":\"unauthorized\"}");
            return;
        }
        if (unavailableFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            respond(exchange, 503, "{\"title\":\"busy\"}");
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        try {
            List<CloudEvent> events = CloudEvent.BATCH_CONTENT_TYPE.equals(contentType)
                    ? codec.decodeBatch(body)
                    : List.of(codec.decode(body));
            for (CloudEvent event : events) {
                if (!validator.validate(event).isEmpty()) {
                    rejected.incrementAndGet();
                    respond(exchange, 400, "{\"title\":\"invalid\"}");
                    return;
                }
            }
            accepted.addAll(events);
            respond(exchange, 202, "");
        } catch (EventDecodingException e) {
            rejected.incrementAndGet();
            respond(exchange, 400, "{\"title\":\"malformed\"}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
