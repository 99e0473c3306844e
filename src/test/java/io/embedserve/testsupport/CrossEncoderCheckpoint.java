package io.embedserve.testsupport;

import io.embedserve.testsupport.OnnxToHuggingFace.HfTensor;
import io.embedserve.testsupport.TinyEncoderModel.IntegerTensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A cross-encoder's model directory as the Hub ships one: a *ForSequenceClassification checkpoint
 * (the base model's tensors under {@code bert.} / {@code roberta.}, the head's beside them), its
 * config.json with {@code architectures}, {@code id2label} and {@code label2id}, tokenizer.json and
 * tokenizer_config.json. The head is random; the body is either real (all-MiniLM-L6-v2's weights
 * from its ONNX export, in the layout of cross-encoder/ms-marco-MiniLM-L-6-v2, which has the same
 * MiniLM-L6-H384 shape) or a tiny random XLM-R / RoBERTa. Every weight stays in memory for
 * {@link ReferenceCrossEncoder}.
 */
public final class CrossEncoderCheckpoint {

    /** The base model, for {@link ReferenceEncoder}. */
    public final EncoderCheckpoint body;
    /** transformers' class: BertForSequenceClassification, RobertaForSequenceClassification, ... */
    public final String architecture;
    public final List<String> labels;
    /** The head's tensors by their full checkpoint names. */
    public final Map<String, float[]> head = new LinkedHashMap<>();
    private final Map<String, long[]> headShapes = new LinkedHashMap<>();
    private final Map<String, long[]> bodyShapes;
    private final Map<String, IntegerTensor> bodyBuffers;
    private final String prefix;
    private final String configJson;
    private final String tokenizerJson;
    private final String tokenizerConfigJson;

    private CrossEncoderCheckpoint(EncoderCheckpoint body, Map<String, long[]> bodyShapes,
            Map<String, IntegerTensor> bodyBuffers, String architecture, List<String> labels, String baseConfig,
            String tokenizerJson, String tokenizerConfigJson, long seed) {
        this.body = body;
        this.bodyShapes = bodyShapes;
        this.bodyBuffers = bodyBuffers;
        this.architecture = architecture;
        this.labels = List.copyOf(labels);
        this.prefix = architecture.startsWith("Bert") ? "bert." : "roberta.";
        this.tokenizerJson = tokenizerJson;
        this.tokenizerConfigJson = tokenizerConfigJson;
        this.configJson = classifierConfig(baseConfig, architecture, labels);
        int hidden = body.hiddenSize();
        Random random = new Random(seed);
        // BertForSequenceClassification: bert.pooler.dense, classifier; RobertaClassificationHead:
        // classifier.dense, classifier.out_proj. Scaled so that tanh is not saturated.
        String dense = architecture.startsWith("Bert") ? "bert.pooler.dense" : "classifier.dense";
        String out = architecture.startsWith("Bert") ? "classifier" : "classifier.out_proj";
        linear(random, dense, hidden, hidden);
        linear(random, out, hidden, labels.size());
    }

