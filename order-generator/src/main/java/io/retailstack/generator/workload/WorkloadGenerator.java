package io.retailstack.generator.workload;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.data.Channel;
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
import io.retailstack.events.data.OrderType;
import io.retailstack.generator.model.Customer;
import io.retailstack.generator.model.Fate;
import io.retailstack.generator.model.IpRange;
import io.retailstack.generator.model.Location;
import io.retailstack.generator.model.OrderPlan;
import io.retailstack.generator.model.Product;
import io.retailstack.generator.model.ReferenceData;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Generates a {@link Workload} from reference data and options. Pure: no clock, no I/O, one {@link
 * Random} seeded from the options, ordered collections only, so the same inputs always give the same
 * records, byte for byte.
 *
 * <h2>The life model</h2>
 *
 * <ul>
 *   <li>Orders are placed at uniformly random times over the span. 5% are internal transfers (a
 *       warehouse restocking a store of its country); the rest are customer orders from WEB (45%),
 *       APP (25%), STORE (20%) and MARKETPLACE (10%).
 *   <li>Store orders are paid, handed over and delivered within minutes at the customer's home store.
 *   <li>Remote orders ship from a warehouse of the customer's country to the customer's home store
 *       (click and collect): paid within minutes, shipped 2–30 h later, delivered 18–72 h after that;
 *       8% of delivered web orders pay cash on delivery (shipped, then paid). {@code cancelShare} of
 *       them end cancelled: half before payment, 35% after payment, 15% after shipping (a recall).
 *       Of the others, 80% are delivered and the rest stay in flight (shipped 9%, paid 6%, placed 5%).
 *   <li>Internal transfers are not paid: shipped 1–12 h after placing, 85% delivered, and the goods
 *       are received at the destination store after delivery.
 * </ul>
 *
 * <h2>Inventory</h2>
 *
 * Every order line reserves its quantity at the shipping location a second after placing; a
 * shipment consumes it, a cancellation before shipping releases it, a recall returns the stock as a
 * positive adjustment. Stock is received before it is needed: opening stock an hour before the start
 * the first time a SKU is used at a location, top-ups before a reservation would exceed what is
 * available. The generator tracks a lower bound of availability (releases and later receipts are not
 * counted), so no reservation and no negative adjustment is ever ignored by {@code InventoryFold}.
 */
public final class WorkloadGenerator {

    private static final Logger LOG = Logger.getLogger(WorkloadGenerator.class.getName());

    /** Customer id of internal transfers. */
    public static final String INTERNAL_CUSTOMER = "OPS-REPLENISHMENT";

    private static final double INTERNAL_SHARE = 0.05;
    private static final double CASH_ON_DELIVERY_SHARE = 0.08;
    private static final double ADJUSTMENT_SHARE = 0.03;
    private static final IpRange CUSTOMER_IPS = IpRange.parse("100.64.0.0/10");
    private static final Map<String, BigDecimal> EUR_RATES = Map.of(
            "EUR", BigDecimal.ONE,
            "GBP", new BigDecimal("0.85"),
            "USD", new BigDecimal("1.08"),
            "CHF", new BigDecimal("0.94"),
            "SEK", new BigDecimal("11.50"),
            "DKK", new BigDecimal("7.46"),
            "PLN", new BigDecimal("4.30"));
    private static final Map<String, List<String>> CARRIERS = Map.of(
            "DE", List.of("DHL", "DPD", "Hermes"),
            "FR", List.of("Colissimo", "Chronopost", "DPD"),
            "NL", List.of("PostNL", "DHL"),
            "GB", List.of("Royal Mail", "Evri", "DPD"),
            "US", List.of("UPS", "FedEx", "USPS"));
    private static final List<String> CANCEL_BEFORE_PAYMENT =
            List.of("payment failed", "customer changed their mind", "duplicate order");
    private static final List<String> CANCEL_AFTER_PAYMENT =
            List.of("customer request before dispatch", "address could not be verified", "delivery date too late");
    private static final List<String> CANCEL_AFTER_SHIPPING =
            List.of("parcel recalled at customer request", "parcel refused at collection");
    private static final List<String> SHRINKAGE =
            List.of("damaged in handling", "shrinkage found at cycle count", "display unit written off");

