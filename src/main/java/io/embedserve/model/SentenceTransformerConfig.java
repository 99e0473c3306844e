package io.embedserve.model;

import io.embedserve.error.ModelLoadException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The sentence-transformers pipeline around the encoder, read from the model's own files:
 * modules.json (which modules run, in order), the Pooling and Dense modules' config.json,
 * sentence_bert_config.json (max_seq_length, do_lower_case) and config_sentence_transformers.json
 * (prompts). The pipelines EmbedServe runs are Transformer, Pooling, any Dense modules, and an
 * optional Normalize last.
 *
 * @param pooling the pooling mode
 * @param denseModules the Dense modules after pooling, in modules.json order
 * @param dimension the embedding's dimension: the last Dense module's out_features, else the
 *     encoder's hidden size
 * @param normalize whether a Normalize module ends the pipeline
 * @param maxSeqLength tokens per input, capped by the encoder's position table
 * @param doLowerCase lower-case text before tokenizing, as the Transformer module does
 * @param prompts named prompts that prompt_name may select
 * @param defaultPromptName the prompt applied when the request names none, or null
 */
public record SentenceTransformerConfig(
        PoolingMode pooling,
        List<DenseModule> denseModules,
        int dimension,
        boolean normalize,
        int maxSeqLength,
        boolean doLowerCase,
        Map<String, String> prompts,
        String defaultPromptName) {

    private static final String MODULE_PREFIX = "sentence_transformers.models.";
    private static final List<String> UNSUPPORTED_POOLING_KEYS =
            List.of("pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens");

    public SentenceTransformerConfig {
        denseModules = List.copyOf(denseModules);
        prompts = Map.copyOf(prompts);
    }

    /**
     * Reads the pipeline of the model in {@code dir}.
     *
     * @param poolingOverride the POOLING setting, used only when the model has no Pooling module
     */
    public static SentenceTransformerConfig read(Path dir, EncoderConfig encoder, PoolingMode poolingOverride) {
        JsonNode modules = JsonFiles.readIfPresent(dir.resolve("modules.json"));
        String poolingPath = null;
        List<DenseModule> dense = new ArrayList<>();
        boolean normalize = false;
        if (modules != null) {
            Path modulesFile = dir.resolve("modules.json");
            for (JsonNode module : modules) {
                String type = module.path("type").asString("");
                String kind = type.startsWith(MODULE_PREFIX) ? type.substring(MODULE_PREFIX.length()) : type;
                if (normalize) {
                    throw new ModelLoadException(modulesFile + " lists module '" + type + "' after Normalize;"
                            + " EmbedServe runs Normalize only as the last module.");
                }
                switch (kind) {
                    case "Transformer" -> { }
                    case "Pooling" -> poolingPath = module.path("path").asString("1_Pooling");
                    case "Dense" -> {
                        if (poolingPath == null) {
                            throw new ModelLoadException(modulesFile + " lists a Dense module before Pooling;"
                                    + " EmbedServe runs Dense modules on the pooled sentence embedding only.");
                        }
                        dense.add(DenseModule.read(dir, module.path("path").asString("")));
                    }
                    case "Normalize" -> normalize = true;
                    default -> throw new ModelLoadException(
                            modulesFile + " lists module '" + type + "'; EmbedServe runs Transformer, Pooling,"
                                    + " Dense and Normalize only.");
                }
            }
        }
        PoolingMode pooling = readPooling(dir, poolingPath, encoder, poolingOverride);
        JsonNode bertConfig = JsonFiles.readIfPresent(dir.resolve("sentence_bert_config.json"));
        int maxSeq = encoder.maxInputTokens();
        boolean lower = false;
        if (bertConfig != null) {
            // sentence-transformers caps max_seq_length by what the position table holds, as we do.
            maxSeq = Math.min(maxSeq, bertConfig.path("max_seq_length").asInt(maxSeq));
            lower = bertConfig.path("do_lower_case").asBoolean(false);
        }
        JsonNode stConfig = JsonFiles.readIfPresent(dir.resolve("config_sentence_transformers.json"));
        Map<String, String> prompts = new LinkedHashMap<>();
        String defaultPrompt = null;
        if (stConfig != null) {
            stConfig.path("prompts").properties().forEach(e -> prompts.put(e.getKey(), e.getValue().asString("")));
            JsonNode name = stConfig.get("default_prompt_name");
            defaultPrompt = name == null || name.isNull() ? null : name.asString();
            if (defaultPrompt != null && !prompts.containsKey(defaultPrompt)) {
                throw new ModelLoadException(dir.resolve("config_sentence_transformers.json")
                        + " names default_prompt_name '" + defaultPrompt + "', which is not among its prompts "
                        + prompts.keySet() + ".");
            }
        }
        if (poolingPath != null) {
            requirePromptsInPooling(dir.resolve(poolingPath).resolve("config.json"), pooling, prompts);
        }
        int dimension = chainedDimension(dense, encoder.hiddenSize());
        return new SentenceTransformerConfig(pooling, dense, dimension, normalize, maxSeq, lower, prompts, defaultPrompt);
    }

    /**
     * Each Dense module takes what the one before it gives (the first, the pooled vector: hidden_size
     * wide, one pooling mode being on); returns the width of the last.
     */
    private static int chainedDimension(List<DenseModule> dense, int pooled) {
        int width = pooled;
        for (DenseModule module : dense) {
            if (module.inFeatures() != width) {
                throw new ModelLoadException("The Dense module " + module.path() + " takes in_features "
                        + module.inFeatures() + " but receives vectors of " + width + ".");
            }
            width = module.outFeatures();
        }
        return width;
    }

    /**
     * sentence-transformers' Pooling with {@code include_prompt: false} masks the prompt's tokens
     * out of the pooled tokens. EmbedServe pools every token of the input, so such a model is
     * refused rather than given other vectors, unless it cannot matter: without prompts there is
     * nothing to leave out, and CLS pooling reads the first token whatever the mask says.
     */
    private static void requirePromptsInPooling(Path poolingFile, PoolingMode pooling, Map<String, String> prompts) {
        boolean includePrompt = JsonFiles.read(poolingFile).path("include_prompt").asBoolean(true);
        if (!includePrompt && !prompts.isEmpty() && pooling != PoolingMode.CLS) {
            throw new ModelLoadException(poolingFile + " sets include_prompt to false: sentence-transformers leaves"
                    + " the prompt's tokens " + prompts.keySet() + " out of " + pooling.wireName() + " pooling,"
                    + " which EmbedServe does not do. Serving this model would give other vectors than"
                    + " sentence-transformers, so it is refused; choose a model whose pooling includes the prompt.");
        }
    }

    private static PoolingMode readPooling(
            Path dir, String poolingPath, EncoderConfig encoder, PoolingMode override) {
        if (poolingPath == null) {
            if (override != null) {
                return override;
            }
            throw new ModelLoadException(
                    "Model at " + dir + " has no sentence-transformers Pooling module (modules.json"
                            + " and 1_Pooling/config.json). Set POOLING to mean, cls, max or lasttoken;"
                            + " EmbedServe never guesses.");
        }
        Path file = dir.resolve(poolingPath).resolve("config.json");
        JsonNode json = JsonFiles.read(file);
        for (String key : UNSUPPORTED_POOLING_KEYS) {
            if (json.path(key).asBoolean(false)) {
                throw new ModelLoadException(file + " enables " + key + ", which EmbedServe does not support.");
            }
        }
        List<PoolingMode> enabled = java.util.Arrays.stream(PoolingMode.values())
                .filter(mode -> json.path(mode.configKey()).asBoolean(false))
                .toList();
        if (enabled.size() != 1) {
            throw new ModelLoadException(
                    file + " must enable exactly one pooling mode (mean, cls, max or lasttoken); it"
                            + " enables " + enabled + ".");
        }
        int dimension = json.path("word_embedding_dimension").asInt(encoder.hiddenSize());
        if (dimension != encoder.hiddenSize()) {
            throw new ModelLoadException(
                    file + " says word_embedding_dimension " + dimension + " but config.json has"
                            + " hidden_size " + encoder.hiddenSize() + ".");
        }
        return enabled.get(0);
    }

    /** The prompt text for {@code name} (a known prompt); null means the default prompt, or "". */
    public String promptText(String name) {
        String chosen = name != null ? name : defaultPromptName;
        return chosen == null ? "" : prompts.get(chosen);
    }
}
