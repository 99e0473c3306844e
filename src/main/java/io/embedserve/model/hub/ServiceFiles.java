package io.embedserve.model.hub;

import io.embedserve.error.ModelLoadException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Which files of a revision the service reads, and nothing else: no ONNX or OpenVINO exports, no
 * pickles, no README. Some names are only known from two small files, the sentence-transformers
 * {@code modules.json} (each module's folder: Pooling, Dense, Normalize) and the sharded weights'
 * {@code model.safetensors.index.json}; those two are fetched first ({@link #descriptors}).
 */
final class ServiceFiles {

    static final String MODULES = "modules.json";
    static final String WEIGHTS = "model.safetensors";
    static final String WEIGHTS_INDEX = "model.safetensors.index.json";
    private static final String PICKLE = "pytorch_model.bin";
    private static final List<String> REQUIRED = List.of("config.json", "tokenizer.json");
    private static final List<String> OPTIONAL = List.of(MODULES, "sentence_bert_config.json",
            "config_sentence_transformers.json", "tokenizer_config.json", "special_tokens_map.json");

    private final String what;
    private final RepoRevision revision;

    /** {@code what} names the revision in messages, e.g. {@code org/name@main}. */
    ServiceFiles(String what, RepoRevision revision) {
        this.what = what;
        this.revision = revision;
    }

    /**
     * The files that name other files: modules.json and, when the weights are sharded, their
     * index. Refuses first a revision the service could not load, before anything is downloaded.
     */
    List<RepoFile> descriptors() {
        for (String name : REQUIRED) {
            if (!revision.has(name)) {
                throw new ModelLoadException(what + " has no " + name + "; EmbedServe needs config.json,"
                        + " tokenizer.json and safetensors weights. Check the model id and revision.");
            }
        }
        requireSafetensors("", WEIGHTS, WEIGHTS_INDEX);
        List<RepoFile> files = new ArrayList<>();
        addIfPresent(files, MODULES);
        if (!revision.has(WEIGHTS)) {
            addIfPresent(files, WEIGHTS_INDEX);
        }
        return files;
    }

    /**
     * Every file the service reads, given the descriptors' contents (null when the revision has
     * none): the top-level files, the weights or the shards the index names, and each module
     * folder's config.json and model.safetensors.
     */
    List<RepoFile> all(JsonNode modules, JsonNode weightsIndex) {
        Set<String> names = new LinkedHashSet<>(REQUIRED);
        names.addAll(OPTIONAL);
        if (revision.has(WEIGHTS)) {
            names.add(WEIGHTS);
        } else {
            names.add(WEIGHTS_INDEX);
            names.addAll(shards(weightsIndex));
        }
        if (modules != null) {
            for (JsonNode module : modules) {
                String folder = module.path("path").asString("");
                if (!folder.isEmpty()) {
                    names.add(folder + "/config.json");
                    if (!revision.has(folder + "/" + WEIGHTS)) {
                        requireNoPickleOnly(folder);
                    }
                    names.add(folder + "/" + WEIGHTS);
                }
            }
        }
        List<RepoFile> files = new ArrayList<>();
        for (String name : names) {
            CacheFolder.requireSafePath(name, what);
            addIfPresent(files, name);
        }
        return files;
    }

    private List<String> shards(JsonNode index) {
        JsonNode weightMap = index == null ? null : index.path("weight_map");
        if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
            throw new ModelLoadException(what + ": " + WEIGHTS_INDEX + " has no weight_map naming the shards.");
        }
        Set<String> shards = new LinkedHashSet<>();
        weightMap.forEach(shard -> shards.add(shard.asString("")));
        for (String shard : shards) {
            if (!revision.has(shard)) {
                throw new ModelLoadException(what + ": " + WEIGHTS_INDEX + " names the shard '" + shard
                        + "', which the revision does not hold.");
            }
        }
        return List.copyOf(shards);
    }

    private void requireSafetensors(String folder, String weights, String index) {
        if (revision.has(folder + weights) || revision.has(folder + index)) {
            return;
        }
        if (revision.has(folder + PICKLE)) {
            throw pickleOnly(folder);
        }
        throw new ModelLoadException(what + " has no " + weights + " (nor " + index + "). EmbedServe reads"
                + " safetensors weights only; choose a revision or a model that has them.");
    }

    private void requireNoPickleOnly(String folder) {
        if (revision.has(folder + "/" + PICKLE)) {
            throw pickleOnly(folder + "/");
        }
    }

    private ModelLoadException pickleOnly(String folder) {
        return new ModelLoadException(what + " has only " + folder + PICKLE + ", a Python pickle, which can"
                + " run code when it is loaded; EmbedServe reads safetensors only. Pick a revision that has "
                + folder + WEIGHTS + " (the Hub's conversion bot opened a pull request with one in many"
                + " repositories: pass --revision refs/pr/<its number>), or convert the weights with the"
                + " safetensors library and serve them with MODEL_PATH.");
    }

    private void addIfPresent(List<RepoFile> files, String name) {
        RepoFile file = revision.file(name);
        if (file != null) {
            files.add(file);
        }
    }
}
