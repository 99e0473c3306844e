package io.embedserve.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A tiny sentence-transformers model with random weights, written by the test: the real config
 * keys and Hugging Face weight names of an XLM-RoBERTa (or RoBERTa, or BERT) encoder, a Unigram
 * tokenizer with XLM-R's special tokens, and the sentence-transformers files. The weights stay in
 * memory so that {@link ReferenceEncoder} can compute the expected vectors independently.
 *
 * <p>The files look like the Hub's: model.safetensors also holds what transformers saves beside the
 * weights (the I64 {@code embeddings.position_ids} buffer, BertModel's/XLMRobertaModel's
 * {@code pooler.dense}), and tokenizer.json carries its own truncation and padding blocks, shorter
 * than max_seq_length, as sentence-transformers' older uploads do. Tests that need a file without
 * one of these remove it from {@link #weights} or {@link #integerTensors}.
 */
public final class TinyEncoderModel implements EncoderCheckpoint {

    public static final int HIDDEN = 32;
    public static final int HEADS = 4;
    public static final int LAYERS = 2;
    public static final int INTERMEDIATE = 64;
    public static final int MAX_POSITIONS = 40;

    public final String modelType;
    public final int padTokenId;
    public final int typeVocabSize;
    public final double layerNormEps;
    public final String hiddenAct;
    public final int vocabSize;
    public final Map<String, float[]> weights = new LinkedHashMap<>();
    public final Map<String, long[]> shapes = new LinkedHashMap<>();
    /** Integer tensors written after the weights, as transformers saves buffers beside parameters. */
    public final Map<String, IntegerTensor> integerTensors = new LinkedHashMap<>();

    /** An integer tensor: safetensors dtype (I64, I32, ...), shape and values. */
    public record IntegerTensor(String dtype, long[] shape, long[] values) {

        /** transformers' {@code embeddings.position_ids}: I64 arange(n) of shape [1, n]. */
        public static IntegerTensor positionIds(int n) {
            return new IntegerTensor("I64", new long[] {1, n}, java.util.stream.LongStream.range(0, n).toArray());
        }
    }

    private TinyEncoderModel(String modelType, int padTokenId, int typeVocabSize, double eps, String act, long seed) {
        this.modelType = modelType;
        this.padTokenId = padTokenId;
        this.typeVocabSize = typeVocabSize;
        this.layerNormEps = eps;
        this.hiddenAct = act;
        this.vocabSize = TinyTokenizer.VOCAB.size();
        Random random = new Random(seed);
        tensor(random, "embeddings.word_embeddings.weight", 0.5, vocabSize, HIDDEN);
        tensor(random, "embeddings.position_embeddings.weight", 0.5, MAX_POSITIONS, HIDDEN);
        tensor(random, "embeddings.token_type_embeddings.weight", 0.5, typeVocabSize, HIDDEN);
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
        integerTensors.put("embeddings.position_ids", IntegerTensor.positionIds(MAX_POSITIONS));
    }

    /** XLM-R as the real checkpoint configures it: pad_token_id 1, type_vocab_size 1, eps 1e-5. */
    public static TinyEncoderModel xlmRoberta(long seed) {
        return new TinyEncoderModel("xlm-roberta", 1, 1, 1e-5, "gelu", seed);
    }

    /** A BERT-style variant: positions from 0, two token types. */
    public static TinyEncoderModel bert(long seed) {
        return new TinyEncoderModel("bert", 0, 2, 1e-12, "gelu", seed);
    }

    /**
     * {@code modelType} (bert, roberta or xlm-roberta) with its family's pad_token_id and
     * type_vocab_size (0 and 2 for BERT; 1 and 1 for the RoBERTa family, as roberta-base ships them),
     * the given activation and LayerNorm epsilon.
     */
    public static TinyEncoderModel of(String modelType, String hiddenAct, double layerNormEps, long seed) {
        boolean bert = modelType.equals("bert");
        return new TinyEncoderModel(modelType, bert ? 0 : 1, bert ? 2 : 1, layerNormEps, hiddenAct, seed);
    }

    @Override
    public String modelType() {
        return modelType;
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
        return hiddenAct;
    }

    @Override
    public double layerNormEps() {
        return layerNormEps;
    }

    @Override
    public int padTokenId() {
        return padTokenId;
    }

    @Override
    public float[] weight(String name) {
        return weights.get(name);
    }

    private void tensor(Random random, String name, double scale, int... dims) {
        long[] shape = new long[dims.length];
        int count = 1;
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i];
            count *= dims[i];
        }
        float[] data = new float[count];
        for (int i = 0; i < count; i++) {
            data[i] = (float) (random.nextGaussian() * scale);
        }
        weights.put(name, data);
        shapes.put(name, shape);
    }

    private void linear(Random random, String prefix, int in, int out) {
        tensor(random, prefix + ".weight", 1.0 / Math.sqrt(in), out, in);
        tensor(random, prefix + ".bias", 0.1, out);
    }

    private void layerNorm(Random random, String prefix) {
        tensor(random, prefix + ".weight", 0.1, HIDDEN);
        float[] gamma = weights.get(prefix + ".weight");
        for (int i = 0; i < gamma.length; i++) {
            gamma[i] += 1f;
        }
        tensor(random, prefix + ".bias", 0.1, HIDDEN);
    }

    /** Writes config.json, model.safetensors, tokenizer.json and the sentence-transformers files. */
    public Path writeTo(Path dir, String pooling, boolean normalize, int maxSeqLength, String weightPrefix,
            SafetensorsWriter.Dtype dtype) {
        try {
            Files.createDirectories(dir.resolve("1_Pooling"));
            SafetensorsWriter writer = new SafetensorsWriter();
            weights.forEach((name, data) -> writer.add(weightPrefix + name, shapes.get(name), data, dtype));
            integerTensors.forEach((name, t) -> writer.addIntegers(weightPrefix + name, t.dtype(), t.shape(), t.values()));
            writer.write(dir.resolve("model.safetensors"));
            Files.writeString(dir.resolve("config.json"), configJson());
            Files.writeString(dir.resolve("tokenizer.json"), TinyTokenizer.json());
            Files.writeString(dir.resolve("modules.json"), modulesJson(normalize));
            Files.writeString(dir.resolve("1_Pooling/config.json"), poolingJson(pooling));
            Files.writeString(dir.resolve("sentence_bert_config.json"),
                    "{\"max_seq_length\": " + maxSeqLength + ", \"do_lower_case\": false}");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mean pooling, no Normalize module, max_seq_length 32, F32, no prefix. */
    public Path writeTo(Path dir) {
        return writeTo(dir, "mean", false, 32, "", SafetensorsWriter.Dtype.F32);
    }

    public String configJson() {
        String architecture = switch (modelType) {
            case "bert" -> "BertModel";
            case "roberta" -> "RobertaModel";
            default -> "XLMRobertaModel";
        };
        return "{\n  \"architectures\": [\"" + architecture + "\"],\n"
                + "  \"model_type\": \"" + modelType + "\",\n"
                + "  \"vocab_size\": " + vocabSize + ",\n"
                + "  \"hidden_size\": " + HIDDEN + ",\n"
                + "  \"num_hidden_layers\": " + LAYERS + ",\n"
                + "  \"num_attention_heads\": " + HEADS + ",\n"
                + "  \"intermediate_size\": " + INTERMEDIATE + ",\n"
                + "  \"hidden_act\": \"" + hiddenAct + "\",\n"
                + "  \"hidden_dropout_prob\": 0.1,\n"
                + "  \"attention_probs_dropout_prob\": 0.1,\n"
                + "  \"max_position_embeddings\": " + MAX_POSITIONS + ",\n"
                + "  \"type_vocab_size\": " + typeVocabSize + ",\n"
                + "  \"initializer_range\": 0.02,\n"
                + "  \"layer_norm_eps\": " + layerNormEps + ",\n"
                + "  \"pad_token_id\": " + padTokenId + ",\n"
                + "  \"bos_token_id\": 0,\n"
                + "  \"eos_token_id\": 2,\n"
                + "  \"position_embedding_type\": \"absolute\",\n"
                + "  \"torch_dtype\": \"float32\"\n}\n";
    }

    static String modulesJson(boolean normalize) {
        String modules = "[{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":\"sentence_transformers.models.Transformer\"},"
                + "{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"}";
        if (normalize) {
            modules += ",{\"idx\":2,\"name\":\"2\",\"path\":\"2_Normalize\",\"type\":\"sentence_transformers.models.Normalize\"}";
        }
        return modules + "]";
    }

    static String poolingJson(String mode) {
        StringBuilder json = new StringBuilder("{\"word_embedding_dimension\": " + HIDDEN);
        for (String key : List.of("cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens", "weightedmean_tokens", "lasttoken")) {
            boolean on = switch (mode) {
                case "mean" -> key.equals("mean_tokens");
                case "cls" -> key.equals("cls_token");
                case "max" -> key.equals("max_tokens");
                case "lasttoken" -> key.equals("lasttoken");
                default -> false;
            };
            json.append(", \"pooling_mode_").append(key).append("\": ").append(on);
        }
        return json.append(", \"include_prompt\": true}").toString();
    }
}
