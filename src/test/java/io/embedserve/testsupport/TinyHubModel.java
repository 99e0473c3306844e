package io.embedserve.testsupport;

import io.embedserve.testsupport.TinyEncoderModel.IntegerTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A model directory as the Hugging Face Hub ships one, at a small width and with random weights:
 * config.json with the keys transformers writes for the architecture, model.safetensors with
 * transformers' tensor names and shapes (and what it saves beside them: the {@code position_ids}
 * buffer, the unused pooler), tokenizer.json and tokenizer_config.json. The sentence-transformers
 * files come from {@link SentenceTransformerFiles}. The weights stay in memory so that
 * {@link ReferenceEncoder} can compute the expected vectors independently.
 *
 * <p>The config values other than the widths are the published models' own: all-mpnet-base-v2's for
 * MPNet, distiluse-base-multilingual-cased-v2's for DistilBERT, LaBSE's for BERT.
 */
public final class TinyHubModel implements EncoderCheckpoint {

    public static final int HIDDEN = 32;
    public static final int HEADS = 4;
    public static final int LAYERS = 2;
    public static final int INTERMEDIATE = 64;

    private final String modelType;
    private final int maxPositions;
    private final int padTokenId;
    private final int typeVocabSize;
    private final double layerNormEps;
    private final String hiddenAct;
    private final String tokenizerJson;
    private final int vocabSize;
    private final Random random;
    public final Map<String, float[]> weights = new LinkedHashMap<>();
    public final Map<String, long[]> shapes = new LinkedHashMap<>();
    /** Integer buffers written after the weights, as transformers saves them beside parameters. */
    public final Map<String, IntegerTensor> buffers = new LinkedHashMap<>();

    private TinyHubModel(String modelType, int maxPositions, int padTokenId, int typeVocabSize, double layerNormEps,
            String hiddenAct, TinyWordPieceTokenizer tokenizer, long seed) {
        this.modelType = modelType;
        this.maxPositions = maxPositions;
        this.padTokenId = padTokenId;
        this.typeVocabSize = typeVocabSize;
        this.layerNormEps = layerNormEps;
        this.hiddenAct = hiddenAct;
        this.tokenizerJson = tokenizer.json();
        this.vocabSize = tokenizer.vocabSize();
        this.random = new Random(seed);
        tensor("embeddings.word_embeddings.weight", 0.5, vocabSize, HIDDEN);
        tensor("embeddings.position_embeddings.weight", 0.5, maxPositions, HIDDEN);
        if (typeVocabSize > 0) {
            tensor("embeddings.token_type_embeddings.weight", 0.5, typeVocabSize, HIDDEN);
        }
        layerNorm("embeddings.LayerNorm");
        for (int l = 0; l < LAYERS; l++) {
            if (modelType.equals("distilbert")) {
                // DistilBERT's TransformerBlock: MultiHeadSelfAttention, sa_layer_norm, FFN, output_layer_norm
                String p = "transformer.layer." + l + ".";
                for (String projection : List.of("q_lin", "k_lin", "v_lin", "out_lin")) {
                    linear(p + "attention." + projection, HIDDEN, HIDDEN);
                }
                layerNorm(p + "sa_layer_norm");
                linear(p + "ffn.lin1", HIDDEN, INTERMEDIATE);
                linear(p + "ffn.lin2", INTERMEDIATE, HIDDEN);
                layerNorm(p + "output_layer_norm");
                continue;
            }
            String p = "encoder.layer." + l + ".";
            if (modelType.equals("mpnet")) {
                for (String projection : List.of("q", "k", "v", "o")) {
                    linear(p + "attention.attn." + projection, HIDDEN, HIDDEN);
                }
                layerNorm(p + "attention.LayerNorm");
            } else {
                for (String projection : List.of("self.query", "self.key", "self.value", "output.dense")) {
                    linear(p + "attention." + projection, HIDDEN, HIDDEN);
                }
                layerNorm(p + "attention.output.LayerNorm");
            }
            linear(p + "intermediate.dense", HIDDEN, INTERMEDIATE);
            linear(p + "output.dense", INTERMEDIATE, HIDDEN);
            layerNorm(p + "output.LayerNorm");
        }
        if (modelType.equals("mpnet")) {
            // MPNetEncoder.relative_attention_bias: one scalar per (bucket, head), large enough to matter
            tensor("encoder.relative_attention_bias.weight", 1.0, 32, HEADS);
        }
        if (!modelType.equals("distilbert")) { // DistilBertModel has no pooler
            linear("pooler.dense", HIDDEN, HIDDEN);
        }
        buffers.put("embeddings.position_ids", IntegerTensor.positionIds(maxPositions));
    }

