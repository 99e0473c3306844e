package io.embedserve.inference;

/** The sentence model's state; when the only configured model is a cross-encoder it is absent. */
public final class ModelHolder extends ModelState<SentenceModel> {

    public ModelHolder() {
        super("Model is not ready yet: it is still loading.");
    }
}
