package io.embedserve.inference.encode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.embedserve.error.ModelLoadException;
import io.embedserve.model.CheckpointBuffers;
import io.embedserve.model.ModelFamily;
import io.embedserve.model.SafetensorsWeights;
import io.embedserve.model.TensorEntry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hands out the checkpoint's tensors as float32 NDArrays by their Hugging Face names, checking each
 * shape, and remembers which were taken so that {@link #requireAllUsed()} can account for every
 * tensor in the file. A full checkpoint may put {@code bert.} or {@code roberta.} before the names.
 */
final class WeightLoader {

    /** The classification pooler (dense + tanh) is not sentence-transformers pooling: never applied. */
    private static final String POOLER_PREFIX = "pooler.";

    private final SafetensorsWeights weights;
    private final NDManager manager;
    private final Path directory;
    private final String prefix;
    private final Set<String> used = new HashSet<>();

    WeightLoader(SafetensorsWeights weights, NDManager manager, ModelFamily family, Path directory) {
        this.weights = weights;
        this.manager = manager;
        this.directory = directory;
        this.prefix = detectPrefix(weights, family, directory);
    }

    private static String detectPrefix(SafetensorsWeights weights, ModelFamily family, Path directory) {
        String probe = "embeddings.word_embeddings.weight";
        for (String candidate : family.weightPrefixes()) {
            if (weights.entry(candidate + probe) != null) {
                return candidate;
            }
        }
        throw new ModelLoadException(
                "Checkpoint in " + directory + " has no tensor " + probe + " (with or without a "
                        + family.weightPrefixes().get(1) + " prefix): it is not a " + family.modelType()
                        + " encoder, or the download is incomplete.");
    }

    /** Loads {@code name}, refusing it unless its shape is exactly {@code expected}. */
    NDArray load(String name, long... expected) {
        String key = prefix + name;
        TensorEntry entry = weights.entry(key);
        if (entry == null) {
            throw new ModelLoadException(
                    "Checkpoint in " + directory + " is missing tensor " + key + " (expected shape "
                            + Arrays.toString(expected) + "). The download is incomplete or the"
                            + " checkpoint does not match config.json.");
        }
        if (!Arrays.equals(entry.shape(), expected)) {
            throw new ModelLoadException(
                    "Tensor " + key + " in " + entry.file() + " has shape " + entry.shapeText()
                            + " but config.json implies " + Arrays.toString(expected) + ".");
        }
        used.add(key);
        NDArray array = manager.create(weights.float32(entry), new Shape(expected), DataType.FLOAT32);
        array.setName(key);
        return array;
    }

    /**
     * Fails naming every tensor in the file that no module took, except the pooler and the buffers
     * transformers saves (checked for what they must hold, then released).
     */
    void requireAllUsed() {
        used.addAll(CheckpointBuffers.verify(weights, prefix));
        Set<String> unused = new TreeSet<>(weights.names());
        unused.removeAll(used);
        unused.removeIf(name -> name.startsWith(prefix + POOLER_PREFIX));
        if (!unused.isEmpty()) {
            throw new ModelLoadException(
                    "Checkpoint in " + directory + " holds tensors this encoder does not use: " + unused
                            + ". config.json (e.g. num_hidden_layers) does not match the weights.");
        }
    }
}
