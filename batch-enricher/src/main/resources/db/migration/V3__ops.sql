-- Bookkeeping of the enricher itself.
CREATE SCHEMA IF NOT EXISTS ops;

-- One row per event-store shard (EventBuckets.shardOf, 0..15): every event of that shard recorded before
-- recorded_through is in bi. Advanced in the same transaction as the rows it covers. An enricher shard
-- ("<index>/<count>") owns the store shards s with s % count = index, so it reads and advances only its own rows:
-- parallel enricher shards never touch the same row, and changing the shard count needs no migration.
CREATE TABLE ops.watermark (
    store_shard      smallint PRIMARY KEY CHECK (store_shard BETWEEN 0 AND 15),
    recorded_through timestamptz NOT NULL,
    last_run_id      bigint,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ops.run (
    run_id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shard_key         text        NOT NULL,
    mode              text        NOT NULL,   -- RUN, REBUILD, SCHEDULED
    status            text        NOT NULL,   -- RUNNING, SUCCEEDED, FAILED, ABANDONED
    started_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz,
    read_from         timestamptz,
    read_to           timestamptz,
    buckets           integer,
    partitions        integer,
    events_read       bigint,
    orders_folded     bigint,
    history_reads     bigint,
    rows_changed      bigint,
    rows_changed_by_table jsonb,
    unknown_locations integer,
    unknown_skus      integer,
    unknown_ids       text,
    undecodable       bigint,
    error             text
);
CREATE INDEX run_shard_started ON ops.run (shard_key, started_at DESC);
