package io.embedserve.inference.batch;

import java.util.List;
import java.util.function.Function;

/**
 * What a worker runs one batch on. Each queued sequence carries its token ids and, when its model
 * reads them (a cross-encoder's pair, whose second text is token type 1 in BERT), its token type
 * ids; a sentence encoder's sequences carry none (null).
 */
@FunctionalInterface
public interface BatchModel {

    /**
     * Runs one batch as given and returns one vector per sequence, in order.
     *
     * @param ids each sequence's token ids
     * @param typeIds each sequence's token type ids, or null for a sequence that carries none
     */
    float[][] run(List<long[]> ids, List<long[]> typeIds);

    /** A model that reads token ids only. */
    static BatchModel ofIds(Function<List<long[]>, float[][]> model) {
        return (ids, typeIds) -> model.apply(ids);
    }
}
