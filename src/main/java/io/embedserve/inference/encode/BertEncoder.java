package io.embedserve.inference.encode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.SafetensorsWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The BERT / RoBERTa / XLM-R encoder on DJL NDArray operations: embeddings, then N post-LN layers.
 * Its weights live in the NDManager given at load; each forward pass allocates in the caller's
 * batch manager, which the caller closes.
 */
public final class BertEncoder {

    /** transformers fills masked scores with the dtype's minimum; softmax then gives them 0. */
    private static final float MASKED = -Float.MAX_VALUE;

    private final EmbeddingLayer embeddings;
    private final List<EncoderLayer> layers;

    private BertEncoder(EmbeddingLayer embeddings, List<EncoderLayer> layers) {
        this.embeddings = embeddings;
        this.layers = List.copyOf(layers);
    }

    /** Loads and shape-checks every tensor; fails if the file holds tensors no module takes. */
    public static BertEncoder load(Path modelDir, EncoderConfig config, NDManager weightsManager) {
        WeightLoader loader = new WeightLoader(
                SafetensorsWeights.open(modelDir), weightsManager, config.family(), modelDir);
        EmbeddingLayer embeddings = EmbeddingLayer.load(loader, config);
        List<EncoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(EncoderLayer.load(loader, i, config));
        }
        loader.requireAllUsed();
        return new BertEncoder(embeddings, layers);
    }

    /**
     * @param batch the padded token ids
     * @param mask (B, T) float, 1 for real tokens and 0 for padding; pooling reads the same array
     * @param manager owns everything this pass allocates
     * @return last hidden state (B, T, H)
     */
    public NDArray forward(PaddedBatch batch, NDArray mask, NDManager manager) {
        Shape tokens = new Shape(batch.batchSize(), batch.length());
        NDArray inputIds = manager.create(batch.inputIds(), tokens); // (B, T)
        NDArray positionIds = manager.create(batch.positionIds(), tokens); // (B, T)
        NDArray additiveMask = mask.sub(1f).mul(-MASKED) // 1 → 0, 0 → MASKED
                .reshape(batch.batchSize(), 1, 1, batch.length()); // (B, 1, 1, T), built once per batch
        NDArray hidden = embeddings.forward(inputIds, positionIds); // (B, T, H)
        for (EncoderLayer layer : layers) {
            hidden = layer.forward(hidden, additiveMask);
        }
        return hidden;
    }
}
