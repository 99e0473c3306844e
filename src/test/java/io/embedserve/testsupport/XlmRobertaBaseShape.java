package io.embedserve.testsupport;

import io.embedserve.testsupport.SafetensorsWriter.Dtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * An XLM-R checkpoint with the default model's real width, vocabulary and position table
 * (paraphrase-multilingual-mpnet-base-v2: hidden 768, 12 heads, intermediate 3072, vocabulary
 * 250002, 514 positions, pad_token_id 1, type_vocab_size 1, eps 1e-5, gelu, mean pooling,
 * max_seq_length 128) but random weights and {@value #LAYERS} layers, so that the double-precision
 * {@link ReferenceEncoder} stays fast. Written as the Hub's files are: position_ids buffer, pooler,
 * sentence-transformers files, and a {@link LargeUnigramTokenizer} with 250002 pieces.
 *
 * <p>The 768 MB word table is never held in memory: row {@code r} is a pure function of the seed
 * and {@code r}, computed again whenever it is needed (while writing, and by the reference).
 */
public final class XlmRobertaBaseShape implements EncoderCheckpoint {

    public static final int VOCAB_SIZE = LargeUnigramTokenizer.VOCAB_SIZE;
    public static final int HIDDEN = 768;
    public static final int HEADS = 12;
    public static final int INTERMEDIATE = 3072;
    public static final int MAX_POSITIONS = 514;
    public static final int LAYERS = 2;
    public static final int PAD_TOKEN_ID = 1;
    public static final int MAX_SEQ_LENGTH = 128;
    public static final double LAYER_NORM_EPS = 1e-5;

    private static final long ROW_MIX = 0x9E3779B97F4A7C15L;

    private final long seed;
    private final Map<String, float[]> weights = new HashMap<>();
    private final Map<String, long[]> shapes = new java.util.LinkedHashMap<>();

    public XlmRobertaBaseShape(long seed) {
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        tensor(random, "embeddings.position_embeddings.weight", 0.5, MAX_POSITIONS, HIDDEN);
        tensor(random, "embeddings.token_type_embeddings.weight", 0.5, 1, HIDDEN);
        layerNorm(random, "embeddings.LayerNorm");
        for (int l = 0; l < LAYERS; l++) {
            String p = "encoder.layer." + l + ".";
            linear(random, p + "attention.self.query", HIDDEN, HIDDEN);
            linear(random, p + "attention.self.key", HIDDEN, HIDDEN);
            linear(random, p + "attention.self.value", HIDDEN, HIDDEN);
            linear(random, p + "attention.output.dense", HIDDEN, HIDDEN);
            layerNorm(random, p + "attention.output.LayerNorm");
            linear(random, p + "intermediate.dense", HIDDEN, INTERMEDIATE);
            linear(random, p + "output.dense", INTERMEDIATE, HIDDEN);
            layerNorm(random, p + "output.LayerNorm");
        }
        linear(random, "pooler.dense", HIDDEN, HIDDEN);
    }

    /** Writes the snapshot for {@code texts} (whose words become tokenizer pieces) into {@code dir}. */
    public Path writeTo(Path dir, Collection<String> texts) {
        try {
            Files.createDirectories(dir.resolve("1_Pooling"));
            SafetensorsWriter writer = new SafetensorsWriter()
                    .addF32Rows("embeddings.word_embeddings.weight", VOCAB_SIZE, HIDDEN, this::wordEmbedding);
            shapes.forEach((name, shape) -> writer.add(name, shape, weights.get(name), Dtype.F32));
            writer.addIntegers("embeddings.position_ids", "I64", new long[] {1, MAX_POSITIONS},
                    LongStream.range(0, MAX_POSITIONS).toArray());
            writer.write(dir.resolve("model.safetensors"));
            Files.writeString(dir.resolve("tokenizer.json"),
                    LargeUnigramTokenizer.json(LargeUnigramTokenizer.vocabulary(texts)));
            Files.writeString(dir.resolve("config.json"), configJson());
            Files.writeString(dir.resolve("modules.json"), TinyEncoderModel.modulesJson(false));
            Files.writeString(dir.resolve("1_Pooling/config.json"), """
                    {"word_embedding_dimension": %d, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
                     "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}
                    """.formatted(HIDDEN));
            Files.writeString(dir.resolve("sentence_bert_config.json"),
                    "{\"max_seq_length\": " + MAX_SEQ_LENGTH + ", \"do_lower_case\": false}");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the real-shape XLM-R model to " + dir, e);
        }
    }

    /** Key for key as paraphrase-multilingual-mpnet-base-v2's config.json, but {@value #LAYERS} layers. */
    private static String configJson() {
        return """
                {
                  "architectures": ["XLMRobertaModel"],
                  "attention_probs_dropout_prob": 0.1,
                  "bos_token_id": 0,
                  "eos_token_id": 2,
                  "gradient_checkpointing": false,
                  "hidden_act": "gelu",
                  "hidden_dropout_prob": 0.1,
                  "hidden_size": %d,
                  "initializer_range": 0.02,
                  "intermediate_size": %d,
                  "layer_norm_eps": 1e-05,
                  "max_position_embeddings": %d,
                  "model_type": "xlm-roberta",
                  "num_attention_heads": %d,
                  "num_hidden_layers": %d,
                  "output_past": true,
                  "pad_token_id": %d,
                  "position_embedding_type": "absolute",
                  "transformers_version": "4.7.0",
                  "type_vocab_size": 1,
                  "use_cache": true,
                  "vocab_size": %d
                }
                """.formatted(HIDDEN, INTERMEDIATE, MAX_POSITIONS, HEADS, LAYERS, PAD_TOKEN_ID, VOCAB_SIZE);
    }

    @Override
    public float[] wordEmbedding(int id) {
        SplittableRandom random = new SplittableRandom(seed ^ (id + 1L) * ROW_MIX);
        float[] row = new float[HIDDEN];
        fill(random, row, 0.5);
        return row;
    }

    @Override
    public String modelType() {
        return "xlm-roberta";
    }

    @Override
    public int hiddenSize() {
        return HIDDEN;
    }

    @Override
    public int numAttentionHeads() {
        return HEADS;
    }

    @Override
    public int numHiddenLayers() {
        return LAYERS;
    }

    @Override
    public String hiddenAct() {
        return "gelu";
    }

    @Override
    public double layerNormEps() {
        return LAYER_NORM_EPS;
    }

    @Override
    public int padTokenId() {
        return PAD_TOKEN_ID;
    }

    @Override
    public float[] weight(String name) {
        float[] weight = weights.get(name);
        if (weight == null) {
            throw new IllegalArgumentException("no weight " + name + " held in memory");
        }
        return weight;
    }

    private void tensor(SplittableRandom random, String name, double std, int... dims) {
        long[] shape = new long[dims.length];
        int count = 1;
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i];
            count *= dims[i];
        }
        float[] data = new float[count];
        fill(random, data, std);
        weights.put(name, data);
        shapes.put(name, shape);
    }

    /** Uniform with standard deviation {@code std} (half-width std·√3): cheap for millions of values. */
    private static void fill(SplittableRandom random, float[] data, double std) {
        double halfWidth = std * Math.sqrt(3);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextDouble(-halfWidth, halfWidth));
        }
    }

    /** Scale 1/√in keeps every layer's outputs near unit size, so attention and GELU see real ranges. */
    private void linear(SplittableRandom random, String prefix, int in, int out) {
        tensor(random, prefix + ".weight", 1.0 / Math.sqrt(in), out, in);
        tensor(random, prefix + ".bias", 0.1, out);
    }

    private void layerNorm(SplittableRandom random, String prefix) {
        tensor(random, prefix + ".weight", 0.1, HIDDEN);
        float[] gamma = weights.get(prefix + ".weight");
        for (int i = 0; i < gamma.length; i++) {
            gamma[i] += 1f;
        }
        tensor(random, prefix + ".bias", 0.1, HIDDEN);
    }
}
