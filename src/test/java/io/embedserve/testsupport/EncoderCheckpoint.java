package io.embedserve.testsupport;

/**
 * What {@link ReferenceEncoder} needs of a checkpoint the test wrote itself: the config.json numbers
 * and the weights by their Hugging Face names, in torch layout (Linear weights (out, in)).
 */
public interface EncoderCheckpoint {

    /** config.json's model_type: bert, roberta or xlm-roberta. */
    String modelType();

    int hiddenSize();

    int numAttentionHeads();

    int numHiddenLayers();

    String hiddenAct();

    double layerNormEps();

    int padTokenId();

    /** A weight by its Hugging Face name (no prefix), row-major. */
    float[] weight(String name);

    /** Row {@code id} of {@code embeddings.word_embeddings.weight}: (H). */
    default float[] wordEmbedding(int id) {
        int hidden = hiddenSize();
        float[] row = new float[hidden];
        System.arraycopy(weight("embeddings.word_embeddings.weight"), id * hidden, row, 0, hidden);
        return row;
    }
}
