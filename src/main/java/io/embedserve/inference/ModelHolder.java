package io.embedserve.inference;

import io.embedserve.error.NotReadyException;

/**
 * The model: loaded (the batch queue's workers may run it, which is how it is warmed up), then
 * ready once warm. Until it is ready every request is answered "not ready" (503), never queued
 * behind the load or the warm-up.
 */
public final class ModelHolder implements AutoCloseable {

    private volatile SentenceModel model;
    private volatile boolean ready;

    /** The model is loaded: the workers may run it for the warm-up, requests may not reach it yet. */
    public void setWarming(SentenceModel loaded) {
        this.ready = false;
        this.model = loaded;
    }

    /** The model is loaded and ready at once (tools and tests that need no warm-up). */
    public void set(SentenceModel loaded) {
        this.model = loaded;
        this.ready = true;
    }

    /** The model is warm: requests may reach it. */
    public void markReady() {
        if (model == null) {
            throw new IllegalStateException("no model to mark ready");
        }
        ready = true;
    }

    public boolean isReady() {
        return ready && model != null;
    }

    /** The model for a request: only once it is ready. */
    public SentenceModel require() {
        SentenceModel current = model;
        if (current == null || !ready) {
            throw new NotReadyException("Model is not ready yet: it is still loading.");
        }
        return current;
    }

    /** The model for the workers: as soon as it is loaded, so that the warm-up can run through them. */
    public SentenceModel loaded() {
        SentenceModel current = model;
        if (current == null) {
            throw new NotReadyException("Model is not ready yet: it is still loading.");
        }
        return current;
    }

    /**
     * Lets go of the model without closing it: for a shutdown that could not wait for a native call
     * still using it (closing would free memory under that call). The process is ending anyway.
     */
    public void detach() {
        ready = false;
        model = null;
    }

    @Override
    public void close() {
        SentenceModel current = model;
        ready = false;
        model = null;
        if (current != null) {
            current.close();
        }
    }
}
