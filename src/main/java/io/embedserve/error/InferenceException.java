package io.embedserve.error;

/** The encoder failed while computing a batch. */
public final class InferenceException extends EmbedServeException {

    public InferenceException(String message) {
        super(ErrorKind.BACKEND, message, null);
    }

    public InferenceException(String message, Throwable cause) {
        super(ErrorKind.BACKEND, message, cause);
    }
}