    private WorkloadGenerator() {}

    /** Generates the workload {@code options} describe, drawing from {@code reference}. */
    public static Workload generate(ReferenceData reference, WorkloadOptions options) {
        return new Run(reference, options).generate();
    }

    /** The customer with number {@code n} (1-based): the same in every run, whatever the seed. */
    public static Customer customer(ReferenceData reference, int n) {
        List<Location> stores =
                reference.locations().stream().filter(l -> !l.isWarehouse()).toList();
        Random random = new Random(splitMix(0xC0571AL + n));
        Location home = stores.get(random.nextInt(stores.size()));
        int count = 1 + random.nextInt(2);
        List<String> ips = new ArrayList<>();
        while (ips.size() < count) {
            String ip = CUSTOMER_IPS.randomAddress(random);
            if (reference.blocklisted(ip).isEmpty() && !ips.contains(ip)) {
                ips.add(ip);
            }
        }
        return new Customer(String.format(Locale.ROOT, "CUST-%06d", n), home.country(), home.id(), ips);
    }

    private static long splitMix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** An event before ids are assigned; {@code seq} breaks ties between equal times. */
    private record Draft(Instant time, long seq, AggregateKey key, String source, EventData data) {}

    private static final class Run {
        private final ReferenceData reference;
        private final WorkloadOptions options;
        private final Random random;
        private final String tag;
        private final List<Product> products;
        private final Map<String, Location> locations = new HashMap<>();
        private final Map<String, List<Location>> storesByCountry = new TreeMap<>();
        private final Map<String, List<Location>> warehousesByCountry = new TreeMap<>();
        private final List<Location> warehouses;
        private final List<Customer> customers = new ArrayList<>();
        private final List<Draft> drafts = new ArrayList<>();
        /** Lower bound of availability per {@code sku@location}. */
        private final Map<String, Long> available = new HashMap<>();
        /** The keys of {@link #available} in first-use order, for reproducible random picks. */
        private final List<String> touched = new ArrayList<>();

        private Instant lastReservation = Instant.MIN;

        Run(ReferenceData reference, WorkloadOptions options) {
            this.reference = reference;
            this.options = options;
            this.random = new Random(options.seed());
            this.tag = options.runTag();
            int skus = options.skus() == 0 ? reference.products().size() : options.skus();
            if (skus > reference.products().size()) {
                throw new IllegalArgumentException("skus is " + skus + " but the reference data has only "
                        + reference.products().size() + " products");
            }
            List<Product> shuffled = new ArrayList<>(reference.products());
            if (skus < shuffled.size()) {
                shuffle(shuffled);
            }
            this.products = shuffled.subList(0, skus).stream()
                    .sorted(Comparator.comparing(Product::sku))
                    .toList();
            for (Location location : reference.locations()) {
                locations.put(location.id(), location);
                (location.isWarehouse() ? warehousesByCountry : storesByCountry)
                        .computeIfAbsent(location.country(), c -> new ArrayList<>())
                        .add(location);
            }
            this.warehouses =
                    reference.locations().stream().filter(Location::isWarehouse).toList();
            int customerCount = options.customers() == 0 ? Math.max(20, options.orders() / 3) : options.customers();
            for (int n = 1; n <= customerCount; n++) {
                customers.add(customer(reference, n));
            }
        }

