package io.embedserve.error;

/** The request body is over the payload limit. */
public final class PayloadTooLargeException extends EmbedServeException {

    public PayloadTooLargeException(String message) {
        super(ErrorKind.PAYLOAD_TOO_LARGE, message, null);
    }

    public PayloadTooLargeException(String message, Throwable cause) {
        super(ErrorKind.PAYLOAD_TOO_LARGE, message, cause);
    }
}
