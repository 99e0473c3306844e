package io.embedserve.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;

import io.embedserve.testsupport.OnnxToHuggingFace.Conversion;
import io.embedserve.testsupport.OnnxToHuggingFace.HfTensor;
import io.embedserve.testsupport.SafetensorsWriter.Dtype;

/**
 * A real sentence-transformers model directory for {@code sentence-transformers/all-MiniLM-L6-v2},
 * rebuilt from the ONNX export in {@link MiniLmResources}:
 *
 * <pre>
 * config.json                 BERT config; shapes derived from the tensors and checked against the published ones
 * model.safetensors           Hugging Face names, Linear weights (out, in); F32, F16 or BF16
 * tokenizer.json              the model's own, byte for byte
 * modules.json                Transformer, Pooling (1_Pooling), Normalize (2_Normalize)
 * sentence_bert_config.json   max_seq_length 256, do_lower_case false
 * 1_Pooling/config.json       mean pooling over 384 dimensions
 * </pre>
 *
 * Conversion takes a few seconds, so each dtype is built once per JVM into a temporary directory
 * ({@link #modelDirectory()}); treat that one as read-only and use {@link #writeModelDirectory}
 * for a private copy to move or break.
 */
public final class MiniLmFixture {

    // Published config.json of sentence-transformers/all-MiniLM-L6-v2.
    public static final int VOCAB_SIZE = 30522;
    public static final int HIDDEN_SIZE = 384;
    public static final int NUM_HIDDEN_LAYERS = 6;
    public static final int NUM_ATTENTION_HEADS = 12;
    public static final int INTERMEDIATE_SIZE = 1536;
    public static final int MAX_POSITION_EMBEDDINGS = 512;
    public static final int TYPE_VOCAB_SIZE = 2;
    /** From sentence_bert_config.json; note that tokenizer.json itself truncates at 128. */
    public static final int MAX_SEQ_LENGTH = 256;

    private static final Map<Dtype, Path> BUILT = new EnumMap<>(Dtype.class);

    // As sentence-transformers wrote them for all-MiniLM-L6-v2 (its Normalize module has no files).
    private static final String MODULES_JSON = """
            [
              {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
              {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
              {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}
            ]
            """;

    private static final String SENTENCE_BERT_CONFIG_JSON = """
            {
              "max_seq_length": %d,
              "do_lower_case": false
            }
            """.formatted(MAX_SEQ_LENGTH);

    private static final String POOLING_CONFIG_JSON = """
            {
              "word_embedding_dimension": %d,
              "pooling_mode_cls_token": false,
              "pooling_mode_mean_tokens": true,
              "pooling_mode_max_tokens": false,
              "pooling_mode_mean_sqrt_len_tokens": false
            }
            """;

    private MiniLmFixture() {
    }

    /** The shared float32 model directory, built on first use. */
    public static Path modelDirectory() {
        return modelDirectory(Dtype.F32);
    }

    /** The shared model directory whose weights are stored as {@code dtype}, built on first use. */
    public static synchronized Path modelDirectory(Dtype dtype) {
        return BUILT.computeIfAbsent(dtype, d -> {
            Path dir = MiniLmResources.createTempDirectoryDeletedOnExit("embedserve-minilm-" + d.name().toLowerCase(Locale.ROOT) + "-");
            build(dir, d);
            return dir;
        });
    }

    /** Copies the float32 model directory into {@code target} (created if needed, files replaced); returns {@code target}. */
    public static Path writeModelDirectory(Path target) {
        return writeModelDirectory(target, Dtype.F32);
    }

