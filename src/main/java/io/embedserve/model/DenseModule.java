package io.embedserve.model;

import io.embedserve.error.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;

/**
 * A sentence-transformers Dense module: {@code activation_function(linear(sentence_embedding))},
 * read from its folder's config.json; its weights are {@code linear.weight} (out, in) and
 * {@code linear.bias} in the folder's model.safetensors.
 *
 * @param path the folder modules.json gives it, relative to the model directory (e.g. {@code 2_Dense})
 * @param bias whether nn.Linear has a bias
 */
public record DenseModule(String path, int inFeatures, int outFeatures, boolean bias, DenseActivation activation) {

    /** The features key every sentence-transformers version reads and writes. */
    private static final String SENTENCE_EMBEDDING = "sentence_embedding";

    /** Reads the Dense module in {@code dir}/{@code path}, refusing one EmbedServe cannot run as saved. */
    static DenseModule read(Path dir, String path) {
        Path folder = dir.resolve(path);
        Path file = folder.resolve("config.json");
        JsonNode json = JsonFiles.read(file);
        int in = json.path("in_features").asInt(0);
        int out = json.path("out_features").asInt(0);
        if (in <= 0 || out <= 0) {
            throw new ModelLoadException(file + " must give positive in_features and out_features; it gives "
                    + in + " and " + out + ".");
        }
        String className = json.path("activation_function").asString("");
        DenseActivation activation = DenseActivation.fromClassName(className);
        if (activation == null) {
            throw new ModelLoadException(file + " has activation_function '" + className + "'; EmbedServe runs "
                    + Arrays.stream(DenseActivation.values()).map(DenseActivation::className).toList() + ".");
        }
        // Newer sentence-transformers may point a Dense module at other features than the sentence
        // embedding (token_embeddings, ...); only the sentence embedding is computed here.
        String input = json.path("module_input_name").asString(SENTENCE_EMBEDDING);
        String output = json.path("module_output_name").asString(input);
        if (!SENTENCE_EMBEDDING.equals(input) || !SENTENCE_EMBEDDING.equals(output)) {
            throw new ModelLoadException(file + " applies the Dense module to '" + input + "' -> '" + output
                    + "'; EmbedServe runs Dense modules on the sentence embedding only.");
        }
        requireSafetensors(folder);
        return new DenseModule(path, in, out, json.path("bias").asBoolean(true), activation);
    }

    /**
     * sentence-transformers before 3.0 saved a Dense module's weights as pytorch_model.bin only, and
     * many Hub repositories still hold just that file in the module's folder.
     */
    private static void requireSafetensors(Path folder) {
        if (Files.isRegularFile(folder.resolve("model.safetensors"))) {
            return;
        }
        if (Files.exists(folder.resolve("pytorch_model.bin"))) {
            throw new ModelLoadException("The Dense module in " + folder + " has only pytorch_model.bin; EmbedServe"
                    + " reads safetensors only (pickle files can run code). Download a revision of the model whose "
                    + folder.getFileName() + " folder holds model.safetensors, or convert the file (its tensors are"
                    + " linear.weight and linear.bias) with the safetensors library and put model.safetensors"
                    + " beside it.");
        }
        throw new ModelLoadException("The Dense module in " + folder + " has no model.safetensors. The download is"
                + " incomplete: fetch the model again, or check MODEL_PATH / MODEL_ID / MODEL_REVISION.");
    }
}
