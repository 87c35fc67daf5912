package io.retailstack.ingest.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retailstack.events.validation.Violation;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An RFC 9457 problem ({@code application/problem+json}), with the violations that made a request invalid.
 *
 * @param type URI naming the kind of problem
 * @param title short, the same for every occurrence of the type
 * @param status the HTTP status
 * @param detail this occurrence, for people
 * @param instance the request path
 * @param violations each problem with a path into the input ({@code [3].data.lines[0].quantity}); absent when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDetail(
        String type, String title, int status, String detail, String instance, List<ViolationView> violations) {

    /** The media type. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPE_PREFIX = "urn:retailstack:problem:";

    /** One violation as written in a problem. */
    public record ViolationView(String path, String message) {}

    /** A problem of the given kind ({@code invalid-event}, ...). */
    public static ProblemDetail of(
            String kind, String title, int status, String detail, String instance, List<Violation> violations) {
        List<ViolationView> views = violations == null || violations.isEmpty()
                ? null
                : violations.stream()
                        .map(v -> new ViolationView(v.path(), v.message()))
                        .toList();
        return new ProblemDetail(TYPE_PREFIX + kind, title, status, detail, instance, views);
    }

    /** The response carrying this problem. */
    public Response.ResponseBuilder toResponse() {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            body = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
        return Response.status(status).type(MEDIA_TYPE).entity(body);
    }
}
