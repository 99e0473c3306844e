package io.embedserve.model;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A located model: the directory that holds its files, and what to call it in /info and in the
 * embedding cache key.
 *
 * @param directory the snapshot directory (files may be symlinks into blobs/)
 * @param modelId the repository id, or the directory name for MODEL_PATH
 * @param revision the snapshot commit, or "local" for MODEL_PATH
 */
public record ModelSnapshot(Path directory, String modelId, String revision) {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    /** Whether {@code revision} is a 40-hex commit, which pins every file of a hub snapshot. */
    public static boolean isCommit(String revision) {
        return COMMIT.matcher(revision).matches();
    }

    /** True for a hub snapshot, whose commit names its files; false for a MODEL_PATH directory. */
    public boolean pinnedByCommit() {
        return isCommit(revision);
    }

    public Path file(String relative) {
        return directory.resolve(relative);
    }
}
