package io.embedserve.model.hub;

import io.embedserve.error.ModelLoadException;
import io.embedserve.model.ModelSnapshot;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A revision resolved to its commit, with every file it holds: the answer of
 * {@code GET /api/models/{repo}/revision/{revision}?blobs=true}, whose {@code sha} is the commit
 * and whose {@code siblings} list each file's {@code rfilename}, {@code size}, {@code blobId} and,
 * for LFS files, {@code lfs.sha256}.
 *
 * @param commit the 40-hex commit the revision names
 * @param files every file of the revision, by path
 */
record RepoRevision(String commit, Map<String, RepoFile> files) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    RepoRevision {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    static RepoRevision parse(byte[] body, String source) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new ModelLoadException(source + " did not answer with JSON: " + e.getOriginalMessage(), e);
        }
        String commit = json.path("sha").asString("");
        if (!ModelSnapshot.isCommit(commit)) {
            throw new ModelLoadException(source + " names no 40-hex commit (sha: '" + commit + "').");
        }
        Map<String, RepoFile> files = new LinkedHashMap<>();
        for (JsonNode sibling : json.path("siblings")) {
            String path = sibling.path("rfilename").asString("");
            JsonNode lfs = sibling.path("lfs");
            try {
                long size = lfs.isObject() ? lfs.path("size").asLong(-1) : sibling.path("size").asLong(-1);
                String sha256 = lfs.isObject() ? lfs.path("sha256").asString(null) : null;
                files.put(path, new RepoFile(path, size, sibling.path("blobId").asString(null), sha256));
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(source + " lists a file without the size and hashes a download"
                        + " is checked against (" + e.getMessage() + "); is HF_ENDPOINT a Hub?", e);
            }
        }
        return new RepoRevision(commit, files);
    }

    RepoFile file(String path) {
        return files.get(path);
    }

    boolean has(String path) {
        return files.containsKey(path);
    }
}