    /**
     * all-mpnet-base-v2 (and multi-qa-mpnet-base-dot-v1): MPNet, 514 positions, pad_token_id 1,
     * layer_norm_eps 1e-5, relative_attention_num_buckets 32, MPNet's WordPiece tokenizer.
     */
    public static TinyHubModel mpnet(long seed) {
        return new TinyHubModel("mpnet", 514, 1, 0, 1e-5, "gelu", TinyWordPieceTokenizer.mpnet(), seed);
    }

    /**
     * distiluse-base-multilingual-cased-v2's encoder: distilbert-base-multilingual-cased, 512
     * positions, pad_token_id 0, a cased BERT WordPiece tokenizer. (DistilBERT's LayerNorms all use
     * eps 1e-12, which modeling_distilbert.py fixes; its config.json has no such key.)
     */
    public static TinyHubModel distilbert(long seed) {
        return new TinyHubModel("distilbert", 512, 0, 0, 1e-12, "gelu", TinyWordPieceTokenizer.bert(false), seed);
    }

    /**
     * LaBSE's encoder: BERT, 512 positions, two token types, pad_token_id 0, eps 1e-12, a cased
     * WordPiece tokenizer.
     */
    public static TinyHubModel bert(long seed) {
        return new TinyHubModel("bert", 512, 0, 2, 1e-12, "gelu", TinyWordPieceTokenizer.bert(false), seed);
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
        float[] weight = weights.get(name);
        if (weight == null) {
            throw new IllegalArgumentException("the tiny " + modelType + " model has no tensor " + name);
        }
        return weight;
    }

