-- Friendly names for BI tools: what Power BI's navigator shows. Facts carry the dimension keys, so the model is a
-- plain star: relate each fact's *Key column to the dimension view of the same name.
CREATE VIEW bi."Date" AS
SELECT date_key AS "Date Key", date AS "Date", year AS "Year", quarter AS "Quarter", month AS "Month",
       month_name AS "Month Name", day_of_month AS "Day", day_of_week AS "Day of Week", day_name AS "Day Name",
       iso_week AS "ISO Week", is_weekend AS "Is Weekend"
FROM bi.dim_date;

CREATE VIEW bi."Location" AS
SELECT location_key AS "Location Key", location_id AS "Location ID", name AS "Location", city AS "City",
       region AS "Region", country AS "Country", lat AS "Latitude", lon AS "Longitude"
FROM bi.dim_location;

CREATE VIEW bi."Product" AS
SELECT product_key AS "Product Key", sku AS "SKU", name AS "Product", category AS "Category", brand AS "Brand",
       list_price AS "List Price"
FROM bi.dim_product;

CREATE VIEW bi."Orders" AS
SELECT order_id AS "Order ID", status AS "Status", customer_id AS "Customer ID", channel AS "Channel",
       order_type AS "Order Type", currency AS "Currency", from_location_key AS "From Location Key",
       to_location_key AS "To Location Key", placed_date_key AS "Date Key", line_count AS "Lines",
       units AS "Units", total AS "Order Total",
       CASE WHEN status = 'CANCELLED' THEN 0 ELSE total END AS "Revenue",
       placed_at AS "Placed At", paid_at AS "Paid At", shipped_at AS "Shipped At", delivered_at AS "Delivered At",
       cancelled_at AS "Cancelled At",
       extract(epoch FROM (delivered_at - placed_at)) / 3600.0 AS "Hours to Deliver",
       flagged AS "Fraud Flagged", ip_blocklisted AS "IP Blocklisted"
FROM bi.fact_order;

CREATE VIEW bi."Order Lines" AS
SELECT l.order_id AS "Order ID", l.line_no AS "Line", l.sku AS "SKU", l.product_key AS "Product Key",
       l.from_location_key AS "From Location Key", l.to_location_key AS "To Location Key",
       l.placed_date_key AS "Date Key", o.status AS "Order Status", l.currency AS "Currency",
       l.quantity AS "Quantity", l.unit_price AS "Unit Price", l.line_total AS "Line Total",
       CASE WHEN o.status = 'CANCELLED' THEN 0 ELSE l.line_total END AS "Revenue",
       l.list_price AS "List Price",
       CASE WHEN l.list_price IS NULL THEN NULL ELSE l.list_price * l.quantity - l.line_total END AS "Discount",
       l.placed_at AS "Placed At"
FROM bi.fact_order_line l
JOIN bi.fact_order o ON o.order_id = l.order_id;

CREATE VIEW bi."Inventory Movements" AS
SELECT event_id AS "Event ID", sku AS "SKU", location_id AS "Location ID", product_key AS "Product Key",
       location_key AS "Location Key", date_key AS "Date Key", movement_type AS "Movement",
       quantity AS "Quantity", on_hand_delta AS "On Hand Change", reserved_delta AS "Reserved Change",
       order_id AS "Order ID", reason AS "Reason", event_time AS "Event Time"
FROM bi.fact_inventory_movement;

CREATE VIEW bi."Hourly Sales by Location" AS
SELECT h.hour AS "Hour", to_char(h.hour, 'YYYYMMDD')::int AS "Date Key",
       coalesce(l.location_key, -1) AS "Location Key", h.location_id AS "Location ID",
       sum(h.orders)::int AS "Orders", sum(h.units) AS "Units", sum(h.revenue) AS "Revenue",
       sum(h.cancelled_orders)::int AS "Cancelled Orders", sum(h.flagged_orders)::int AS "Flagged Orders"
FROM bi.fact_location_hourly h
LEFT JOIN bi.dim_location l ON l.location_id = h.location_id
GROUP BY h.hour, h.location_id, l.location_key;

CREATE VIEW bi."Enrichment Runs" AS
SELECT run_id AS "Run ID", shard_key AS "Shard", mode AS "Mode", status AS "Status", started_at AS "Started At",
       finished_at AS "Finished At", events_read AS "Events Read", rows_changed AS "Rows Changed",
       unknown_locations AS "Unknown Locations", unknown_skus AS "Unknown SKUs", error AS "Error"
FROM ops.run;
