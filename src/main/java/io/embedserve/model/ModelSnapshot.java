package io.embedserve.model;

import java.nio.file.Path;

/**
 * A located model: the directory that holds its files, and what to call it in /info and in the
 * embedding cache key.
 *
 * @param directory the snapshot directory (files may be symlinks into blobs/)
 * @param modelId the repository id, or the directory name for MODEL_PATH
 * @param revision the snapshot commit, or "local" for MODEL_PATH
 */
public record ModelSnapshot(Path directory, String modelId, String revision) {

    public Path file(String relative) {
        return directory.resolve(relative);
    }
}
