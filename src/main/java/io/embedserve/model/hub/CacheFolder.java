package io.embedserve.model.hub;

import io.embedserve.error.ModelLoadException;
import io.embedserve.model.ModelLocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * One repository's folder in the hub cache, written as huggingface_hub writes it:
 * {@code blobs/<etag>} holds each file's content (downloaded first as {@code <etag>.incomplete}),
 * {@code snapshots/<commit>/<path>} is a relative symlink to its blob, and {@code refs/<name>}
 * holds the commit a branch or tag named when it was fetched. Links and refs replace what was
 * there by a rename, so a reader never sees half of one.
 */
final class CacheFolder {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.\\-]+");

    private final Path folder;

    CacheFolder(Path hubCache, String repoId) {
        this.folder = hubCache.resolve(ModelLocator.repositoryFolder(repoId));
    }

    Path folder() {
        return folder;
    }

    Path snapshot(String commit) {
        return folder.resolve("snapshots").resolve(commit);
    }

    Path blob(RepoFile file) {
        return folder.resolve("blobs").resolve(file.blobName());
    }

    Path incomplete(RepoFile file) {
        return folder.resolve("blobs").resolve(file.blobName() + ".incomplete");
    }

    /** Whether the blob is already here, with the right size (its content was checked when it was written). */
    boolean hasBlob(RepoFile file) throws IOException {
        Path blob = blob(file);
        return Files.isRegularFile(blob) && Files.size(blob) == file.size();
    }

    /** Publishes a downloaded and verified file under its blob name. */
    void publishBlob(RepoFile file) throws IOException {
        move(incomplete(file), blob(file));
    }

    /** Points {@code snapshots/<commit>/<path>} at the file's blob. */
    void link(String commit, RepoFile file) throws IOException {
        Path link = snapshot(commit).resolve(file.path());
        Files.createDirectories(link.getParent());
        Path target = link.getParent().relativize(blob(file));
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
            return;
        }
        Path temporary = link.resolveSibling(link.getFileName() + ".link-" + ProcessHandle.current().pid());
        Files.deleteIfExists(temporary);
        Files.createSymbolicLink(temporary, target);
        move(temporary, link);
    }

    /** Records that the branch or tag {@code name} was at {@code commit}; no newline, as huggingface_hub writes it. */
    void writeRef(String name, String commit) throws IOException {
        Path ref = folder.resolve("refs").resolve(name);
        Files.createDirectories(ref.getParent());
        Path temporary = ref.resolveSibling(ref.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.write(temporary, commit.getBytes(StandardCharsets.US_ASCII));
        move(temporary, ref);
    }

    /**
     * Refuses a path that could leave the snapshot folder: the names come from the Hub and from
     * the repository's own modules.json, and a path such as {@code ../../x} must never be written.
     */
    static void requireSafePath(String path, String what) {
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new ModelLoadException(what + " names the file '" + path + "', which is not a plain"
                        + " relative path; refusing to write it.");
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
