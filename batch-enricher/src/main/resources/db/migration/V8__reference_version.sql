-- V8: the version of the reference data. Every load bumps it in its own transaction (ReferenceDataLoader
-- .syncDimensions), holding an exclusive advisory lock until it commits; every chunk of a run takes the same lock
-- shared for its transaction and reads the version. A run computes facts from the dimensions as they were at its
-- start: when a chunk sees a newer version, a load committed since, and the chunk re-points its own rows to the
-- current dimensions before it commits. The lock orders the two, so each fact is re-pointed by one or the other.
CREATE TABLE ops.reference_version (
    id        smallint    PRIMARY KEY CHECK (id = 1),
    version   bigint      NOT NULL,
    loaded_at timestamptz NOT NULL
);
INSERT INTO ops.reference_version (id, version, loaded_at) VALUES (1, 0, now());