        Workload generate() {
            int orders = options.orders();
            long spanMillis = Math.max(1, options.span().toMillis());
            long[] offsets = new long[orders];
            for (int i = 0; i < orders; i++) {
                offsets[i] = (long) (random.nextDouble() * spanMillis);
            }
            Arrays.sort(offsets);
            boolean[] fraud = chooseFraud(orders);
            List<OrderPlan> plans = new ArrayList<>(orders);
            for (int k = 0; k < orders; k++) {
                Instant placedAt = options.startTime().plusMillis(offsets[k]);
                maybeAdjust(placedAt);
                OrderPlan plan = plan(k, placedAt, fraud[k]);
                plans.add(plan);
                emit(plan);
            }
            List<CloudEvent> events = assignIds();
            List<WorkloadRecord> records = interleaveMalformed(events);
            LOG.fine(() -> "generated " + events.size() + " events and " + (records.size() - events.size())
                    + " malformed records for run " + tag);
            return new Workload(options, tag, plans, records);
        }

        // ------------------------------------------------------------ orders

        private boolean[] chooseFraud(int orders) {
            int count = (int) Math.round(orders * options.fraudShare());
            int[] indexes = new int[orders];
            for (int i = 0; i < orders; i++) {
                indexes[i] = i;
            }
            boolean[] chosen = new boolean[orders];
            for (int i = 0; i < count; i++) {
                int j = i + random.nextInt(orders - i);
                int swap = indexes[i];
                indexes[i] = indexes[j];
                indexes[j] = swap;
                chosen[indexes[i]] = true;
            }
            return chosen;
        }

        private OrderPlan plan(int k, Instant placedAt, boolean fraud) {
            String orderId = String.format(Locale.ROOT, "ORD-%s-%06d", tag, k + 1);
            if (!fraud && random.nextDouble() < INTERNAL_SHARE) {
                Location from = pick(warehouses);
                List<Location> stores = storesByCountry.getOrDefault(from.country(), List.of());
                Location to = stores.isEmpty() ? pick(allStores()) : pick(stores);
                String currency = currency(from.country());
                Fate fate = random.nextDouble() < 0.85 ? Fate.DELIVERED : Fate.SHIPPED;
                List<OrderLine> lines = lines(currency, 1 + random.nextInt(3), true);
                return new OrderPlan(
                        orderId,
                        INTERNAL_CUSTOMER,
                        Channel.STORE,
                        OrderType.INTERNAL,
                        from.id(),
                        to.id(),
                        null,
                        false,
                        currency,
                        lines,
                        false,
                        fate,
                        placedAt);
            }
            // Skewed towards low numbers, so some customers come back.
            double u = random.nextDouble();
            Customer customer = customers.get((int) (u * u * customers.size()));
            Channel channel = fraud
                    ? weighted(new Channel[] {Channel.WEB, Channel.APP, Channel.MARKETPLACE}, new int[] {60, 25, 15})
                    : weighted(Channel.values(), new int[] {45, 25, 20, 10});
            String currency = currency(customer.country());
            List<OrderLine> lines = lines(currency, 1 + geometric(0.45, 4), false);
            if (channel == Channel.STORE) {
                return new OrderPlan(
                        orderId,
                        customer.id(),
                        channel,
                        OrderType.EXTERNAL,
                        customer.homeStoreId(),
                        customer.homeStoreId(),
                        null,
                        false,
                        currency,
                        lines,
                        false,
                        Fate.DELIVERED,
                        placedAt);
            }
            List<Location> local = warehousesByCountry.getOrDefault(customer.country(), List.of());
            Location from = local.isEmpty() ? pick(warehouses) : pick(local);
            String clientIp = fraud ? pick(reference.fraudIps()).range().randomAddress(random) : pick(customer.ips());
            Fate fate = fate();
            boolean cod =
                    channel == Channel.WEB && fate == Fate.DELIVERED && random.nextDouble() < CASH_ON_DELIVERY_SHARE;
            return new OrderPlan(
                    orderId,
                    customer.id(),
                    channel,
                    OrderType.EXTERNAL,
                    from.id(),
                    customer.homeStoreId(),
                    clientIp,
                    reference.blocklisted(clientIp).isPresent(),
                    currency,
                    lines,
                    cod,
                    fate,
                    placedAt);
        }

