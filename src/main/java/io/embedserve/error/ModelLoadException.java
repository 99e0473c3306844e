package io.embedserve.error;

/** The model on disk is missing, partial or invalid. The message names the path tried and the setting that fixes it. */
public final class ModelLoadException extends EmbedServeException {

    public ModelLoadException(String message) {
        super(ErrorKind.MODEL, message, null);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(ErrorKind.MODEL, message, cause);
    }
}
