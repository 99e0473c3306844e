package io.embedserve.model;

/**
 * Where to look for the model, as the operator configured it. Blank strings count
 * as unset.
 *
 * @param path MODEL_PATH: a plain directory holding the model files; wins over the cache
 * @param modelId MODEL_ID: the repository id inside the Hugging Face cache
 * @param revision MODEL_REVISION: a ref name (refs/&lt;name&gt;) or a 40-hex commit
 * @param hubCache HF_HUB_CACHE: the hub cache directory
 * @param hfHome HF_HOME: its parent (the cache is then HF_HOME/hub)
 * @param userHome the home directory, for the default ~/.cache/huggingface/hub
 */
public record ModelLocation(
        String path, String modelId, String revision, String hubCache, String hfHome, String userHome) {

    public static final String DEFAULT_MODEL_ID =
            "sentence-transformers/paraphrase-multilingual-mpnet-base-v2";

    public ModelLocation {
        modelId = blankToNull(modelId) == null ? DEFAULT_MODEL_ID : modelId.trim();
        revision = blankToNull(revision) == null ? "main" : revision.trim();
        path = blankToNull(path);
        hubCache = blankToNull(hubCache);
        hfHome = blankToNull(hfHome);
        userHome = blankToNull(userHome) == null ? System.getProperty("user.home") : userHome;
    }

    /** A plain model directory, as MODEL_PATH gives it. */
    public static ModelLocation ofDirectory(String path) {
        return new ModelLocation(path, null, null, null, null, null);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
