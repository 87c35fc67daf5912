-- Reference data: loaded from CSV or Parquet by the enricher (ReferenceDataLoader), upserted so a reload is a no-op.
CREATE SCHEMA IF NOT EXISTS ref;

CREATE TABLE ref.location (
    location_id text PRIMARY KEY,
    name        text NOT NULL,
    city        text,
    region      text,
    country     text,
    lat         numeric(9, 6),
    lon         numeric(9, 6),
    source      text,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ref.product (
    sku        text PRIMARY KEY,
    name       text NOT NULL,
    category   text,
    brand      text,
    list_price numeric(12, 4),
    source     text,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A single address is stored as a /32 (or /128) network, so one containment test (<<=) covers both.
CREATE TABLE ref.fraud_ip (
    ip_or_cidr cidr PRIMARY KEY,
    reason     text,
    source     text,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fraud_ip_gist ON ref.fraud_ip USING gist (ip_or_cidr inet_ops);
