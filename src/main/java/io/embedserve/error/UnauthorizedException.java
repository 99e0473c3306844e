package io.embedserve.error;

/** API keys are configured and the request carried none, or one that is not among them. */
public final class UnauthorizedException extends EmbedServeException {

    public UnauthorizedException(String message) {
        super(ErrorKind.UNAUTHORIZED, message, null);
    }
}
