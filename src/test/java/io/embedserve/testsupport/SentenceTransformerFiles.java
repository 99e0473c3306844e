package io.embedserve.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sentence-transformers files of a model directory, laid out as sentence-transformers saves
 * them: modules.json listing Transformer, Pooling and then the modules after it in order, each in
 * its numbered folder ({@code 1_Pooling/config.json}, {@code 2_Dense/}, {@code 3_Normalize} ...),
 * sentence_bert_config.json and config_sentence_transformers.json.
 */
public final class SentenceTransformerFiles {

    private SentenceTransformerFiles() {}

    /**
     * @param pooling mean, cls, max or lasttoken
     * @param dimension the Pooling module's word_embedding_dimension (the encoder's hidden size)
     * @param normalize whether a Normalize module ends the pipeline
     */
    public static void write(Path dir, String pooling, int dimension, int maxSeqLength, boolean doLowerCase,
            boolean normalize) {
        write(dir, pooling, dimension, maxSeqLength, doLowerCase, List.of(), normalize);
    }

    /** As {@link #write(Path, String, int, int, boolean, boolean)}, with Dense modules after Pooling. */
    public static void write(Path dir, String pooling, int dimension, int maxSeqLength, boolean doLowerCase,
            List<TinyDenseModule> dense, boolean normalize) {
        try {
            List<String> modules = new ArrayList<>();
            modules.add(module(0, "", "Transformer"));
            modules.add(module(1, "1_Pooling", "Pooling"));
            Files.createDirectories(dir.resolve("1_Pooling"));
            Files.writeString(dir.resolve("1_Pooling/config.json"), poolingJson(pooling, dimension));
            for (TinyDenseModule module : dense) {
                String path = modules.size() + "_Dense";
                modules.add(module(modules.size(), path, "Dense"));
                module.writeTo(dir.resolve(path));
            }
            if (normalize) {
                String path = modules.size() + "_Normalize";
                modules.add(module(modules.size(), path, "Normalize"));
                Files.createDirectories(dir.resolve(path));
            }
            Files.writeString(dir.resolve("modules.json"), "[\n  " + String.join(",\n  ", modules) + "\n]\n");
            Files.writeString(dir.resolve("sentence_bert_config.json"),
                    "{\n  \"max_seq_length\": " + maxSeqLength + ",\n  \"do_lower_case\": " + doLowerCase + "\n}\n");
            Files.writeString(dir.resolve("config_sentence_transformers.json"),
                    "{\n  \"__version__\": {\"sentence_transformers\": \"2.0.0\", \"transformers\": \"4.6.1\","
                            + " \"pytorch\": \"1.8.1\"}\n}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String module(int idx, String path, String type) {
        return "{\"idx\": " + idx + ", \"name\": \"" + idx + "\", \"path\": \"" + path
                + "\", \"type\": \"sentence_transformers.models." + type + "\"}";
    }

    /** 1_Pooling/config.json with exactly one mode on, as sentence-transformers 2.x writes it. */
    static String poolingJson(String mode, int dimension) {
        return "{\n  \"word_embedding_dimension\": " + dimension + ",\n"
                + "  \"pooling_mode_cls_token\": " + mode.equals("cls") + ",\n"
                + "  \"pooling_mode_mean_tokens\": " + mode.equals("mean") + ",\n"
                + "  \"pooling_mode_max_tokens\": " + mode.equals("max") + ",\n"
                + "  \"pooling_mode_mean_sqrt_len_tokens\": false\n}\n";
    }
}
