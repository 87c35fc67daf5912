package io.retailstack.cache.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retailstack.cache.persistence.StoreUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the API as RFC 9457 {@code application/problem+json}. */
public class ProblemMappers {
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return build(e.status(), e.title(), e.getMessage(), uri, e.headers());
    }

    @ServerExceptionMapper
    public Response unavailable(StoreUnavailableException e, UriInfo uri) {
        LOG.debugf("answering 503: %s", e.getMessage());
        return build(
                503,
                "Service Unavailable",
                "The state store cannot answer right now; retry shortly.",
                uri,
                Map.of("Retry-After", "1"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        return build(status.getStatusCode(), status.getReasonPhrase(), e.getMessage(), uri, Map.of());
    }

    /**
     * Anything else (a stored event this build cannot decode, a corrupt row) is a 500 in the same format. The cause is
     * logged, not sent: its message can carry stored data.
     */
    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.errorf(
                e,
                "unexpected error on %s",
                uri == null ? "?" : uri.getRequestUri().getRawPath());
        return build(500, "Internal Server Error", "An unexpected error occurred.", uri, Map.of());
    }

    static Response build(int status, String title, String detail, UriInfo uri, Map<String, String> headers) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        if (uri != null) {
            body.put("instance", uri.getRequestUri().getRawPath());
        }
        Response.ResponseBuilder r = Response.status(status).type(PROBLEM_JSON).entity(body.toString());
        headers.forEach(r::header);
        return r.build();
    }
}
