package io.retailstack.ingest.api;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.retailstack.ingest.config.IngestConfig;
import io.retailstack.ingest.service.IngestService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards the intake before anything is read: the caller must present a valid bearer token with the ingest role (when
 * {@code ingest.auth.enabled}), and a declared {@code Content-Length} must be within the limit.
 *
 * <p>Authorization is done here rather than with {@code @RolesAllowed} so one property can switch it off for the local
 * demo; proactive authentication is off so that an invalid token too is answered as a problem (via {@link
 * ProblemExceptionMappers}).
 */
public class IngestRequestFilter {

    private final IngestConfig config;
    private final CurrentIdentityAssociation identities;
    private final IngestService ingest;

    @Inject
    public IngestRequestFilter(IngestConfig config, CurrentIdentityAssociation identities, IngestService ingest) {
        this.config = config;
        this.identities = identities;
        this.ingest = ingest;
    }

    @ServerRequestFilter
    public Uni<Response> guard(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(IngestResource.PATH)) {
            return Uni.createFrom().nullItem();
        }
        if (!config.auth().enabled()) {
            return Uni.createFrom().item(checkLength(request, path));
        }
        return identities.getDeferredIdentity().map(identity -> {
            Response denied = authorize(identity, path);
            return denied != null ? denied : checkLength(request, path);
        });
    }

    private Response authorize(SecurityIdentity identity, String path) {
        if (identity == null || identity.isAnonymous()) {
            return ProblemExceptionMappers.unauthorized(path, "A bearer token is required.");
        }
        if (!identity.hasRole(config.auth().role())) {
            return ProblemExceptionMappers.forbidden(path, config.auth().role());
        }
        return null;
    }

    private Response checkLength(ContainerRequestContext request, String path) {
        String header = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return null;
        }
        long length;
        try {
            length = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return null; // the HTTP layer rejects it
        }
        int max = config.http().maxBodyBytes();
        if (length <= max) {
            return null;
        }
        ingest.rejected(IngestService.HTTP, "too_large", 1);
        return ProblemDetail.of(
                        "payload-too-large",
                        "Payload too large",
                        413,
                        "The body is " + length + " bytes, at most " + max + " are accepted.",
                        path,
                        List.of())
                .toResponse()
                .build();
    }
}
