package io.retailstack.demo.report;

import io.retailstack.demo.pipeline.DemoResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A self-contained HTML page (inline SVG, no script, no network) a person can open after the demo: the run's
 * figures, orders per destination location per hour as a heat map, and the availability of the hottest SKU over time.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static Path write(DemoResult result, Path file) throws IOException {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Retail stack demo</title>")
                .append("<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}")
                .append("table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:4px 8px;")
                .append("text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}")
                .append("h2{margin-top:2rem}</style></head><body>")
                .append("<h1>Retail stack demo</h1><p>Generated ")
                .append(Instant.now())
                .append("</p>");

        html.append("<h2>Pipeline</h2><table><tr><th>figure</th><th>value</th></tr>");
        row(html, "valid events generated and sent", result.sentValid());
        row(html, "records published by ingest", result.ingested());
        row(html, "valid events in the Cassandra event store", result.stored());
        row(html, "duplicates in the event store", result.storedDuplicates());
        row(html, "records dead-lettered", result.deadLettered());
        row(
                html,
                "malformed records injected",
                result.generatorSummary().path("malformed").asLong());
        row(html, "orders in the star schema", result.bi().orders());
        row(html, "their revenue", result.bi().revenue());
        row(html, "flagged orders (blocklisted IPs)", result.bi().flaggedOrders());
        html.append("</table>");

        html.append("<h2>Step times</h2><table><tr><th>step</th><th>seconds</th></tr>");
        result.timings().forEach((step, d) -> row(html, step, String.format("%.1f", d.toMillis() / 1000.0)));
        html.append("</table>");

        html.append("<h2>Top destination locations by revenue</h2><table><tr><th>location</th><th>orders</th>")
                .append("<th>revenue</th></tr>");
        for (List<Object> r : result.bi().topDestinations()) {
            html.append("<tr><td>")
                    .append(escape(r.get(0)))
                    .append("</td><td>")
                    .append(r.get(1))
                    .append("</td><td>")
                    .append(r.get(2))
                    .append("</td></tr>");
        }
        html.append("</table>");

        html.append("<h2>Orders per destination location per hour</h2>")
                .append(heatMap(result.bi().ordersPerLocationHour()));
        html.append("<h2>Availability of ")
                .append(escape(result.bi().hotSku()))
                .append(" over time (all locations)</h2>")
                .append(lineChart(result.bi().hotSkuAvailability()));

        html.append("<h2>Cache API calls</h2><table><tr><th>request</th><th>status</th><th>X-Cache</th>")
                .append("<th>ms</th></tr>");
        for (DemoResult.CacheCall call : result.cacheCalls()) {
            html.append("<tr><td>GET ")
                    .append(escape(call.path()))
                    .append("</td><td>")
                    .append(call.status())
                    .append("</td><td>")
                    .append(escape(call.cache()))
                    .append("</td><td>")
                    .append(String.format("%.2f", call.micros() / 1000.0))
                    .append("</td></tr>");
        }
        html.append("</table></body></html>");
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, html, StandardCharsets.UTF_8);
    }

    static String heatMap(List<List<Object>> rows) {
        Map<String, Map<String, Long>> grid = new TreeMap<>();
        TreeSet<String> hours = new TreeSet<>();
        long max = 1;
        for (List<Object> r : rows) {
            String location = String.valueOf(r.get(0));
            String hour = hourLabel(r.get(1));
            long n = ((Number) r.get(2)).longValue();
            grid.computeIfAbsent(location, k -> new TreeMap<>()).merge(hour, n, Long::sum);
            hours.add(hour);
            max = Math.max(max, grid.get(location).get(hour));
        }
        if (grid.isEmpty()) {
            return "<p>No orders.</p>";
        }
        List<String> hourList = new ArrayList<>(hours);
        int cell = 18;
        int left = 130;
        int top = 20;
        int width = left + hourList.size() * cell + 10;
        int height = top + grid.size() * cell + 40;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" font-size=\"10\">");
        int y = top;
        for (Map.Entry<String, Map<String, Long>> location : grid.entrySet()) {
            svg.append("<text x=\"0\" y=\"").append(y + 12).append("\">").append(escape(location.getKey()));
            svg.append("</text>");
            for (int i = 0; i < hourList.size(); i++) {
                long n = location.getValue().getOrDefault(hourList.get(i), 0L);
                double opacity = n == 0 ? 0.04 : 0.15 + 0.85 * n / max;
                svg.append("<rect x=\"")
                        .append(left + i * cell)
                        .append("\" y=\"")
                        .append(y)
                        .append("\" width=\"")
                        .append(cell - 2)
                        .append("\" height=\"")
                        .append(cell - 2)
                        .append("\" fill=\"#1f6feb\" fill-opacity=\"")
                        .append(String.format("%.2f", opacity))
                        .append("\"><title>")
                        .append(escape(location.getKey()))
                        .append(' ')
                        .append(hourList.get(i))
                        .append(": ")
                        .append(n)
                        .append(" orders</title></rect>");
            }
            y += cell;
        }
        svg.append("<text x=\"")
                .append(left)
                .append("\" y=\"")
                .append(y + 16)
                .append("\">")
                .append(hourList.get(0))
                .append(" … ")
                .append(hourList.get(hourList.size() - 1))
                .append(" (UTC hours, darker = more orders, max ")
                .append(max)
                .append(")</text></svg>");
        return svg.toString();
    }

    static String lineChart(List<List<Object>> points) {
        if (points.size() < 2) {
            return "<p>Not enough movements to draw.</p>";
        }
        int width = 720;
        int height = 240;
        int pad = 40;
        double minT = epochSeconds(points.get(0).get(0));
        double maxT = epochSeconds(points.get(points.size() - 1).get(0));
        // the y axis spans the data, not 0..max: stock moves by a few units around hundreds, and from 0 it looks flat
        double minV = Double.MAX_VALUE;
        double maxV = -Double.MAX_VALUE;
        for (List<Object> p : points) {
            double v = ((Number) p.get(1)).doubleValue();
            minV = Math.min(minV, v);
            maxV = Math.max(maxV, v);
        }
        if (maxV - minV < 1) {
            maxV = minV + 1;
        }
        StringBuilder path = new StringBuilder();
        for (List<Object> p : points) {
            double x = pad + (width - 2 * pad) * (epochSeconds(p.get(0)) - minT) / Math.max(1, maxT - minT);
            double y = height - pad - (height - 2 * pad) * (((Number) p.get(1)).doubleValue() - minV) / (maxV - minV);
            path.append(String.format("%.1f,%.1f ", x, y));
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height
                + "\" font-size=\"10\"><line x1=\"" + pad + "\" y1=\"" + (height - pad) + "\" x2=\"" + (width - pad)
                + "\" y2=\"" + (height - pad) + "\" stroke=\"#999\"/><line x1=\"" + pad + "\" y1=\"" + pad + "\" x2=\""
                + pad + "\" y2=\"" + (height - pad) + "\" stroke=\"#999\"/><polyline fill=\"none\" stroke=\"#d9480f\""
                + " stroke-width=\"2\" points=\"" + path + "\"/><text x=\"2\" y=\"" + (pad + 4) + "\">"
                + (long) maxV + "</text><text x=\"2\" y=\"" + (height - pad) + "\">" + (long) minV + "</text><text x=\""
                + pad
                + "\" y=\"" + (height - pad + 16) + "\">" + escape(points.get(0).get(0)) + "</text><text x=\""
                + (width - pad - 160) + "\" y=\"" + (height - pad + 16) + "\">"
                + escape(points.get(points.size() - 1).get(0)) + "</text></svg>";
    }

    private static double epochSeconds(Object time) {
        if (time instanceof java.sql.Timestamp ts) {
            return ts.toInstant().getEpochSecond();
        }
        if (time instanceof OffsetDateTime odt) {
            return odt.toEpochSecond();
        }
        return Instant.parse(String.valueOf(time)).getEpochSecond();
    }

    private static String hourLabel(Object time) {
        String s = time instanceof java.sql.Timestamp ts ? ts.toInstant().toString() : String.valueOf(time);
        return s.length() >= 13 ? s.substring(0, 13) : s;
    }

    private static void row(StringBuilder html, String label, Object value) {
        html.append("<tr><td>")
                .append(escape(label))
                .append("</td><td>")
                .append(escape(value))
                .append("</td></tr>");
    }

    static String escape(Object value) {
        return String.valueOf(value)
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
