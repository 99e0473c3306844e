package io.embedserve.model;

import io.embedserve.error.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the model directory the way huggingface_hub lays out its cache:
 * {@code <cache>/models--<org>--<name>/refs/<revision>} names a commit, whose files live in
 * {@code snapshots/<commit>/}. MODEL_PATH, when set, is used as it is.
 */
public final class ModelLocator {

    private ModelLocator() {}

    public static ModelSnapshot locate(ModelLocation location) {
        ModelSnapshot snapshot =
                location.path() != null ? fromDirectory(location) : fromHubCache(location);
        ModelFileCheck.requireLoadable(snapshot);
        return snapshot;
    }

    private static ModelSnapshot fromDirectory(ModelLocation location) {
        Path dir = Path.of(location.path()).toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException(
                    "MODEL_PATH " + dir + " is not a directory. Set MODEL_PATH to a directory that"
                            + " holds config.json, tokenizer.json and model.safetensors, or unset"
                            + " it to read the Hugging Face cache.");
        }
        Path name = dir.getFileName();
        return new ModelSnapshot(dir, name == null ? dir.toString() : name.toString(), "local");
    }

    private static ModelSnapshot fromHubCache(ModelLocation location) {
        Path cache = hubCache(location);
        if (!Files.isDirectory(cache)) {
            throw new ModelLoadException(
                    "Hugging Face cache " + cache + " does not exist. Set HF_HUB_CACHE (or HF_HOME)"
                            + " to the cache that holds " + location.modelId()
                            + ", or MODEL_PATH to a model directory.");
        }
        Path repo = cache.resolve(repositoryFolder(location.modelId()));
        if (!Files.isDirectory(repo)) {
            throw new ModelLoadException(
                    "Model " + location.modelId() + " is not in the Hugging Face cache: " + repo
                            + " does not exist. Check MODEL_ID, or fetch it into the cache: ./embedserve"
                            + " fetch " + location.modelId() + " --revision " + location.revision()
                            + " (java -jar embedserve.jar fetch ... without the launcher).");
        }
        String commit = resolveRevision(repo, location.revision());
        Path snapshot = repo.resolve("snapshots").resolve(commit);
        if (!Files.isDirectory(snapshot)) {
            throw new ModelLoadException(
                    "Revision " + location.revision() + " of " + location.modelId() + " points to "
                            + snapshot + ", which does not exist. The cache is incomplete: download"
                            + " that revision again, or set MODEL_REVISION to one that is present.");
        }
        return new ModelSnapshot(snapshot, location.modelId(), commit);
    }

    /** HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub — huggingface_hub's order. */
    public static Path hubCache(ModelLocation location) {
        if (location.hubCache() != null) {
            return Path.of(location.hubCache()).toAbsolutePath();
        }
        if (location.hfHome() != null) {
            return Path.of(location.hfHome(), "hub").toAbsolutePath();
        }
        return Path.of(location.userHome(), ".cache", "huggingface", "hub");
    }

    /** huggingface_hub's folder for a model repository: {@code org/name} is {@code models--org--name}. */
    public static String repositoryFolder(String modelId) {
        return "models--" + modelId.replace("/", "--");
    }

    private static String resolveRevision(Path repo, String revision) {
        if (ModelSnapshot.isCommit(revision)) {
            return revision;
        }
        Path ref = repo.resolve("refs").resolve(revision);
        if (!Files.isRegularFile(ref)) {
            throw new ModelLoadException(
                    "Revision '" + revision + "' is not in the cache: " + ref + " does not exist."
                            + " Set MODEL_REVISION to a ref that exists under " + repo.resolve("refs")
                            + " or to a 40-hex commit under " + repo.resolve("snapshots") + ".");
        }
        try {
            String commit = Files.readString(ref).trim();
            if (!ModelSnapshot.isCommit(commit)) {
                throw new ModelLoadException(
                        ref + " does not hold a commit hash (found '" + commit + "'). The cache is"
                                + " damaged: download the model again or set MODEL_REVISION to a"
                                + " commit.");
            }
            return commit;
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + ref + ": " + e.getMessage(), e);
        }
    }
}
