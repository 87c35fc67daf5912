package io.retailstack.enricher.service;

/** Called around a chunk's commit. A test seam for failure and concurrency tests. */
@FunctionalInterface
public interface ChunkListener {
    ChunkListener NONE = chunk -> {};

    /** Inside the chunk's transaction, after all writes, before the commit. */
    void beforeCommit(int chunk) throws Exception;

    /** After the commit, outside any transaction and lock of the run. */
    default void afterCommit(int chunk) throws Exception {}
}
