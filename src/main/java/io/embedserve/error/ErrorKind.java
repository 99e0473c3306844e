package io.embedserve.error;

/**
 * The kinds of failure the service distinguishes. {@link #wireName()} is the {@code error_type}
 * TEI clients see. TEI serialises its {@code ErrorType} enum with serde's defaults, so the words on
 * the wire are the variant names ("Validation", "Empty", ...), not the lower-case forms its OpenAPI
 * examples show; clients that parse {@code error_type} into TEI's six values keep working because
 * the kinds TEI lacks reuse the closest of those six. The HTTP status for each kind is decided
 * in one place, {@code io.embedserve.api.ErrorStatus}.
 */
public enum ErrorKind {
    /** The request had nothing to embed (empty string or empty list), or was not JSON. */
    EMPTY("Empty"),
    /** The request is well-formed JSON but breaks a rule: types, limits, lengths, options. */
    VALIDATION("Validation"),
    /**
     * No route answers this path. TEI has no error_type for it (its router answers an unknown path
     * with an empty 404); "Validation" would send a client looking for a fault in its body, so the
     * type says what happened instead.
     */
    NOT_FOUND("NotFound"),
    /** The tokenizer refused the input. */
    TOKENIZER("Tokenizer"),
    /**
     * The request body is larger than the payload limit. TEI has no error_type for this (its
     * body limit answers in plain text); it is a rule about the request, hence "Validation".
     */
    PAYLOAD_TOO_LARGE("Validation"),
    /** The queue is full; the client should retry later. */
    OVERLOADED("Overloaded"),
    /** The model failed while computing. */
    BACKEND("Backend"),
    /** The model is not loaded yet, or the service is shutting down. */
    UNHEALTHY("Unhealthy"),
    /** The model on disk is missing, partial or invalid: to a client, the service is unhealthy. */
    MODEL("Unhealthy"),
    /**
     * The client closed its connection before its answer was computed, so the work was dropped.
     * Nobody reads this answer; it exists so that the drop is counted under its own kind.
     */
    CLIENT_GONE("Backend"),
    /**
     * No API key, or a key that is not one of the service's (TEI's --api-key). TEI answers a bare
     * 401; the closest of its six words for a request that breaks a rule is "Validation".
     */
    UNAUTHORIZED("Validation"),
    /**
     * The request waited longer than REQUEST_TIMEOUT for the model: the queue is too long or the
     * worker is stuck. TEI has no such kind; to a client it means "too busy, retry later".
     */
    TIMEOUT("Overloaded"),
    /**
     * The request body arrived too slowly (under EMBEDSERVE_REQUEST_BODY_MIN_RATE after its grace
     * time): the client holds a server thread for nothing. TEI has no such kind; it is the
     * request's fault, hence "Validation".
     */
    SLOW_CLIENT("Validation"),
    /**
     * The route needs another kind of model than the one served (/rerank without a reranker, /embed
     * when the only model is a cross-encoder). TEI answers it as a backend failure (424, "Backend"),
     * but unlike a failed batch its message is for the client, who chose the wrong route.
     */
    WRONG_MODEL_TYPE("Backend");

    private final String wireName;

    ErrorKind(String wireName) {
        this.wireName = wireName;
    }

    /** The value written in {@code error_type}. */
    public String wireName() {
        return wireName;
    }
}