    /** Writes config.json, model.safetensors (names after {@code weightPrefix}), the tokenizer files. */
    public Path writeTo(Path dir, String weightPrefix) {
        try {
            Files.createDirectories(dir);
            SafetensorsWriter writer = new SafetensorsWriter();
            weights.forEach((name, data) -> writer.add(weightPrefix + name, shapes.get(name), data, SafetensorsWriter.Dtype.F32));
            buffers.forEach((name, t) -> writer.addIntegers(weightPrefix + name, t.dtype(), t.shape(), t.values()));
            writer.write(dir.resolve("model.safetensors"));
            Files.writeString(dir.resolve("config.json"), configJson());
            Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson);
            Files.writeString(dir.resolve("tokenizer_config.json"), tokenizerConfigJson());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** config.json as transformers writes it for this architecture (the published model's values). */
    public String configJson() {
        return switch (modelType) {
            case "mpnet" -> "{\n"
                    + "  \"_name_or_path\": \"microsoft/mpnet-base\",\n"
                    + "  \"architectures\": [\"MPNetForMaskedLM\"],\n"
                    + "  \"attention_probs_dropout_prob\": 0.1,\n"
                    + "  \"bos_token_id\": 0,\n"
                    + "  \"eos_token_id\": 2,\n"
                    + "  \"hidden_act\": \"" + hiddenAct + "\",\n"
                    + "  \"hidden_dropout_prob\": 0.1,\n"
                    + "  \"hidden_size\": " + HIDDEN + ",\n"
                    + "  \"initializer_range\": 0.02,\n"
                    + "  \"intermediate_size\": " + INTERMEDIATE + ",\n"
                    + "  \"layer_norm_eps\": " + layerNormEps + ",\n"
                    + "  \"max_position_embeddings\": " + maxPositions + ",\n"
                    + "  \"model_type\": \"mpnet\",\n"
                    + "  \"num_attention_heads\": " + HEADS + ",\n"
                    + "  \"num_hidden_layers\": " + LAYERS + ",\n"
                    + "  \"pad_token_id\": " + padTokenId + ",\n"
                    + "  \"relative_attention_num_buckets\": 32,\n"
                    + "  \"torch_dtype\": \"float32\",\n"
                    + "  \"transformers_version\": \"4.11.2\",\n"
                    + "  \"vocab_size\": " + vocabSize + "\n}\n";
            case "bert" -> "{\n"
                    + "  \"architectures\": [\"BertModel\"],\n"
                    + "  \"attention_probs_dropout_prob\": 0.1,\n"
                    + "  \"gradient_checkpointing\": false,\n"
                    + "  \"hidden_act\": \"" + hiddenAct + "\",\n"
                    + "  \"hidden_dropout_prob\": 0.1,\n"
                    + "  \"hidden_size\": " + HIDDEN + ",\n"
                    + "  \"initializer_range\": 0.02,\n"
                    + "  \"intermediate_size\": " + INTERMEDIATE + ",\n"
                    + "  \"layer_norm_eps\": " + layerNormEps + ",\n"
                    + "  \"max_position_embeddings\": " + maxPositions + ",\n"
                    + "  \"model_type\": \"bert\",\n"
                    + "  \"num_attention_heads\": " + HEADS + ",\n"
                    + "  \"num_hidden_layers\": " + LAYERS + ",\n"
                    + "  \"pad_token_id\": " + padTokenId + ",\n"
                    + "  \"position_embedding_type\": \"absolute\",\n"
                    + "  \"transformers_version\": \"4.7.0\",\n"
                    + "  \"type_vocab_size\": " + typeVocabSize + ",\n"
                    + "  \"use_cache\": true,\n"
                    + "  \"vocab_size\": " + vocabSize + "\n}\n";
            case "distilbert" -> "{\n"
                    + "  \"_name_or_path\": \"distilbert-base-multilingual-cased\",\n"
                    + "  \"activation\": \"" + hiddenAct + "\",\n"
                    + "  \"architectures\": [\"DistilBertModel\"],\n"
                    + "  \"attention_dropout\": 0.1,\n"
                    + "  \"dim\": " + HIDDEN + ",\n"
                    + "  \"dropout\": 0.1,\n"
                    + "  \"hidden_dim\": " + INTERMEDIATE + ",\n"
                    + "  \"initializer_range\": 0.02,\n"
                    + "  \"max_position_embeddings\": " + maxPositions + ",\n"
                    + "  \"model_type\": \"distilbert\",\n"
                    + "  \"n_heads\": " + HEADS + ",\n"
                    + "  \"n_layers\": " + LAYERS + ",\n"
                    + "  \"output_past\": true,\n"
                    + "  \"pad_token_id\": " + padTokenId + ",\n"
                    + "  \"qa_dropout\": 0.1,\n"
                    + "  \"seq_classif_dropout\": 0.2,\n"
                    + "  \"sinusoidal_pos_embds\": false,\n"
                    + "  \"tie_weights_\": true,\n"
                    + "  \"transformers_version\": \"4.7.0\",\n"
                    + "  \"vocab_size\": " + vocabSize + "\n}\n";
            default -> throw new IllegalStateException(modelType);
        };
    }

    /** tokenizer_config.json as the published model ships it. */
    String tokenizerConfigJson() {
        return switch (modelType) {
            case "mpnet" -> "{\"do_lower_case\": true, \"bos_token\": \"<s>\", \"eos_token\": \"</s>\","
                    + " \"unk_token\": \"[UNK]\", \"sep_token\": \"</s>\", \"pad_token\": \"<pad>\", \"cls_token\": \"<s>\","
                    + " \"mask_token\": {\"content\": \"<mask>\", \"single_word\": false, \"lstrip\": true, \"rstrip\": false,"
                    + " \"normalized\": true, \"__type\": \"AddedToken\"}, \"tokenize_chinese_chars\": true,"
                    + " \"strip_accents\": null, \"model_max_length\": 512, \"name_or_path\": \"microsoft/mpnet-base\","
                    + " \"tokenizer_class\": \"MPNetTokenizer\"}";
            case "bert" -> "{\"do_lower_case\": false, \"unk_token\": \"[UNK]\", \"sep_token\": \"[SEP]\","
                    + " \"pad_token\": \"[PAD]\", \"cls_token\": \"[CLS]\", \"mask_token\": \"[MASK]\","
                    + " \"tokenize_chinese_chars\": true, \"strip_accents\": null, \"model_max_length\": 512,"
                    + " \"tokenizer_class\": \"BertTokenizer\"}";
            case "distilbert" -> "{\"do_lower_case\": false, \"unk_token\": \"[UNK]\", \"sep_token\": \"[SEP]\","
                    + " \"pad_token\": \"[PAD]\", \"cls_token\": \"[CLS]\", \"mask_token\": \"[MASK]\","
                    + " \"tokenize_chinese_chars\": true, \"strip_accents\": null, \"model_max_length\": 512,"
                    + " \"name_or_path\": \"distilbert-base-multilingual-cased\", \"tokenizer_class\": \"DistilBertTokenizer\"}";
            default -> throw new IllegalStateException(modelType);
        };
    }

    private void tensor(String name, double scale, int... dims) {
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

    private void linear(String prefix, int in, int out) {
        tensor(prefix + ".weight", 1.0 / Math.sqrt(in), out, in);
        tensor(prefix + ".bias", 0.1, out);
    }

    private void layerNorm(String prefix) {
        tensor(prefix + ".weight", 0.1, HIDDEN);
        float[] gamma = weights.get(prefix + ".weight");
        for (int i = 0; i < gamma.length; i++) {
            gamma[i] += 1f;
        }
        tensor(prefix + ".bias", 0.1, HIDDEN);
    }
}
