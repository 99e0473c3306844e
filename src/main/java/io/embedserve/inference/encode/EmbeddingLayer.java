package io.embedserve.inference.encode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import io.embedserve.model.EncoderConfig;

/**
 * transformers' BertEmbeddings / RobertaEmbeddings: word + position + token type, then LayerNorm.
 * Every input is a single segment, so the token type is always 0 and its row is added once.
 */
final class EmbeddingLayer {

    private final NDArray words;
    private final NDArray positions;
    private final NDArray tokenTypeZero;
    private final LayerNorm layerNorm;

    private EmbeddingLayer(NDArray words, NDArray positions, NDArray tokenTypeZero, LayerNorm layerNorm) {
        this.words = words;
        this.positions = positions;
        this.tokenTypeZero = tokenTypeZero;
        this.layerNorm = layerNorm;
    }

    static EmbeddingLayer load(WeightLoader loader, EncoderConfig config) {
        long hidden = config.hiddenSize();
        NDArray tokenTypes = loader.load("embeddings.token_type_embeddings.weight", config.typeVocabSize(), hidden);
        return new EmbeddingLayer(
                loader.load("embeddings.word_embeddings.weight", config.vocabSize(), hidden),
                loader.load("embeddings.position_embeddings.weight", config.maxPositionEmbeddings(), hidden),
                tokenTypes.get(0), // (H)
                LayerNorm.load(loader, "embeddings.LayerNorm", hidden, config.layerNormEps()));
    }

    /**
     * @param inputIds (B, T) int64
     * @param positionIds (B, T) int64, already following the family's numbering rule
     * @return (B, T, H)
     */
    NDArray forward(NDArray inputIds, NDArray positionIds) {
        NDArray tokens = Embedding.embedding(inputIds, words, SparseFormat.DENSE).singletonOrThrow();
        NDArray places = Embedding.embedding(positionIds, positions, SparseFormat.DENSE).singletonOrThrow();
        return layerNorm.apply(tokens.add(places).add(tokenTypeZero));
    }
}
