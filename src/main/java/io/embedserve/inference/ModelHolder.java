package io.embedserve.inference;

import io.embedserve.error.NotReadyException;

/**
 * The model once it is loaded and warmed up. Until then every request is answered "not ready"
 * (503), never queued behind the load.
 */
public final class ModelHolder implements AutoCloseable {

    private volatile SentenceModel model;

    public void set(SentenceModel loaded) {
        this.model = loaded;
    }

    public boolean isReady() {
        return model != null;
    }

    public SentenceModel require() {
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
        model = null;
    }

    @Override
    public void close() {
        SentenceModel current = model;
        model = null;
        if (current != null) {
            current.close();
        }
    }
}
