package io.retailstack.ingest.api;

/** The request's content type is none the intake speaks; answered 415. */
public final class UnsupportedContentTypeException extends RuntimeException {

    private final String contentType;

    public UnsupportedContentTypeException(String contentType) {
        super("unsupported content type " + contentType);
        this.contentType = contentType;
    }

    /** What the client sent, null if nothing. */
    public String contentType() {
        return contentType;
    }
}
