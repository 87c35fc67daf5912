package io.retailstack.cache.api;

import java.util.Map;

/** An error answered as RFC 9457 problem+json. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String title;
    private final Map<String, String> headers;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    public ProblemException(int status, String title, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad Request", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not Found", detail);
    }
}
