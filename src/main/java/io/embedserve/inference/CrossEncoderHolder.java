package io.embedserve.inference;

/**
 * The cross-encoder (a reranker beside the sentence model, or the only model): loaded, warmed up
 * through its own batch queue, then ready. Until then /rerank and /predict are answered "not ready"
 * (503); when the process serves no cross-encoder, the holder is marked absent and they get TEI's
 * 424 instead.
 */
public final class CrossEncoderHolder implements AutoCloseable {

    private final ModelState<CrossEncoderModel> state =
            new ModelState<>("The cross-encoder is not ready yet: it is still loading.");

    /** Loaded: the workers may run it for the warm-up, requests may not reach it yet. */
    public void setWarming(CrossEncoderModel loaded) {
        state.setWarming(loaded);
    }

    /** Loaded and ready at once (tests that need no warm-up). */
    public void set(CrossEncoderModel loaded) {
        state.set(loaded);
    }

    public void markReady() {
        state.markReady();
    }

    /** This process serves no cross-encoder; its routes are answered {@code message} (424). */
    public void markAbsent(String message) {
        state.markAbsent(message);
    }

    public boolean isReady() {
        return state.isReady();
    }

    public boolean isAbsent() {
        return state.isAbsent();
    }

    /** The model for a request: only once it is ready. */
    public CrossEncoderModel require() {
        return state.require();
    }

    /** The model for the workers: as soon as it is loaded. */
    public CrossEncoderModel loaded() {
        return state.loaded();
    }

    /** Lets go of the model without closing it, as {@link ModelHolder#detach()}. */
    public void detach() {
        state.release();
    }

    @Override
    public void close() {
        CrossEncoderModel current = state.release();
        if (current != null) {
            current.close();
        }
    }
}
