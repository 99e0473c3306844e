package io.embedserve.error;

/**
 * The route needs a kind of model this process does not serve: /rerank without a one-label
 * cross-encoder, /predict without a cross-encoder, /embed when the only model is a cross-encoder.
 */
public final class WrongModelTypeException extends EmbedServeException {

    public WrongModelTypeException(String message) {
        super(ErrorKind.WRONG_MODEL_TYPE, message, null);
    }
}
