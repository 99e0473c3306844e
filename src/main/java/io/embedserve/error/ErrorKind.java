package io.embedserve.error;

/**
 * The kinds of failure the service distinguishes. The names follow TEI's {@code error_type}
 * values so that TEI clients see the same words; the HTTP status for each kind is decided in one
 * place, {@code io.embedserve.api.ErrorStatus}.
 */
public enum ErrorKind {
    /** The request had nothing to embed (empty string or empty list), or was not JSON. */
    EMPTY("empty"),
    /** The request is well-formed JSON but breaks a rule: types, limits, lengths, options. */
    VALIDATION("validation"),
    /** The tokenizer refused the input. */
    TOKENIZER("tokenizer"),
    /** The request body is larger than the payload limit. */
    PAYLOAD_TOO_LARGE("payload_limit"),
    /** The queue is full; the client should retry later. */
    OVERLOADED("overloaded"),
    /** The model failed while computing. */
    BACKEND("backend"),
    /** The model is not loaded yet, or the service is shutting down. */
    UNHEALTHY("unhealthy"),
    /** The model on disk is missing, partial or invalid. */
    MODEL("model");

    private final String wireName;

    ErrorKind(String wireName) {
        this.wireName = wireName;
    }

    /** The value written in {@code error_type}. */
    public String wireName() {
        return wireName;
    }
}