        private Fate fate() {
            if (random.nextDouble() < options.cancelShare()) {
                double v = random.nextDouble();
                return v < 0.50
                        ? Fate.CANCELLED_BEFORE_PAYMENT
                        : v < 0.85 ? Fate.CANCELLED_AFTER_PAYMENT : Fate.CANCELLED_AFTER_SHIPPING;
            }
            double v = random.nextDouble();
            return v < 0.80 ? Fate.DELIVERED : v < 0.89 ? Fate.SHIPPED : v < 0.95 ? Fate.PAID : Fate.PLACED;
        }

        private List<OrderLine> lines(String currency, int count, boolean internal) {
            int n = Math.min(count, products.size());
            List<Product> chosen = new ArrayList<>();
            while (chosen.size() < n) {
                Product product = pick(products);
                if (!chosen.contains(product)) {
                    chosen.add(product);
                }
            }
            List<OrderLine> lines = new ArrayList<>();
            for (Product product : chosen) {
                int quantity;
                if (internal) {
                    quantity = 5 + random.nextInt(20);
                } else {
                    double q = random.nextDouble();
                    quantity = q < 0.75 ? 1 : q < 0.93 ? 2 : 3;
                }
                lines.add(new OrderLine(product.sku(), quantity, price(product, currency)));
            }
            return lines;
        }

        private BigDecimal price(Product product, String currency) {
            BigDecimal rate = EUR_RATES.getOrDefault(currency, BigDecimal.ONE);
            BigDecimal price = product.listPrice();
            if (rate.compareTo(BigDecimal.ONE) != 0) {
                // Local price points: 636.65 becomes 636.99.
                price = price.multiply(rate).setScale(0, RoundingMode.HALF_UP);
                price = price.signum() > 0 ? price.subtract(new BigDecimal("0.01")) : new BigDecimal("0.99");
            }
            if (random.nextDouble() < 0.12) {
                BigDecimal discount = new BigDecimal(new String[] {"0.90", "0.85", "0.80"}[random.nextInt(3)]);
                price = price.multiply(discount);
            }
            return price.setScale(2, RoundingMode.HALF_UP);
        }

        // ------------------------------------------------------------ events of one order

