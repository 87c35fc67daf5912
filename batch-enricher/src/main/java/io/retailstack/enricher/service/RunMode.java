package io.retailstack.enricher.service;

/** How a run was started. */
public enum RunMode {
    /** Incremental, from the shard's watermark minus the overlap. */
    RUN,
    /** From a given instant; orders touched are re-folded from their full history even if already up to date. */
    REBUILD,
    /** Incremental, started by the in-process schedule of serve mode. */
    SCHEDULED
}
