package io.retailstack.events.validation;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.Extensions;
import io.retailstack.events.Identifiers;
import io.retailstack.events.data.EventData;
import io.retailstack.events.data.InventoryAdjusted;
import io.retailstack.events.data.InventoryReceived;
import io.retailstack.events.data.InventoryReleased;
import io.retailstack.events.data.InventoryReserved;
import io.retailstack.events.data.InventoryShipped;
import io.retailstack.events.data.OrderCancelled;
import io.retailstack.events.data.OrderDelivered;
import io.retailstack.events.data.OrderLine;
import io.retailstack.events.data.OrderPaid;
import io.retailstack.events.data.OrderPlaced;
import io.retailstack.events.data.OrderShipped;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks the business rules of an event and reports <em>every</em> violation, so a producer can fix
 * all of them in one round trip.
 *
 * <p>Runs after {@code EventCodec} (which guarantees the shape) at intake, and can check events built
 * in code. Pure apart from reading the supplied clock; thread-safe.
 */
public final class EventValidator {

    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    /** Valid URI-references seen so far, up to this many: sources repeat (one per producer), parsing them costs. */
    private static final int KNOWN_URIS_MAX = 1024;

    private final ValidationLimits limits;
    private final Clock clock;
    private final Set<String> knownUris = ConcurrentHashMap.newKeySet();

    /** A validator with {@link ValidationLimits#defaults()} and the system UTC clock. */
    public EventValidator() {
        this(ValidationLimits.defaults(), Clock.systemUTC());
    }