        private void emit(OrderPlan plan) {
            AggregateKey order = AggregateKey.order(plan.orderId());
            Location from = locations.get(plan.fromLocationId());
            Instant t0 = plan.placedAt();
            add(
                    t0,
                    order,
                    placedSource(plan),
                    new OrderPlaced(
                            plan.customerId(),
                            plan.channel(),
                            plan.orderType(),
                            plan.fromLocationId(),
                            plan.toLocationId(),
                            plan.clientIp(),
                            plan.currency(),
                            plan.lines()));
            List<OrderLine> lines = plan.lines();
            for (int i = 0; i < lines.size(); i++) {
                OrderLine line = lines.get(i);
                ensureStock(from, line.sku(), line.quantity(), t0);
                Instant at = t0.plusSeconds(i + 1L);
                add(
                        at,
                        inventory(line.sku(), from),
                        "/oms/allocation",
                        new InventoryReserved(plan.orderId(), line.quantity()));
                available.merge(line.sku() + "@" + from.id(), (long) -line.quantity(), Long::sum);
                if (at.isAfter(lastReservation)) {
                    lastReservation = at;
                }
            }

            boolean store = plan.orderType() == OrderType.EXTERNAL && plan.channel() == Channel.STORE;
            boolean internal = plan.orderType() == OrderType.INTERNAL;
            Fate fate = plan.fate();
            String carrier = store ? null : pick(CARRIERS.getOrDefault(from.country(), List.of("DHL")));
            Instant paidAt = null;
            Instant shippedAt;
            Instant deliveredAt;
            if (store) {
                paidAt = t0.plus(seconds(5, 60));
                shippedAt = paidAt.plus(seconds(30, 180));
                deliveredAt = shippedAt.plus(seconds(1, 30));
            } else if (internal) {
                shippedAt = t0.plus(minutes(60, 12 * 60));
                deliveredAt = shippedAt.plus(minutes(12 * 60, 36 * 60));
            } else {
                paidAt = plan.cashOnDelivery() ? null : t0.plus(seconds(20, 20 * 60));
                shippedAt = (paidAt == null ? t0 : paidAt).plus(minutes(2 * 60, 30 * 60));
                deliveredAt = shippedAt.plus(minutes(18 * 60, 72 * 60));
                if (plan.cashOnDelivery()) {
                    paidAt = deliveredAt.minus(seconds(60, 300));
                }
            }
            boolean pays = paidAt != null
                    && switch (fate) {
                        case PAID, CANCELLED_AFTER_PAYMENT, CANCELLED_AFTER_SHIPPING, DELIVERED -> true;
                        case SHIPPED -> !plan.cashOnDelivery();
                        default -> false;
                    };
            boolean ships =
                    switch (fate) {
                        case SHIPPED, DELIVERED, CANCELLED_AFTER_SHIPPING -> true;
                        default -> false;
                    };
            if (pays) {
                String ref = plan.cashOnDelivery()
                        ? "COD-" + hex(6)
                        : store ? "POS-" + plan.fromLocationId() + "-" + hex(4) : "PSP-" + hex(8);
                add(
                        paidAt,
                        order,
                        store
                                ? "/pos/" + plan.fromLocationId()
                                : plan.cashOnDelivery() ? carrierSource(carrier) : "/payments/psp",
                        new OrderPaid(plan.total(), plan.currency(), ref));
            }
            if (ships) {
                add(
                        shippedAt,
                        order,
                        store ? "/pos/" + plan.fromLocationId() : "/wms/" + plan.fromLocationId(),
                        new OrderShipped(carrier, carrier == null ? null : trackingId(carrier)));
                for (int i = 0; i < lines.size(); i++) {
                    OrderLine line = lines.get(i);
                    add(
                            shippedAt.plusMillis(i + 1L),
                            inventory(line.sku(), from),
                            locationSource(from),
                            new InventoryShipped(plan.orderId(), line.quantity()));
                }
            }
            if (fate == Fate.DELIVERED) {
                add(
                        deliveredAt,
                        order,
                        store ? "/pos/" + plan.fromLocationId() : carrierSource(carrier),
                        new OrderDelivered());
                if (internal) {
                    Location to = locations.get(plan.toLocationId());
                    Instant receivedAt = deliveredAt.plus(minutes(10, 60));
                    for (OrderLine line : lines) {
                        add(
                                receivedAt,
                                inventory(line.sku(), to),
                                locationSource(to),
                                new InventoryReceived(line.quantity()));
                    }
                }
            }
            if (fate.finalStatus() == io.retailstack.events.fold.OrderStatus.CANCELLED) {
                Instant cancelledAt;
                String reason;
                if (fate == Fate.CANCELLED_BEFORE_PAYMENT) {
                    cancelledAt = t0.plus(minutes(5, 6 * 60));
                    reason = pick(CANCEL_BEFORE_PAYMENT);
                } else if (fate == Fate.CANCELLED_AFTER_PAYMENT) {
                    cancelledAt = paidAt.plus(minutes(10, 60));
                    reason = pick(CANCEL_AFTER_PAYMENT);
                } else {
                    cancelledAt = shippedAt.plus(minutes(2 * 60, 24 * 60));
                    reason = pick(CANCEL_AFTER_SHIPPING);
                }
                add(cancelledAt, order, "/oms/orders", new OrderCancelled(reason));
                for (int i = 0; i < lines.size(); i++) {
                    OrderLine line = lines.get(i);
                    if (ships) {
                        add(
                                cancelledAt.plus(minutes(24 * 60, 48 * 60)),
                                inventory(line.sku(), from),
                                locationSource(from),
                                new InventoryAdjusted(
                                        line.quantity(), "recalled parcel returned to stock, order " + plan.orderId()));
                    } else {
                        add(
                                cancelledAt.plusSeconds(i + 1L),
                                inventory(line.sku(), from),
                                "/oms/allocation",
                                new InventoryReleased(plan.orderId(), line.quantity()));
                    }
                }
            }
        }

