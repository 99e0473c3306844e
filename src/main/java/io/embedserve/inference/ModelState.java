package io.embedserve.inference;

import io.embedserve.error.NotReadyException;
import io.embedserve.error.WrongModelTypeException;

/**
 * Where one kind of model stands in this process: still to be decided or loading, loaded and
 * warming (the batch queue's workers may run it), ready for requests, or absent (the process serves
 * no model of this kind, which the loader decides once it has read the configured models). The
 * holders of the sentence model and of the cross-encoder share it.
 */
final class ModelState<M> {

    private final String notReadyMessage;
    private volatile M model;
    private volatile boolean ready;
    private volatile String absence;

    ModelState(String notReadyMessage) {
        this.notReadyMessage = notReadyMessage;
    }

    void setWarming(M loaded) {
        ready = false;
        model = loaded;
    }

    void set(M loaded) {
        model = loaded;
        ready = true;
    }

    void markReady() {
        if (model == null) {
            throw new IllegalStateException("no model to mark ready");
        }
        ready = true;
    }

    /** No model of this kind will come; requests for one get {@code message} (a 424, as TEI's). */
    void markAbsent(String message) {
        absence = message;
    }

    boolean isReady() {
        return ready && model != null;
    }

    boolean isAbsent() {
        return absence != null;
    }

    M require() {
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

    M loaded() {
        M current = model;
        if (current == null) {
            throw new NotReadyException(notReadyMessage);
        }
        return current;
    }

    /** Forgets the model and hands it back for closing (null if there was none). */
    M release() {
        M current = model;
        ready = false;
        model = null;
        return current;
    }
}
