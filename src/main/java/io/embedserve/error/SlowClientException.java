package io.embedserve.error;

/** The request body arrived more slowly than the service's minimum rate allows. */
public final class SlowClientException extends EmbedServeException {

    public SlowClientException(String message) {
        super(ErrorKind.SLOW_CLIENT, message, null);
    }
}