        /** Receives stock at {@code location} so that {@code quantity} can be reserved at {@code at}. */
        private void ensureStock(Location location, String sku, int quantity, Instant at) {
            String key = sku + "@" + location.id();
            if (!available.containsKey(key)) {
                long opening = location.isWarehouse() ? 40 + random.nextInt(260) : 4 + random.nextInt(26);
                add(
                        options.startTime().minus(Duration.ofHours(1)),
                        inventory(sku, location),
                        locationSource(location),
                        new InventoryReceived((int) opening));
                available.put(key, opening);
                touched.add(key);
            }
            long have = available.get(key);
            if (have < quantity) {
                long topUp =
                        quantity - have + (location.isWarehouse() ? 50 + random.nextInt(150) : 5 + random.nextInt(20));
                add(
                        at.minus(minutes(1, 120)),
                        inventory(sku, location),
                        locationSource(location),
                        new InventoryReceived((int) topUp));
                available.put(key, have + topUp);
            }
        }

        /**
         * Now and then a stock correction between two orders: negative only within the tracked
         * lower bound of availability, so it is never ignored.
         */
        private void maybeAdjust(Instant nextPlacement) {
            if (touched.isEmpty() || random.nextDouble() >= ADJUSTMENT_SHARE) {
                return;
            }
            Instant at = nextPlacement.minusMillis(1);
            if (!at.isAfter(lastReservation)) {
                return;
            }
            String key = pick(touched);
            AggregateKey aggregate = AggregateKey.fromSubject("inventory/" + key);
            Location location = locations.get(aggregate.locationId());
            long have = available.get(key);
            if (random.nextDouble() < 0.25) {
                int delta = 1 + random.nextInt(3);
                add(
                        at,
                        aggregate,
                        locationSource(location),
                        new InventoryAdjusted(delta, "cycle count correction: stock found"));
                available.put(key, have + delta);
            } else if (have >= 1) {
                int delta = (int) Math.min(have, 1 + random.nextInt(3));
                add(at, aggregate, locationSource(location), new InventoryAdjusted(-delta, pick(SHRINKAGE)));
                available.put(key, have - delta);
            }
        }

        private void add(Instant time, AggregateKey key, String source, EventData data) {
            drafts.add(new Draft(time, drafts.size(), key, source, data));
        }

        // ------------------------------------------------------------ ids and malformed records

        private List<CloudEvent> assignIds() {
            drafts.sort(Comparator.comparing(Draft::time).thenComparingLong(Draft::seq));
            List<CloudEvent> events = new ArrayList<>(drafts.size());
            for (int i = 0; i < drafts.size(); i++) {
                Draft draft = drafts.get(i);
                String id = String.format(Locale.ROOT, "EVT-%s-%08d", tag, i + 1);
                events.add(CloudEvent.of(id, draft.source(), draft.key(), draft.time(), draft.data()));
            }
            return events;
        }

