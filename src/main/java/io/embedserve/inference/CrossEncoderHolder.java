package io.embedserve.inference;

/**
 * The cross-encoder's state (a reranker beside the sentence model, or the only model), warmed up
 * through its own batch queue; absent when the process serves no cross-encoder.
 */
public final class CrossEncoderHolder extends ModelState<CrossEncoderModel> {

    public CrossEncoderHolder() {
        super("The cross-encoder is not ready yet: it is still loading.");
    }
}