    /**
     * cross-encoder/ms-marco-MiniLM-L-6-v2's layout (BertForSequenceClassification, one label,
     * the uncased BERT tokenizer, model_max_length 512) with all-MiniLM-L6-v2's real encoder weights.
     */
    public static CrossEncoderCheckpoint msMarcoMiniLm(long seed) {
        RealModel model = RealModel.ALL_MINILM_L6_V2;
        Map<String, HfTensor> tensors = OnnxToHuggingFace.convert(OnnxGraph.read(ModelResources.onnxModel(model))).tensors();
        Map<String, float[]> weights = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensors.values().forEach(t -> {
            weights.put(t.name(), t.data());
            shapes.put(t.name(), t.shape());
        });
        EncoderCheckpoint body = new MapCheckpoint("bert", RealModel.HIDDEN_SIZE, 12, model.layers(), "gelu", 1e-12, 0, weights);
        Map<String, IntegerTensor> buffers = Map.of("embeddings.position_ids",
                IntegerTensor.positionIds(RealModel.MAX_POSITION_EMBEDDINGS));
        String tokenizerConfig = "{\"do_lower_case\": true, \"unk_token\": \"[UNK]\", \"sep_token\": \"[SEP]\","
                + " \"pad_token\": \"[PAD]\", \"cls_token\": \"[CLS]\", \"mask_token\": \"[MASK]\","
                + " \"tokenize_chinese_chars\": true, \"strip_accents\": null, \"model_max_length\": 512,"
                + " \"special_tokens_map_file\": null, \"name_or_path\": \"nreimers/MiniLM-L6-H384-uncased\","
                + " \"tokenizer_class\": \"BertTokenizer\"}";
        try {
            return new CrossEncoderCheckpoint(body, shapes, buffers, "BertForSequenceClassification", List.of("LABEL_0"),
                    resource(model.hubFilesResource() + "config.json"),
                    Files.readString(ModelResources.tokenizerJson(model)), tokenizerConfig, seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * BAAI/bge-reranker-base's layout (XLMRobertaForSequenceClassification, one label, the XLM-R
     * tokenizer) on a tiny random XLM-R body with 40 positions.
     */
    public static CrossEncoderCheckpoint bgeRerankerXlmRoberta(long seed) {
        return tiny(TinyEncoderModel.xlmRoberta(seed), "XLMRobertaForSequenceClassification", List.of("LABEL_0"),
                "XLMRobertaTokenizer", seed + 1);
    }

    /**
     * A three-way NLI cross-encoder's layout (RobertaForSequenceClassification, id2label
     * contradiction / entailment / neutral, as cross-encoder/nli-distilroberta-base) on a tiny random
     * RoBERTa body.
     */
    public static CrossEncoderCheckpoint nliRoberta(long seed) {
        return tiny(TinyEncoderModel.of("roberta", "gelu", 1e-5, seed), "RobertaForSequenceClassification",
                List.of("contradiction", "entailment", "neutral"), "RobertaTokenizer", seed + 1);
    }

    private static CrossEncoderCheckpoint tiny(TinyEncoderModel tiny, String architecture, List<String> labels,
            String tokenizerClass, long seed) {
        // *ForSequenceClassification builds its RoBERTa / XLM-R model without the pooler
        tiny.weights.keySet().removeIf(name -> name.startsWith("pooler."));
        tiny.shapes.keySet().removeIf(name -> name.startsWith("pooler."));
        String tokenizerConfig = "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\", \"sep_token\": \"</s>\","
                + " \"cls_token\": \"<s>\", \"unk_token\": \"<unk>\", \"pad_token\": \"<pad>\", \"mask_token\": \"<mask>\","
                + " \"model_max_length\": 512, \"tokenizer_class\": \"" + tokenizerClass + "\"}";
        return new CrossEncoderCheckpoint(tiny, tiny.shapes, tiny.integerTensors, architecture, labels,
                tiny.configJson(), TinyTokenizer.json(), tokenizerConfig, seed);
    }

    /** Writes config.json, model.safetensors, tokenizer.json and tokenizer_config.json into {@code dir}. */
    public Path writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            SafetensorsWriter writer = new SafetensorsWriter();
            bodyShapes.forEach((name, shape) -> writer.add(prefix + name, shape, body.weight(name), SafetensorsWriter.Dtype.F32));
            bodyBuffers.forEach((name, t) -> writer.addIntegers(prefix + name, t.dtype(), t.shape(), t.values()));
            head.forEach((name, data) -> writer.add(name, headShapes.get(name), data, SafetensorsWriter.Dtype.F32));
            writer.write(dir.resolve("model.safetensors"));
            Files.writeString(dir.resolve("config.json"), configJson);
            Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson);
            Files.writeString(dir.resolve("tokenizer_config.json"), tokenizerConfigJson);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base model's config.json as a *ForSequenceClassification one: architectures, id2label, label2id. */
    private static String classifierConfig(String baseConfig, String architecture, List<String> labels) {
        ObjectNode config = (ObjectNode) JsonMapper.shared().readTree(baseConfig);
        config.putArray("architectures").add(architecture);
        ObjectNode id2label = config.putObject("id2label");
        ObjectNode label2id = config.putObject("label2id");
        for (int id = 0; id < labels.size(); id++) {
            id2label.put(String.valueOf(id), labels.get(id));
            label2id.put(labels.get(id), id);
        }
        return config.toPrettyString();
    }

    private void linear(Random random, String name, int in, int out) {
        float[] weight = new float[out * in];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (random.nextGaussian() / Math.sqrt(in));
        }
        float[] bias = new float[out];
        for (int i = 0; i < out; i++) {
            bias[i] = (float) (random.nextGaussian() * 0.1);
        }
        head.put(name + ".weight", weight);
        headShapes.put(name + ".weight", new long[] {out, in});
        head.put(name + ".bias", bias);
        headShapes.put(name + ".bias", new long[] {out});
    }

    private static String resource(String name) {
        try (InputStream in = CrossEncoderCheckpoint.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An encoder's config numbers and its weights by Hugging Face name. */
    private record MapCheckpoint(String modelType, int hiddenSize, int numAttentionHeads, int numHiddenLayers,
            String hiddenAct, double layerNormEps, int padTokenId, Map<String, float[]> weights)
            implements EncoderCheckpoint {

        @Override
        public float[] weight(String name) {
            return weights.get(name);
        }
    }
}
