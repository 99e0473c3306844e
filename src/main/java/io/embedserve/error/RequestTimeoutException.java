package io.embedserve.error;

/** The request's inputs were not computed within REQUEST_TIMEOUT; they are withdrawn from the queue. */
public final class RequestTimeoutException extends EmbedServeException {

    public RequestTimeoutException(String message) {
        super(ErrorKind.TIMEOUT, message, null);
    }
}
