package io.retailstack.cache.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retailstack.events.Extensions;

/**
 * A stored event as the public history shows it. Websites call this API directly, with any order id they hold, so
 * two things the store keeps for the back office stay out: the client's IP address ({@code data.clientIp}, personal
 * data) and the fraud flag ({@value Extensions#FRAUD_FLAG}, whose reason would tell a fraudster which rule caught
 * them; ingest flags instead of rejecting for that very reason).
 */
final class PublicEventView {

    private PublicEventView() {}

    /** The event without those fields; changes and returns {@code event}. */
    static JsonNode of(JsonNode event) {
        if (event instanceof ObjectNode o) {
            o.remove(Extensions.FRAUD_FLAG);
            if (o.get("data") instanceof ObjectNode data) {
                data.remove("clientIp");
            }
        }
        return event;
    }
}