    /** Copies the model directory with {@code dtype} weights into {@code target}; returns {@code target}. */
    public static Path writeModelDirectory(Path target, Dtype dtype) {
        Path source = modelDirectory(dtype);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the MiniLM model directory to " + target, e);
        }
    }

    private static void build(Path dir, Dtype dtype) {
        Conversion conversion = OnnxToHuggingFace.convert(OnnxGraph.read(MiniLmResources.onnxModel()));
        if (!conversion.unmappedFloatInitializers().isEmpty()) {
            throw new IllegalStateException("ONNX initializers without a Hugging Face name: "
                    + conversion.unmappedFloatInitializers());
        }
        SortedMap<String, HfTensor> tensors = conversion.tensors();
        BertShapes shapes = BertShapes.of(tensors);
        shapes.requireEqual(new BertShapes(VOCAB_SIZE, HIDDEN_SIZE, NUM_HIDDEN_LAYERS, INTERMEDIATE_SIZE,
                MAX_POSITION_EMBEDDINGS, TYPE_VOCAB_SIZE));

        SafetensorsWriter weights = new SafetensorsWriter();
        tensors.values().forEach(t -> weights.add(t.name(), t.shape(), t.data(), dtype));
        try {
            weights.write(dir.resolve("model.safetensors"));
            Files.copy(MiniLmResources.tokenizerJson(), dir.resolve("tokenizer.json"));
            Files.writeString(dir.resolve("config.json"), configJson(shapes, dtype));
            Files.writeString(dir.resolve("modules.json"), MODULES_JSON);
            Files.writeString(dir.resolve("sentence_bert_config.json"), SENTENCE_BERT_CONFIG_JSON);
            Files.createDirectories(dir.resolve("1_Pooling"));
            Files.writeString(dir.resolve("1_Pooling").resolve("config.json"), POOLING_CONFIG_JSON.formatted(shapes.hiddenSize()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the MiniLM model directory " + dir, e);
        }
    }

    /** Key for key as in the published file; the shapes come from the tensors just written. */
    private static String configJson(BertShapes shapes, Dtype dtype) {
        return """
                {
                  "architectures": ["BertModel"],
                  "attention_probs_dropout_prob": 0.1,
                  "hidden_act": "gelu",
                  "hidden_dropout_prob": 0.1,
                  "hidden_size": %d,
                  "initializer_range": 0.02,
                  "intermediate_size": %d,
                  "layer_norm_eps": 1e-12,
                  "max_position_embeddings": %d,
                  "model_type": "bert",
                  "num_attention_heads": %d,
                  "num_hidden_layers": %d,
                  "pad_token_id": 0,
                  "position_embedding_type": "absolute",
                  "torch_dtype": "%s",
                  "type_vocab_size": %d,
                  "use_cache": true,
                  "vocab_size": %d
                }
                """.formatted(shapes.hiddenSize(), shapes.intermediateSize(), shapes.maxPositionEmbeddings(),
                NUM_ATTENTION_HEADS, shapes.numHiddenLayers(), dtype.torchName(), shapes.typeVocabSize(),
                shapes.vocabSize());
    }

    /** The config.json numbers that the tensors themselves determine. */
    private record BertShapes(int vocabSize, int hiddenSize, int numHiddenLayers, int intermediateSize,
            int maxPositionEmbeddings, int typeVocabSize) {

        static BertShapes of(SortedMap<String, HfTensor> tensors) {
            long[] words = shape(tensors, "embeddings.word_embeddings.weight"); // (vocab, hidden)
            int layers = 0;
            while (tensors.containsKey("encoder.layer." + layers + ".output.dense.weight")) {
                layers++;
            }
            return new BertShapes((int) words[0], (int) words[1], layers,
                    (int) shape(tensors, "encoder.layer.0.intermediate.dense.weight")[0], // (intermediate, hidden)
                    (int) shape(tensors, "embeddings.position_embeddings.weight")[0], // (positions, hidden)
                    (int) shape(tensors, "embeddings.token_type_embeddings.weight")[0]); // (types, hidden)
        }

        private static long[] shape(SortedMap<String, HfTensor> tensors, String name) {
            HfTensor tensor = tensors.get(name);
            if (tensor == null) {
                throw new IllegalStateException("the converted checkpoint has no " + name);
            }
            return tensor.shape();
        }

        void requireEqual(BertShapes published) {
            if (!equals(published)) {
                throw new IllegalStateException("tensor shapes give " + this + " but the published config is " + published);
            }
        }
    }
}
