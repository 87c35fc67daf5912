package io.retailstack.enricher.service;

/** A run failed; nothing of the failed chunk was committed and the watermark covers only committed chunks. */
public class EnrichmentException extends RuntimeException {
    public EnrichmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
