package io.embedserve.inference;

/**
 * The sentence model: loaded (the batch queue's workers may run it, which is how it is warmed up),
 * then ready once warm. Until it is ready every request is answered "not ready" (503), never queued
 * behind the load or the warm-up. When the only configured model is a cross-encoder, the holder is
 * marked absent and embedding requests get TEI's 424 instead.
 */
public final class ModelHolder implements AutoCloseable {

    private final ModelState<SentenceModel> state = new ModelState<>("Model is not ready yet: it is still loading.");

    /** The model is loaded: the workers may run it for the warm-up, requests may not reach it yet. */
    public void setWarming(SentenceModel loaded) {
        state.setWarming(loaded);
    }

    /** The model is loaded and ready at once (tools and tests that need no warm-up). */
    public void set(SentenceModel loaded) {
        state.set(loaded);
    }

    /** The model is warm: requests may reach it. */
    public void markReady() {
        state.markReady();
    }

    /** This process serves no sentence model; embedding requests are answered {@code message} (424). */
    public void markAbsent(String message) {
        state.markAbsent(message);
    }

    public boolean isReady() {
        return state.isReady();
    }

    /** True once it is known that no sentence model will be served. */
    public boolean isAbsent() {
        return state.isAbsent();
    }

    /** The model for a request: only once it is ready. */
    public SentenceModel require() {
        return state.require();
    }

    /** The model for the workers: as soon as it is loaded, so that the warm-up can run through them. */
    public SentenceModel loaded() {
        return state.loaded();
    }

    /**
     * Lets go of the model without closing it: for a shutdown that could not wait for a native call
     * still using it (closing would free memory under that call). The process is ending anyway.
     */
    public void detach() {
        state.release();
    }

    @Override
    public void close() {
        SentenceModel current = state.release();
        if (current != null) {
            current.close();
        }
    }
}
