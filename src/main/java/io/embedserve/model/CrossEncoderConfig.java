package io.embedserve.model;

import io.embedserve.error.ModelLoadException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * A cross-encoder's own settings, as sentence-transformers' CrossEncoder reads them: the sequence
 * classifier in config.json's {@code architectures}, its labels ({@code id2label}), the activation
 * CrossEncoder applies to the logits by default, and the longest pair it scores.
 *
 * @param architecture BertForSequenceClassification, RobertaForSequenceClassification or
 *     XLMRobertaForSequenceClassification
 * @param labels the label names by id (num_labels of them); {@code LABEL_0} for a reranker
 * @param activationFunction CrossEncoder's default activation as a class path: config.json's
 *     {@code sentence_transformers.activation_fn}, else the older
 *     {@code sbert_ce_default_activation_function}, else Sigmoid for one label and Identity for more
 * @param maxLength the most tokens of a pair, special tokens included: the tokenizer's
 *     model_max_length capped by max_position_embeddings, as CrossEncoder does, and by the positions
 *     the encoder can number
 */
public record CrossEncoderConfig(String architecture, List<String> labels, String activationFunction, int maxLength) {

    /** The sequence classifiers EmbedServe runs, and the encoder family each must sit on. */
    public static final Map<String, ModelFamily> ARCHITECTURES = Map.of(
            "BertForSequenceClassification", ModelFamily.BERT,
            "RobertaForSequenceClassification", ModelFamily.ROBERTA,
            "XLMRobertaForSequenceClassification", ModelFamily.XLM_ROBERTA);

    static final String SIGMOID = "torch.nn.modules.activation.Sigmoid";
    static final String IDENTITY = "torch.nn.modules.linear.Identity";

    public CrossEncoderConfig {
        labels = List.copyOf(labels);
    }

    public int numLabels() {
        return labels.size();
    }

    /**
     * Whether the config.json in {@code dir} names a sequence classifier, which makes the model a
     * cross-encoder rather than a sentence encoder: TEI's rule, an architecture whose name ends in
     * ForSequenceClassification (whether EmbedServe runs that one is {@link #read}'s to say).
     */
    public static boolean namesSequenceClassifier(Path dir) {
        JsonNode json = JsonFiles.read(dir.resolve("config.json"));
        for (JsonNode node : json.path("architectures")) {
            if (node.asString("").endsWith("ForSequenceClassification")) {
                return true;
            }
        }
        return false;
    }

    /** Reads config.json and tokenizer_config.json of the model in {@code dir}. */
    public static CrossEncoderConfig read(Path dir, EncoderConfig encoder) {
        Path file = dir.resolve("config.json");
        JsonNode json = JsonFiles.read(file);
        String architecture = architecture(json, file, encoder);
        List<String> labels = labels(json, file);
        return new CrossEncoderConfig(architecture, labels, activation(json, labels.size()), maxLength(dir, encoder));
    }

    private static String architecture(JsonNode json, Path file, EncoderConfig encoder) {
        List<String> named = new ArrayList<>();
        json.path("architectures").forEach(node -> named.add(node.asString("")));
        List<String> classifiers = named.stream().filter(ARCHITECTURES::containsKey).toList();
        if (classifiers.size() != 1) {
            throw new ModelLoadException(file + " names architectures " + named + "; a cross-encoder must be exactly"
                    + " one of " + new TreeMap<>(ARCHITECTURES).keySet() + ".");
        }
        String architecture = classifiers.get(0);
        if (ARCHITECTURES.get(architecture) != encoder.family()) {
            throw new ModelLoadException(file + " names " + architecture + " but model_type '"
                    + encoder.family().modelType() + "'; the two must agree.");
        }
        return architecture;
    }

    /** id2label by id, which must run 0..n-1; without it, transformers' num_labels (default 2). */
    private static List<String> labels(JsonNode json, Path file) {
        JsonNode id2label = json.get("id2label");
        List<String> labels = new ArrayList<>();
        if (id2label == null || id2label.isNull()) {
            int count = json.path("num_labels").asInt(2);
            for (int id = 0; id < count; id++) {
                labels.add("LABEL_" + id);
            }
            return labels;
        }
        TreeMap<Integer, String> byId = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : id2label.properties()) {
            try {
                byId.put(Integer.parseInt(entry.getKey()), entry.getValue().asString(""));
            } catch (NumberFormatException e) {
                throw new ModelLoadException(file + " has id2label key '" + entry.getKey() + "', which is not a label id.");
            }
        }
        if (byId.isEmpty() || byId.firstKey() != 0 || byId.lastKey() != byId.size() - 1) {
            throw new ModelLoadException(file + " has id2label ids " + byId.keySet() + "; they must run from 0 without gaps.");
        }
        labels.addAll(byId.values());
        return labels;
    }

    private static String activation(JsonNode json, int numLabels) {
        String current = json.path("sentence_transformers").path("activation_fn").asString("");
        if (!current.isEmpty()) {
            return current;
        }
        String older = json.path("sbert_ce_default_activation_function").asString("");
        if (!older.isEmpty()) {
            return older;
        }
        return numLabels == 1 ? SIGMOID : IDENTITY;
    }

    /**
     * CrossEncoder truncates pairs at the tokenizer's model_max_length, lowered to
     * max_position_embeddings; a tokenizer_config.json without it leaves transformers' "no limit".
     */
    private static int maxLength(Path dir, EncoderConfig encoder) {
        JsonNode tokenizerConfig = JsonFiles.readIfPresent(dir.resolve("tokenizer_config.json"));
        double limit = encoder.maxPositionEmbeddings();
        if (tokenizerConfig != null && tokenizerConfig.path("model_max_length").isNumber()) {
            // transformers writes 1e30 for "no limit", beyond any integer type
            limit = Math.min(limit, tokenizerConfig.path("model_max_length").asDouble());
        }
        return (int) Math.min(limit, encoder.maxInputTokens());
    }
}
