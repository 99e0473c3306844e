package io.embedserve.error;

/** A request that breaks a rule: wrong types, too many inputs, too long, bad options. */
public final class ValidationException extends EmbedServeException {

    public ValidationException(String message) {
        super(ErrorKind.VALIDATION, message, null);
    }

    public ValidationException(String message, Throwable cause) {
        super(ErrorKind.VALIDATION, message, cause);
    }
}
