package io.retailstack.cache.api;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Runs a blocking read (Redis, Cassandra, the event store) on Quarkus' worker pool for an endpoint that answers on the
 * event loop when it can. The stage fails with the read's own exception, not wrapped, so the exception mappers see a
 * ProblemException as such.
 */
final class Offload {
    private Offload() {}

    static <T> CompletionStage<T> toWorker(Supplier<T> read) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                answer.complete(read.get());
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        return answer;
    }
}