    /**
     * @param limits the bounds to check
     * @param clock "now" for the future-time check; tests pass a fixed clock
     */
    public EventValidator(ValidationLimits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** All violations of {@code event}, in a stable order; empty when the event is valid. */
    public List<Violation> validate(CloudEvent event) {
        Check check = new Check();
        check.id("id", event.id());
        checkUriReference(check, "source", event.source(), true);
        if (!CloudEvent.SPEC_VERSION.equals(event.specversion())) {
            check.add("specversion", "must be " + CloudEvent.SPEC_VERSION);
        }
        if (event.type() == null) {
            check.add("type", "is required");
        }
        checkSubject(check, event);
        checkTime(check, event.time());
        String contentType = event.datacontenttype();
        if (contentType != null && !CloudEvent.isJsonContentType(contentType)) {
            check.add("datacontenttype", "must be " + CloudEvent.JSON);
        }
        if (event.dataschema() != null) {
            checkUriReference(check, "dataschema", event.dataschema(), false);
        }
        checkExtensions(check, event.extensions());
        if (event.data() == null) {
            check.add("data", "is required");
        } else {
            checkData(check, event.data());
        }
        return List.copyOf(check.violations);
    }

    private void checkUriReference(Check check, String path, String value, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                check.add(path, "is required and must not be empty");
            }
            return;
        }
        if (value.length() > limits.maxSourceLength()) {
            check.add(path, "must be at most " + limits.maxSourceLength() + " characters");
            return;
        }
        if (knownUris.contains(value)) {
            return;
        }
        try {
            new URI(value);
            if (knownUris.size() < KNOWN_URIS_MAX) {
                knownUris.add(value);
            }
        } catch (URISyntaxException e) {
            check.add(path, "must be a URI-reference: " + e.getReason());
        }
    }

    private void checkSubject(Check check, CloudEvent event) {
        if (event.subject() == null) {
            check.add("subject", "is required");
            return;
        }
        AggregateKey key;
        try {
            key = AggregateKey.fromSubject(event.subject());
        } catch (IllegalArgumentException e) {
            check.add("subject", e.getMessage());
            return;
        }
        if (event.type() != null && key.type() != event.type().aggregateType()) {
            check.add(
                    "subject",
                    "names a " + key.type().prefix() + " aggregate but "
                            + event.type().type() + " belongs to "
                            + event.type().aggregateType().prefix() + " aggregates");
        }
    }

    private void checkTime(Check check, Instant time) {
        if (time == null) {
            check.add("time", "is required");
        } else if (time.isAfter(clock.instant().plus(limits.maxFutureSkew()))) {
            check.add("time", "is more than " + limits.maxFutureSkew() + " in the future");
        } else if (time.isBefore(limits.earliestTime())) {
            check.add("time", "is before " + limits.earliestTime());
        }
    }

    private void checkExtensions(Check check, Map<String, String> extensions) {
        extensions.forEach((name, value) -> {
            if (value.length() > limits.maxExtensionLength()) {
                check.add(name, "must be at most " + limits.maxExtensionLength() + " characters");
            }
        });
        String fraudFlag = extensions.get(Extensions.FRAUD_FLAG);
        if (fraudFlag != null && fraudFlag.isBlank()) {
            check.add(Extensions.FRAUD_FLAG, "must be \"true\", \"false\" or a reason");
        }
    }

    private void checkData(Check check, EventData data) {
        if (data instanceof OrderPlaced placed) {
            check.id("data.customerId", placed.customerId());
            check.notNull("data.channel", placed.channel());
            check.notNull("data.orderType", placed.orderType());
            check.id("data.fromLocationId", placed.fromLocationId());
            check.id("data.toLocationId", placed.toLocationId());
            if (placed.clientIp() != null && !isIpLiteral(placed.clientIp())) {
                check.add("data.clientIp", "must be an IPv4 or IPv6 address");
            }
            check.currency("data.currency", placed.currency());
            checkLines(check, placed.lines());
        } else if (data instanceof OrderPaid paid) {
            check.amount("data.amount", paid.amount());
            check.currency("data.currency", paid.currency());
            check.text("data.paymentRef", paid.paymentRef(), limits.maxReferenceLength());
        } else if (data instanceof OrderShipped shipped) {
            check.optionalText("data.carrier", shipped.carrier(), limits.maxReferenceLength());
            check.optionalText("data.trackingId", shipped.trackingId(), limits.maxReferenceLength());
        } else if (data instanceof OrderDelivered) {
            // Nothing to check: the event time is the delivery time.
        } else if (data instanceof OrderCancelled cancelled) {
            check.text("data.reason", cancelled.reason(), limits.maxTextLength());
        } else if (data instanceof InventoryReceived received) {
            check.quantity("data.quantity", received.quantity());
        } else if (data instanceof InventoryAdjusted adjusted) {
            if (adjusted.delta() == 0) {
                check.add("data.delta", "must not be 0");
            } else if (Math.abs((long) adjusted.delta()) > limits.maxQuantity()) {
                check.add("data.delta", "must be between -" + limits.maxQuantity() + " and " + limits.maxQuantity());
            }
            check.text("data.reason", adjusted.reason(), limits.maxTextLength());
        } else if (data instanceof InventoryReserved reserved) {
            check.id("data.orderId", reserved.orderId());
            check.quantity("data.quantity", reserved.quantity());
        } else if (data instanceof InventoryReleased released) {
            check.id("data.orderId", released.orderId());
            check.quantity("data.quantity", released.quantity());
        } else if (data instanceof InventoryShipped shipped) {
            check.id("data.orderId", shipped.orderId());
            check.quantity("data.quantity", shipped.quantity());
        }
    }

    private void checkLines(Check check, List<OrderLine> lines) {
        if (lines == null || lines.isEmpty()) {
            check.add("data.lines", "must have at least one line");
            return;
        }
        if (lines.size() > limits.maxLines()) {
            check.add("data.lines", "must have at most " + limits.maxLines() + " lines");
            return;
        }
        for (int i = 0; i < lines.size(); i++) {
            OrderLine line = lines.get(i);
            if (line == null) {
                check.add(new LinePath(i, ""), "is required");
                continue;
            }
            check.id(new LinePath(i, ".sku"), line.sku());
            check.quantity(new LinePath(i, ".quantity"), line.quantity());
            check.amount(new LinePath(i, ".unitPrice"), line.unitPrice());
        }
    }

    /** The path of a line's field, as text only when a violation needs it (it runs for every line of every order). */
    private record LinePath(int index, String field) {
        @Override
        public String toString() {
            return "data.lines[" + index + "]" + field;
        }
    }

    /**
     * Literal addresses only: a host name is not an IP, and resolving it would be I/O. IPv6 goes
     * through {@link InetAddress}, which parses strings containing ':' as literals without a lookup.
     */
    static boolean isIpLiteral(String value) {
        if (isIpv4(value)) {
            return true;
        }
        if (!value.contains(":") || !IPV6_CHARS.matcher(value).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(value);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Dotted-quad IPv4: four decimal octets 0-255, no leading zeros (what {@code InetAddress} would not refuse). */
    static boolean isIpv4(String value) {
        int octets = 0;
        int i = 0;
        int n = value.length();
        while (i < n) {
            int start = i;
            int octet = 0;
            while (i < n && value.charAt(i) >= '0' && value.charAt(i) <= '9' && i - start < 3) {
                octet = octet * 10 + (value.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || octet > 255 || (digits > 1 && value.charAt(start) == '0')) {
                return false;
            }
            octets++;
            if (i == n) {
                break;
            }
            if (value.charAt(i) != '.' || octets == 4) {
                return false;
            }
            i++;
            if (i == n) {
                return false;
            }
        }
        return octets == 4;
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    /** Collects violations; one method per recurring rule keeps the messages uniform. */
    private final class Check {
        private final List<Violation> violations = new ArrayList<>();

        void add(Object path, String message) {
            violations.add(new Violation(path.toString(), message));
        }

        void notNull(Object path, Object value) {
            if (value == null) {
                add(path, "is required");
            }
        }

        void id(Object path, String value) {
            if (value == null) {
                add(path, "is required");
            } else if (!Identifiers.isValid(value)) {
                add(path, "must be " + Identifiers.RULE);
            }
        }

        void text(Object path, String value, int max) {
            if (value == null || value.isBlank()) {
                add(path, "is required and must not be blank");
            } else if (value.length() > max) {
                add(path, "must be at most " + max + " characters");
            }
        }

        void optionalText(Object path, String value, int max) {
            if (value != null) {
                text(path, value, max);
            }
        }

        void quantity(Object path, int value) {
            if (value <= 0) {
                add(path, "must be greater than 0");
            } else if (value > limits.maxQuantity()) {
                add(path, "must be at most " + limits.maxQuantity());
            }
        }

        void amount(Object path, BigDecimal value) {
            if (value == null) {
                add(path, "is required");
            } else if (value.signum() < 0) {
                add(path, "must be 0 or more");
            } else if (value.compareTo(limits.maxAmount()) > 0) {
                add(path, "must be at most " + limits.maxAmount().toPlainString());
            } else if (value.scale() > limits.maxScale()) {
                add(path, "must have at most " + limits.maxScale() + " decimal places");
            }
        }

        void currency(Object path, String code) {
            if (code == null) {
                add(path, "is required");
                return;
            }
            if (code.length() == 3 && isUpper(code.charAt(0)) && isUpper(code.charAt(1)) && isUpper(code.charAt(2))) {
                try {
                    Currency.getInstance(code);
                    return;
                } catch (IllegalArgumentException e) {
                    // fall through to the violation
                }
            }
            add(path, "must be an ISO 4217 currency code, got '" + code + "'");
        }
    }
}
