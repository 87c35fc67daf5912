package io.retailstack.writer.service;

import io.retailstack.events.AggregateKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contexts of recently seen aggregates, least recently used evicted first. Cleared whenever a batch is abandoned
 * (revoked partitions, failures): contexts may run ahead of the store while batches are in flight, and another writer
 * may move revoked aggregates on. Never smaller than what the batches in flight touch, so an aggregate being written
 * is never evicted and reloaded behind its own writes. Confined to the consumer thread.
 */
public final class AggregateCache {

    private final LinkedHashMap<AggregateKey, AggregateContext> entries;

    /**
     * @param maxEntries the bound
     * @param inFlightRecords the most records the batches in flight can hold; the bound is raised above it
     */
    public AggregateCache(int maxEntries, int inFlightRecords) {
        this(Math.max(maxEntries, 2 * inFlightRecords + 1024));
    }

    private AggregateCache(int maxEntries) {
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<AggregateKey, AggregateContext> eldest) {
                return size() > maxEntries;
            }
        };
    }

    public AggregateContext get(AggregateKey key) {
        return entries.get(key);
    }

    public void put(AggregateContext context) {
        entries.put(context.key(), context);
    }

    public void clear() {
        entries.clear();
    }

    public int size() {
        return entries.size();
    }
}
