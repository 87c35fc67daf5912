package io.retailstack.cache.service;

import io.retailstack.cache.persistence.StoreUnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Collapses concurrent loads of one key into one: the first caller (the leader) runs the loader, callers arriving while
 * it runs wait for its result. Per JVM only: N instances cold on the same key cost at most N loads (the loader
 * re-checks Redis first, so an instance arriving after another one populated Redis costs none).
 */
final class SingleFlight<T> {
    private final ConcurrentHashMap<String, CompletableFuture<T>> inFlight = new ConcurrentHashMap<>();
    private final long waitMillis;

    SingleFlight(long waitMillis) {
        this.waitMillis = waitMillis;
    }

    T run(String key, Supplier<T> loader) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> leader = inFlight.putIfAbsent(key, mine);
        if (leader != null) {
            return await(leader);
        }
        try {
            T value = loader.get();
            mine.complete(value);
            return value;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** Loads currently running (for tests). */
    int inFlight() {
        return inFlight.size();
    }

    private T await(CompletableFuture<T> leader) {
        try {
            return leader.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreUnavailableException("load failed", e.getCause());
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("load did not finish in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", e);
        }
    }
}
