package io.embedserve.error;

/** The queue is full; the request was not accepted. */
public final class OverloadedException extends EmbedServeException {

    public OverloadedException(String message) {
        super(ErrorKind.OVERLOADED, message, null);
    }

    public OverloadedException(String message, Throwable cause) {
        super(ErrorKind.OVERLOADED, message, cause);
    }
}
