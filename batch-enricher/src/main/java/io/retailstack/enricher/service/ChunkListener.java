package io.retailstack.enricher.service;

/** Called inside a chunk's transaction, after all writes and before the commit. A test seam for failure tests. */
@FunctionalInterface
public interface ChunkListener {
    ChunkListener NONE = chunk -> {};

    void beforeCommit(int chunk) throws Exception;
}
