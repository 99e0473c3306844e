package io.embedserve.model;

import io.embedserve.error.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Refuses a snapshot that lacks a file the service needs, before anything is parsed. */
final class ModelFileCheck {

    static final String CONFIG = "config.json";
    static final String TOKENIZER = "tokenizer.json";
    static final String WEIGHTS = "model.safetensors";
    static final String WEIGHTS_INDEX = "model.safetensors.index.json";

    private ModelFileCheck() {}

    static void requireLoadable(ModelSnapshot snapshot) {
        requireFile(snapshot, CONFIG);
        requireFile(snapshot, TOKENIZER);
        Path weights = snapshot.file(WEIGHTS);
        Path index = snapshot.file(WEIGHTS_INDEX);
        if (Files.isRegularFile(weights) || Files.isRegularFile(index)) {
            return;
        }
        if (Files.exists(snapshot.file("pytorch_model.bin"))) {
            throw new ModelLoadException(
                    "Model at " + snapshot.directory() + " has only pytorch_model.bin; EmbedServe"
                            + " reads safetensors only (pickle files can run code). Download the"
                            + " model's model.safetensors, or convert it with the safetensors"
                            + " library, and put it beside config.json.");
        }
        throw new ModelLoadException(
                "Model at " + snapshot.directory() + " has no weights: neither " + weights
                        + " nor " + index + " exists. The download is incomplete: fetch"
                        + " model.safetensors again (check MODEL_PATH / MODEL_ID / MODEL_REVISION).");
    }

    private static void requireFile(ModelSnapshot snapshot, String name) {
        Path file = snapshot.file(name);
        if (!Files.isRegularFile(file)) {
            // Files.isRegularFile follows symlinks, so a dangling link into blobs/ lands here too.
            throw new ModelLoadException(
                    "Model at " + snapshot.directory() + " is missing " + name + " (tried " + file
                            + "). The download is incomplete: fetch the model again, or check"
                            + " MODEL_PATH / MODEL_ID / MODEL_REVISION.");
        }
    }
}
