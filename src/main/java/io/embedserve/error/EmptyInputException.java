package io.embedserve.error;

/** Nothing to embed: an empty string, an empty list, or no body. */
public final class EmptyInputException extends EmbedServeException {

    public EmptyInputException(String message) {
        super(ErrorKind.EMPTY, message, null);
    }

    public EmptyInputException(String message, Throwable cause) {
        super(ErrorKind.EMPTY, message, cause);
    }
}
