package io.embedserve.error;

/** The model is not loaded yet, or the service is shutting down. */
public final class NotReadyException extends EmbedServeException {

    public NotReadyException(String message) {
        super(ErrorKind.UNHEALTHY, message, null);
    }

    public NotReadyException(String message, Throwable cause) {
        super(ErrorKind.UNHEALTHY, message, cause);
    }
}