        private List<WorkloadRecord> interleaveMalformed(List<CloudEvent> events) {
            double share = options.malformedShare();
            int count = (int) Math.round(events.size() * share / (1.0 - share));
            Malformer malformer = new Malformer(new EventCodec());
            Mutation[] mutations = Mutation.values();
            List<WorkloadRecord.Malformed> bad = new ArrayList<>(count);
            for (int j = 0; j < count; j++) {
                Mutation mutation = mutations[j % mutations.length];
                CloudEvent base = null;
                for (int attempt = 0; attempt < 64 && base == null; attempt++) {
                    CloudEvent candidate = pick(events);
                    if (mutation.appliesTo(candidate.type())) {
                        base = candidate;
                    }
                }
                if (base == null) {
                    mutation = Mutation.BROKEN_JSON;
                    base = pick(events);
                }
                String id = String.format(Locale.ROOT, "BAD-%s-%06d", tag, j + 1);
                bad.add(malformer.mutate(base, id, mutation, random));
            }
            int[] positions = new int[count];
            for (int j = 0; j < count; j++) {
                positions[j] = random.nextInt(events.size() + 1);
            }
            Arrays.sort(positions);
            List<WorkloadRecord> records = new ArrayList<>(events.size() + count);
            int next = 0;
            for (int i = 0; i <= events.size(); i++) {
                while (next < count && positions[next] == i) {
                    records.add(bad.get(next++));
                }
                if (i < events.size()) {
                    records.add(new WorkloadRecord.Valid(events.get(i)));
                }
            }
            return records;
        }

        // ------------------------------------------------------------ helpers

        private List<Location> allStores() {
            return storesByCountry.values().stream().flatMap(List::stream).toList();
        }

        private String currency(String country) {
            try {
                return java.util.Currency.getInstance(new Locale("", country)).getCurrencyCode();
            } catch (IllegalArgumentException e) {
                return "EUR";
            }
        }

        private static AggregateKey inventory(String sku, Location location) {
            return AggregateKey.inventory(sku, location.id());
        }

        private static String locationSource(Location location) {
            return (location.isWarehouse() ? "/wms/" : "/pos/") + location.id();
        }

        private static String carrierSource(String carrier) {
            return "/carrier/" + carrier.toLowerCase(Locale.ROOT).replace(' ', '-');
        }

        private static String placedSource(OrderPlan plan) {
            if (plan.orderType() == OrderType.INTERNAL) {
                return "/erp/replenishment";
            }
            return switch (plan.channel()) {
                case WEB -> "/web/storefront";
                case APP -> "/app/mobile";
                case MARKETPLACE -> "/marketplace/partner-feed";
                case STORE -> "/pos/" + plan.fromLocationId();
            };
        }

        private String trackingId(String carrier) {
            String prefix = carrier.replaceAll("[^A-Za-z]", "").toUpperCase(Locale.ROOT);
            return prefix.substring(0, Math.min(3, prefix.length()))
                    + String.format(Locale.ROOT, "%012d", Math.floorMod(random.nextLong(), 1_000_000_000_000L));
        }

        private String hex(int bytes) {
            byte[] raw = new byte[bytes];
            random.nextBytes(raw);
            return HexFormat.of().withUpperCase().formatHex(raw);
        }

        private Duration seconds(int min, int max) {
            return Duration.ofMillis(1000L * min + (long) (random.nextDouble() * 1000L * (max - min)));
        }

        private Duration minutes(int min, int max) {
            return Duration.ofMillis(60_000L * min + (long) (random.nextDouble() * 60_000L * (max - min)));
        }

        private int geometric(double p, int max) {
            int n = 0;
            while (n < max && random.nextDouble() < p) {
                n++;
            }
            return n;
        }

        private <T> T weighted(T[] values, int[] weights) {
            int total = Arrays.stream(weights).sum();
            int r = random.nextInt(total);
            for (int i = 0; i < values.length; i++) {
                r -= weights[i];
                if (r < 0) {
                    return values[i];
                }
            }
            return values[values.length - 1];
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        private <T> void shuffle(List<T> values) {
            for (int i = values.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                T swap = values.get(i);
                values.set(i, values.get(j));
                values.set(j, swap);
            }
        }
    }
}
