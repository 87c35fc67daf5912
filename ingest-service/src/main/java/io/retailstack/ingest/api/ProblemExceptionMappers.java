package io.retailstack.ingest.api;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.retailstack.events.validation.Violation;
import io.retailstack.ingest.config.IngestConfig;
import io.retailstack.ingest.service.IngestService;
import io.retailstack.ingest.service.PublishFailedException;
import io.retailstack.ingest.service.RejectedEventsException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the API as an RFC 9457 problem ({@code application/problem+json}). */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    private final IngestService ingest;
    private final IngestConfig config;

    @Inject
    public ProblemExceptionMappers(IngestService ingest, IngestConfig config) {
        this.ingest = ingest;
        this.config = config;
    }

    /** 400 for invalid events, 413 for too many or too large. Nothing of the request was published. */
    @ServerExceptionMapper
    public Response rejected(RejectedEventsException e, HttpServerRequest request) {
        ingest.rejected(IngestService.HTTP, e.reason().tag(), e.eventCount());
        if (e.tooLarge()) {
            return ProblemDetail.of(
                            "payload-too-large",
                            "Payload too large",
                            413,
                            e.getMessage(),
                            request.path(),
                            e.violations())
                    .toResponse()
                    .build();
        }
        return ProblemDetail.of("invalid-events", "Invalid events", 400, e.getMessage(), request.path(), e.violations())
                .toResponse()
                .build();
    }

    @ServerExceptionMapper
    public Response unsupported(UnsupportedContentTypeException e, HttpServerRequest request) {
        ingest.rejected(IngestService.HTTP, "unsupported_media_type", 1);
        String detail = "Content type " + (e.contentType() == null ? "(none)" : "'" + e.contentType() + "'")
                + " is not accepted. Use application/cloudevents+json for one event,"
                + " application/cloudevents-batch+json for a batch, or application/json with ce-* headers"
                + " (binary mode).";
        return ProblemDetail.of("unsupported-media-type", "Unsupported media type", 415, detail, request.path(), null)
                .toResponse()
                .build();
    }

    /** 503: the broker did not acknowledge; nothing is reported accepted, the client retries. */
    @ServerExceptionMapper
    public Response unavailable(PublishFailedException e, HttpServerRequest request) {
        return ProblemDetail.of(
                        "event-log-unavailable",
                        "Event log unavailable",
                        503,
                        "The events were not acknowledged by the event log in time; none is accepted. Retry later"
                                + " with the same event ids.",
                        request.path(),
                        null)
                .toResponse()
                .header(HttpHeaders.RETRY_AFTER, config.producer().retryAfterSeconds())
                .build();
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthorized(RuntimeException e, HttpServerRequest request) {
        return unauthorized(request.path(), "A valid bearer token is required.");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return forbidden(request.path(), config.auth().role());
    }

    /** JAX-RS's own errors (404, 405, ...) keep their status and headers, as problems. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        Response original = e.getResponse();
        int status = original.getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        Response.ResponseBuilder builder = ProblemDetail.of(
                        "http-" + status,
                        title,
                        status,
                        title + ": " + request.method() + " " + request.path(),
                        request.path(),
                        null)
                .toResponse();
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)
                    && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }

    /** Anything else is our bug: logged with its stack trace, answered without internals. */
    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpServerRequest request) {
        LOG.errorf(e, "unexpected error on %s %s", request.method(), request.path());
        return ProblemDetail.of(
                        "internal-error",
                        "Internal error",
                        500,
                        "An unexpected error occurred; nothing of this request is reported accepted.",
                        request.path(),
                        null)
                .toResponse()
                .build();
    }

    static Response unauthorized(String path, String detail) {
        return ProblemDetail.of("unauthorized", "Unauthorized", 401, detail, path, (List<Violation>) null)
                .toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    static Response forbidden(String path, String role) {
        return ProblemDetail.of(
                        "forbidden", "Forbidden", 403, "The token does not grant the role '" + role + "'.", path, null)
                .toResponse()
                .build();
    }
}
