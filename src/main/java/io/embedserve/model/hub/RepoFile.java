package io.embedserve.model.hub;

import java.util.regex.Pattern;

/**
 * One file of a revision as the Hub's API lists it.
 *
 * @param path the file's path in the repository, with forward slashes
 * @param size its size in bytes (for an LFS file, the real file's, not the pointer's)
 * @param blobId its git blob id: the SHA-1 of {@code "blob <size>\0"} and the content (for an LFS
 *     file, of the pointer)
 * @param sha256 for an LFS file, the SHA-256 of its content; null for a file kept in git itself
 */
record RepoFile(String path, long size, String blobId, String sha256) {

    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    RepoFile {
        if (blobId == null || !SHA1.matcher(blobId).matches()) {
            throw new IllegalArgumentException(path + ": blob id '" + blobId + "' is not 40 hex digits");
        }
        if (sha256 != null && !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException(path + ": LFS sha256 '" + sha256 + "' is not 64 hex digits");
        }
        if (size < 0) {
            throw new IllegalArgumentException(path + ": negative size " + size);
        }
    }

    boolean isLfs() {
        return sha256 != null;
    }

    /**
     * The file's name under {@code blobs/}, as huggingface_hub names it: the ETag the Hub serves it
     * with, which is the SHA-256 for an LFS file and the git blob id otherwise. Both are checked
     * hex, so the name can never leave the blobs folder.
     */
    String blobName() {
        return isLfs() ? sha256 : blobId;
    }
}
