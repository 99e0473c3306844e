package io.embedserve.inference.encode;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import io.embedserve.error.ModelLoadException;
import io.embedserve.model.CheckpointBuffers;
import io.embedserve.model.ModelFamily;
import io.embedserve.model.SafetensorsWeights;
import io.embedserve.model.TensorEntry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Takes from the checkpoint exactly the tensors the encoder program asks for, by their Hugging Face
 * names, checking each shape, and accounts for every tensor in the file: one that nothing takes
 * fails the load. A full checkpoint may put its family's prefix ({@code bert.}, {@code roberta.},
 * {@code mpnet.}, {@code distilbert.}) before the names. Float32 tensors become PyTorch tensors over
 * the memory-mapped file, without a copy.
 */
final class WeightBinder {

    /** The classification pooler (dense + tanh) is not sentence-transformers pooling: never applied. */
    private static final String POOLER_PREFIX = "pooler.";

    private final SafetensorsWeights weights;
    private final Path directory;
    private final String prefix;
    private final boolean encoderCheckpoint;

    /** The encoder's checkpoint: names under the detected prefix; the pooler and buffers may stay unused. */
    WeightBinder(SafetensorsWeights weights, ModelFamily family, Path directory) {
        this(weights, directory, detectPrefix(weights, family, directory), true);
    }

    private WeightBinder(SafetensorsWeights weights, Path directory, String prefix, boolean encoderCheckpoint) {
        this.weights = weights;
        this.directory = directory;
        this.prefix = prefix;
        this.encoderCheckpoint = encoderCheckpoint;
    }

    /** A sentence-transformers module's own file (e.g. 2_Dense/model.safetensors): every tensor must be taken. */
    static WeightBinder forModule(SafetensorsWeights weights, Path directory) {
        return new WeightBinder(weights, directory, "", false);
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

    /**
     * @param expected every tensor the program takes, by Hugging Face name, with its shape
     * @param manager owns the tensors; they must live as long as the program that holds them
     * @return the tensors by the names in {@code expected}, in its order
     */
    Map<String, PtNDArray> take(Map<String, long[]> expected, NDManager manager) {
        return take(expected, Map.of(), manager);
    }

    /**
     * As {@link #take(Map, NDManager)}, with a task head's tensors too: those are named from the
     * checkpoint's root ({@code classifier.weight}, {@code bert.pooler.dense.weight}), not under the
     * base model's prefix.
     */
    Map<String, PtNDArray> take(Map<String, long[]> expected, Map<String, long[]> atRoot, NDManager manager) {
        Map<String, PtNDArray> taken = new LinkedHashMap<>();
        expected.forEach((name, shape) -> taken.put(name, load(prefix + name, shape, manager)));
        atRoot.forEach((name, shape) -> taken.put(name, load(name, shape, manager)));
        Set<String> used = new TreeSet<>();
        expected.keySet().forEach(name -> used.add(prefix + name));
        used.addAll(atRoot.keySet());
        requireAllUsed(used);
        return taken;
    }

    private PtNDArray load(String key, long[] expected, NDManager manager) {
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
        PtNDArray array = (PtNDArray) manager.create(weights.float32(entry), new Shape(expected), DataType.FLOAT32);
        array.setName(key);
        return array;
    }

    /**
     * Fails naming every tensor in the file that nothing took, except the pooler and the buffers
     * transformers saves (checked for what they must hold, then released).
     */
    private void requireAllUsed(Set<String> used) {
        Set<String> unused = new TreeSet<>(weights.names());
        unused.removeAll(used);
        if (encoderCheckpoint) {
            unused.removeAll(CheckpointBuffers.verify(weights, prefix));
            unused.removeIf(name -> name.startsWith(prefix + POOLER_PREFIX));
        }
        if (!unused.isEmpty()) {
            throw new ModelLoadException(
                    "Checkpoint in " + directory + " holds tensors this encoder does not use: " + unused
                            + ". " + (encoderCheckpoint ? "config.json (e.g. num_hidden_layers)" : "Its config.json")
                            + " does not match the weights.");
        }
    }
}
