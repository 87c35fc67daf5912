-- What the chunk that set a shard's watermark saw just below it: the number of event rows of that store shard
-- recorded in [overlap_from, recorded_through). The next run re-reads that window (the overlap, for events recorded
-- late) and counts the rows again: the event store is append-only and a row's key (recorded_at, event_id) is fixed
-- (recorded_at is the Kafka record's timestamp, so a replayed event rewrites the same row), so the same count means
-- the same rows, all enriched already, and the run skips them without looking up their facts. A different count
-- means something was recorded late: the whole window is processed as before. NULL: not known (older rows, or a
-- chunk that did not hold the whole window), never skipped.
ALTER TABLE ops.watermark
    ADD COLUMN overlap_from timestamptz,
    ADD COLUMN overlap_rows bigint;
