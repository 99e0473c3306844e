package io.embedserve.inference;

import io.embedserve.error.NotReadyException;
import io.embedserve.error.WrongModelTypeException;

/**
 * Where one kind of model stands in this process: still to be decided or loading, loaded and
 * warming (the batch queue's workers may run it), ready for requests, or absent (the process serves
 * no model of this kind, which the loader decides once it has read the configured models). Until
 * it is ready every request is answered "not ready" (503), never queued behind the load or the
 * warm-up; once it is known to be absent, TEI's 424. {@link ModelHolder} and
 * {@link CrossEncoderHolder} are its two kinds.
 */
public abstract class ModelState<M extends ServedModel> implements AutoCloseable {

    private final String notReadyMessage;
    private volatile M model;
    private volatile boolean ready;
    private volatile String absence;

    protected ModelState(String notReadyMessage) {
        this.notReadyMessage = notReadyMessage;
    }

    /** The model is loaded: the workers may run it for the warm-up, requests may not reach it yet. */
    public void setWarming(M loaded) {
        ready = false;
        model = loaded;
    }

    /** The model is loaded and ready at once (tools and tests that need no warm-up). */
    public void set(M loaded) {
        model = loaded;
        ready = true;
    }

    /** The model is warm: requests may reach it. */
    public void markReady() {
        if (model == null) {
            throw new IllegalStateException("no model to mark ready");
        }
        ready = true;
    }

    /** No model of this kind will come; requests for one get {@code message} (a 424, as TEI's). */
    public void markAbsent(String message) {
        absence = message;
    }

    public boolean isReady() {
        return ready && model != null;
    }

    /** True once it is known that no model of this kind will be served. */
    public boolean isAbsent() {
        return absence != null;
    }

    /** The model for a request: only once it is ready. */
    public M require() {
        String absent = absence;
        if (absent != null) {
            throw new WrongModelTypeException(absent);
        }
        M current = model;
        if (current == null || !ready) {
            throw new NotReadyException(notReadyMessage);
        }
        return current;
    }

    /** The model for the workers: as soon as it is loaded, so that the warm-up can run through them. */
    public M loaded() {
        M current = model;
        if (current == null) {
            throw new NotReadyException(notReadyMessage);
        }
        return current;
    }

    /**
     * Lets go of the model without closing it: for a shutdown that could not wait for a native call
     * still using it (closing would free memory under that call). The process is ending anyway.
     */
    public void detach() {
        release();
    }

    @Override
    public void close() {
        M current = release();
        if (current != null) {
            current.close();
        }
    }

    /** Forgets the model and hands it back (null if there was none). */
    private M release() {
        M current = model;
        ready = false;
        model = null;
        return current;
    }
}
