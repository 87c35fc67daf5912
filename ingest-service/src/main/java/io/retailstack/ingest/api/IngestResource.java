package io.retailstack.ingest.api;

import io.retailstack.events.CloudEvent;
import io.retailstack.events.validation.Violation;
import io.retailstack.ingest.config.IngestConfig;
import io.retailstack.ingest.service.EventReader;
import io.retailstack.ingest.service.IngestService;
import io.retailstack.ingest.service.ReceivedEvent;
import io.retailstack.ingest.service.RejectedEventsException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * HTTP intake of CloudEvents: one event in structured mode, one in binary mode, or a batch. Answers 202 with the
 * accepted ids only after the broker acknowledged every event; otherwise nothing is reported accepted.
 */
@Path(IngestResource.PATH)
@Tag(name = "events", description = "CloudEvents intake")
public class IngestResource {

    static final String PATH = "/v1/events";
    private static final String BINARY_PREFIX = "ce-";

    private final EventReader reader;
    private final IngestService ingest;
    private final IngestConfig.Http limits;

    @Inject
    public IngestResource(EventReader reader, IngestService ingest, IngestConfig config) {
        this.reader = reader;
        this.ingest = ingest;
        this.limits = config.http();
    }

    /** The 202 body. */
    public record Accepted(
            @Schema(description = "ids of the accepted events, in request order") List<String> accepted) {}

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE})
    @Operation(
            summary = "Publish CloudEvents",
            description = "Structured mode (application/cloudevents+json), batch (application/cloudevents-batch+json,"
                    + " all or nothing) or binary mode (ce-* headers, JSON data as body). 202 only after Kafka"
                    + " acknowledged every event.")
    @RequestBody(
            content = {
                @Content(mediaType = CloudEvent.STRUCTURED_CONTENT_TYPE),
                @Content(mediaType = CloudEvent.BATCH_CONTENT_TYPE),
                @Content(mediaType = MediaType.APPLICATION_JSON)
            })
    @APIResponse(
            responseCode = "202",
            description = "Every event is durable in the event log",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "400",
            description = "Invalid events; nothing published",
            content =
                    @Content(
                            mediaType = ProblemDetail.MEDIA_TYPE,
                            schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "401", description = "No valid bearer token")
    @APIResponse(responseCode = "403", description = "The token lacks the ingest role")
    @APIResponse(responseCode = "413", description = "Too many events or bytes")
    @APIResponse(responseCode = "415", description = "Unsupported content type")
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge in time; retry after Retry-After")
    @SecurityRequirement(name = "jwt")
    public Response post(byte[] body, HttpHeaders headers) {
        if (body.length > limits.maxBodyBytes()) {
            throw new RejectedEventsException(
                    RejectedEventsException.Reason.TOO_LARGE,
                    "The body is " + body.length + " bytes, at most " + limits.maxBodyBytes() + " are accepted.",
                    List.of(),
                    1);
        }
        MediaType type = mediaType(headers);
        String mediaType = type == null ? "" : (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
        List<ReceivedEvent> events;
        if (mediaType.equals(CloudEvent.STRUCTURED_CONTENT_TYPE)) {
            events = List.of(reader.readStructured(body));
        } else if (mediaType.equals(CloudEvent.BATCH_CONTENT_TYPE)) {
            events = reader.readBatch(body, limits.maxBatchEvents());
        } else if (!mediaType.isEmpty() && CloudEvent.isJsonContentType(mediaType) && isBinaryMode(headers)) {
            events = List.of(reader.readBinary(binaryAttributes(headers), body));
        } else {
            throw new UnsupportedContentTypeException(headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        }
        return Response.accepted(new Accepted(ingest.publishAll(events, IngestService.HTTP)))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    /** The parsed content type, null when absent or unparseable (both are a 415). */
    private static MediaType mediaType(HttpHeaders headers) {
        try {
            return headers.getMediaType();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean isBinaryMode(HttpHeaders headers) {
        return headers.getRequestHeaders().keySet().stream()
                .anyMatch(name -> name.toLowerCase(Locale.ROOT).startsWith(BINARY_PREFIX));
    }

    /** The {@code ce-*} headers without prefix, and the content type as {@code datacontenttype}. */
    private static Map<String, String> binaryAttributes(HttpHeaders headers) {
        Map<String, String> attributes = new LinkedHashMap<>();
        headers.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith(BINARY_PREFIX)) {
                return;
            }
            String attribute = lower.substring(BINARY_PREFIX.length());
            if (values.size() != 1 || attributes.containsKey(attribute)) {
                throw new RejectedEventsException(
                        RejectedEventsException.Reason.INVALID_ATTRIBUTE,
                        "Header " + name + " must appear exactly once.",
                        List.of(new Violation(attribute, "given more than once")),
                        1);
            }
            attributes.put(attribute, values.get(0));
        });
        attributes.put("datacontenttype", headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        return attributes;
    }
}
