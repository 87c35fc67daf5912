package io.retailstack.writer.service;

/**
 * Cancellation of one batch. A batch is abandoned when its partitions were revoked and it could not finish in time, or
 * at shutdown: its statements stop retrying, nothing more is published, nothing is committed. What it already wrote
 * is harmless: the next owner of the partition writes the same rows.
 */
public final class BatchToken {
    private volatile boolean abandoned;

    public void abandon() {
        abandoned = true;
    }

    public boolean abandoned() {
        return abandoned;
    }
}
